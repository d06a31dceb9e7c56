package io.streamviz.bench.job;

import io.streamviz.job.functions.InvalidOrderException;
import io.streamviz.job.functions.OrderParser;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;

/**
 * The limit the job is measured against: plain Kafka consumers, as many as the job's parallelism,
 * each reading its share of the topic's partitions from the start to the end and parsing every
 * record with the job's own {@link OrderParser}. Nothing else: no state, no checkpoints, no sinks.
 */
public final class ReferenceConsumers {
    private ReferenceConsumers() {}

    /** What the consumers read together. */
    public record Outcome(long orders, double seconds) {
        public double ordersPerSecond() {
            return orders / seconds;
        }
    }

    /**
     * Reads every record of {@code topic} with {@code consumers} consumers. The clock runs from the
     * first record any consumer received to the last, so connecting is not counted (as for the job,
     * whose start-up is not counted either).
     */
    public static Outcome readAll(String bootstrapServers, String topic, int consumers)
            throws Exception {
        List<TopicPartition> partitions;
        try (KafkaConsumer<byte[], String> probe = consumer(bootstrapServers)) {
            partitions =
                    probe.partitionsFor(topic).stream()
                            .map(info -> new TopicPartition(topic, info.partition()))
                            .toList();
        }
        ExecutorService pool = Executors.newFixedThreadPool(consumers);
        try {
            List<Future<long[]>> results = new ArrayList<>();
            for (int c = 0; c < consumers; c++) {
                List<TopicPartition> share = new ArrayList<>();
                for (int p = c; p < partitions.size(); p += consumers) {
                    share.add(partitions.get(p));
                }
                results.add(pool.submit(() -> readPartitions(bootstrapServers, share)));
            }
            long orders = 0;
            long firstNanos = Long.MAX_VALUE;
            long lastNanos = Long.MIN_VALUE;
            for (Future<long[]> result : results) {
                long[] r = result.get();
                orders += r[0];
                firstNanos = Math.min(firstNanos, r[1]);
                lastNanos = Math.max(lastNanos, r[2]);
            }
            return new Outcome(orders, (lastNanos - firstNanos) / 1e9);
        } finally {
            pool.shutdownNow();
        }
    }

    /** Returns {valid orders, nanoTime of the first record, nanoTime after the last}. */
    private static long[] readPartitions(String bootstrapServers, List<TopicPartition> partitions)
            throws InvalidOrderException {
        OrderParser parser = new OrderParser();
        long orders = 0;
        long firstNanos = 0;
        try (KafkaConsumer<byte[], String> consumer = consumer(bootstrapServers)) {
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            Map<TopicPartition, Long> endOffsets = consumer.endOffsets(partitions);
            while (!atEnd(consumer, endOffsets)) {
                ConsumerRecords<byte[], String> records = consumer.poll(Duration.ofMillis(100));
                if (!records.isEmpty() && firstNanos == 0) {
                    firstNanos = System.nanoTime();
                }
                for (ConsumerRecord<byte[], String> record : records) {
                    // Throws on an invalid record: the benchmark's topics hold only valid ones.
                    parser.parse(record.value());
                    orders++;
                }
            }
        }
        return new long[] {orders, firstNanos, System.nanoTime()};
    }

    private static boolean atEnd(
            KafkaConsumer<byte[], String> consumer, Map<TopicPartition, Long> endOffsets) {
        for (Map.Entry<TopicPartition, Long> end : endOffsets.entrySet()) {
            if (consumer.position(end.getKey()) < end.getValue()) {
                return false;
            }
        }
        return true;
    }

    private static KafkaConsumer<byte[], String> consumer(String bootstrapServers) {
        Properties props = new Properties();
        props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        props.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class);
        props.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class);
        props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        return new KafkaConsumer<>(props);
    }
}
