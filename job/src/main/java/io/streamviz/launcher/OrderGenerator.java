package io.streamviz.launcher;

import java.util.List;
import java.util.Locale;
import java.util.Properties;
import java.util.SplittableRandom;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Writes plausible orders to a Kafka topic at a steady rate: the demo's traffic and the {@code
 * produce} command. Order ids carry a per-run prefix so that two runs never repeat an id.
 */
public final class OrderGenerator implements Runnable, AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(OrderGenerator.class);
    private static final List<String> REGIONS = List.of("us_east", "us_west", "europe", "asia");
    private static final List<String> CATEGORIES =
            List.of("electronics", "apparel", "books", "grocery");
    private static final long TICK_MS = 100;

    private final KafkaProducer<String, String> producer;
    private final String topic;
    private final double ordersPerSecond;
    private final long maxOrders;
    private final SplittableRandom random;
    private final String runPrefix;
    private final AtomicBoolean running = new AtomicBoolean(true);
    private final AtomicLong sent = new AtomicLong();

    /**
     * @param maxOrders how many orders to write before stopping; {@code Long.MAX_VALUE} for no
     *     limit
     */
    public OrderGenerator(
            String bootstrapServers,
            String topic,
            double ordersPerSecond,
            long maxOrders,
            long seed) {
        Properties props = new Properties();
        props.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        props.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
        props.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
        props.put(ProducerConfig.LINGER_MS_CONFIG, "5");
        props.put(ProducerConfig.ACKS_CONFIG, "all");
        this.producer = new KafkaProducer<>(props);
        this.topic = topic;
        this.ordersPerSecond = ordersPerSecond;
        this.maxOrders = maxOrders;
        this.random = new SplittableRandom(seed);
        this.runPrefix = Long.toString(System.currentTimeMillis(), 36);
    }

    /**
     * Writes orders until {@link #close()} or until {@code maxOrders} were written. Owns the
     * producer: it is closed when this method returns.
     */
    @Override
    public void run() {
        double due = 0;
        long nextTick = System.currentTimeMillis();
        try {
            while (running.get() && sent.get() < maxOrders) {
                due += ordersPerSecond * TICK_MS / 1000.0;
                while (due >= 1 && sent.get() < maxOrders) {
                    String order = nextOrder(System.currentTimeMillis());
                    producer.send(new ProducerRecord<>(topic, order));
                    sent.incrementAndGet();
                    due -= 1;
                }
                nextTick += TICK_MS;
                long wait = nextTick - System.currentTimeMillis();
                if (wait > 0) {
                    Thread.sleep(wait);
                }
            }
            producer.flush();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            producer.close();
        }
        LOG.info("Order generator stopped after {} orders", sent.get());
    }

    public long sent() {
        return sent.get();
    }

    String nextOrder(long timestampMs) {
        long cents = 500 + random.nextLong(50_000); // 5.00 to 504.99
        return String.format(
                Locale.ROOT,
                "{\"order_id\":\"o-%s-%d\",\"amount\":%d.%02d,\"region\":\"%s\","
                        + "\"category\":\"%s\",\"customer_id\":\"c-%d\",\"ts\":%d}",
                runPrefix,
                sent.get() + 1,
                cents / 100,
                cents % 100,
                REGIONS.get(random.nextInt(REGIONS.size())),
                CATEGORIES.get(random.nextInt(CATEGORIES.size())),
                1 + random.nextInt(500),
                timestampMs);
    }

    /** Asks {@link #run()} to stop after its current tick; it then closes the producer. */
    @Override
    public void close() {
        running.set(false);
    }
}
