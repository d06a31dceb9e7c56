package io.streamviz.bench.job;

import java.util.Properties;
import java.util.SplittableRandom;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.kafka.clients.producer.Callback;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * Orders for the benchmarks, in the job's schema and of the demo generator's shape (4 regions, 500
 * customers, amounts 5.00 to 504.99), with a chosen number of categories. Event times advance 1 ms
 * an order from a fixed start, so a million orders span about 17 minutes of charts.
 */
public final class OrderFeed implements AutoCloseable {
    static final long START_EVENT_TIME_MS = 1_767_225_600_000L; // 2026-01-01T00:00:00Z
    private static final String[] REGIONS = {"us_east", "us_west", "europe", "asia"};

    private final KafkaProducer<String, String> producer;
    private final String topic;
    private final int categories;
    private final SplittableRandom random = new SplittableRandom(2026);
    private final AtomicReference<Exception> failure = new AtomicReference<>();
    private long written;
    private long writtenCents;

    public OrderFeed(String bootstrapServers, String topic, int categories) {
        Properties props = new Properties();
        props.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        props.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
        props.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
        props.put(ProducerConfig.ACKS_CONFIG, "all");
        props.put(ProducerConfig.LINGER_MS_CONFIG, "1");
        props.put(ProducerConfig.BATCH_SIZE_CONFIG, Integer.toString(256 * 1024));
        this.producer = new KafkaProducer<>(props);
        this.topic = topic;
        this.categories = categories;
    }

    /** Writes {@code count} orders as fast as the broker takes them, and waits for every ack. */
    public void fill(long count) throws Exception {
        for (long i = 0; i < count; i++) {
            send(null);
        }
        flush();
    }

    /**
     * Writes one order; {@code onAck} (may be null) learns its partition, offset and the broker's
     * append time (with {@code message.timestamp.type=LogAppendTime}).
     */
    public void send(Callback onAck) {
        long n = written++;
        producer.send(
                new ProducerRecord<>(topic, order(n)),
                (metadata, error) -> {
                    if (error != null) {
                        failure.compareAndSet(null, error);
                    } else if (onAck != null) {
                        onAck.onCompletion(metadata, null);
                    }
                });
    }

    public void flush() throws Exception {
        producer.flush();
        Exception error = failure.get();
        if (error != null) {
            throw new IllegalStateException("Kafka refused an order", error);
        }
    }

    public long written() {
        return written;
    }

    /** The sum of every written order's amount, in cents: what the job's revenue must show. */
    public long writtenCents() {
        return writtenCents;
    }

    private String order(long n) {
        long cents = 500 + random.nextLong(50_000);
        writtenCents += cents;
        String region = REGIONS[random.nextInt(REGIONS.length)];
        int category = random.nextInt(categories);
        int customer = 1 + random.nextInt(500);
        // Built by hand rather than with String.format, which cost the producer more CPU than the
        // job's parse: the latency benchmark's producer shares the job's two cores.
        StringBuilder json = new StringBuilder(160);
        json.append("{\"order_id\":\"b-").append(n);
        json.append("\",\"amount\":").append(cents / 100).append('.');
        long fraction = cents % 100;
        json.append(fraction < 10 ? "0" : "").append(fraction);
        json.append(",\"region\":\"").append(region);
        json.append("\",\"category\":\"cat-").append(category);
        json.append("\",\"customer_id\":\"c-").append(customer);
        json.append("\",\"ts\":").append(START_EVENT_TIME_MS + n).append('}');
        return json.toString();
    }

    @Override
    public void close() {
        producer.close();
    }
}
