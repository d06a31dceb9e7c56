package io.streamviz.launcher;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class EmbeddedKafkaBrokerTest {

    private static final Duration DEADLINE = Duration.ofSeconds(30);

    @TempDir Path logDir;

    @Test
    void recordsSurviveARestartOnTheSameLogDir() throws Exception {
        try (EmbeddedKafkaBroker broker = newBroker(logDir)) {
            broker.start();
            broker.createTopic("orders", 2);
            produce(broker.bootstrapServers(), "orders", "a", "b", "c");
        }

        List<String> values;
        try (EmbeddedKafkaBroker restarted = newBroker(logDir)) {
            restarted.start();
            values = consumeAll(restarted.bootstrapServers(), "orders", 3);
        }

        assertThat(values).containsExactlyInAnyOrder("a", "b", "c");
    }

    @Test
    void createTopicAcceptsAnExistingTopic() throws Exception {
        try (EmbeddedKafkaBroker broker = newBroker(logDir)) {
            broker.start();

            broker.createTopic("orders", 1);
            broker.createTopic("orders", 3);
            produce(broker.bootstrapServers(), "orders", "x");

            assertThat(consumeAll(broker.bootstrapServers(), "orders", 1)).containsExactly("x");
        }
    }

    @Test
    void transactionalProducerCommitsOnTheSingleNode() throws Exception {
        try (EmbeddedKafkaBroker broker = newBroker(logDir)) {
            broker.start();
            broker.createTopic("orders", 1);

            Map<String, Object> config = producerConfig(broker.bootstrapServers());
            config.put(ProducerConfig.TRANSACTIONAL_ID_CONFIG, "streamviz-test-tx");
            try (KafkaProducer<String, String> producer = new KafkaProducer<>(config)) {
                producer.initTransactions();
                producer.beginTransaction();
                producer.send(new ProducerRecord<>("orders", "committed"));
                producer.commitTransaction();
            }

            assertThat(consumeAll(broker.bootstrapServers(), "orders", 1))
                    .containsExactly("committed");
        }
    }

    @Test
    void twoBrokerLifecyclesLeaveNoNonDaemonThreads(@TempDir Path otherLogDir) throws Exception {
        Set<Thread> before = liveNonDaemonThreads();
        EmbeddedKafkaBroker first = newBroker(logDir);
        EmbeddedKafkaBroker second = newBroker(otherLogDir);
        first.start();
        second.start();
        first.createTopic("orders", 1);
        second.createTopic("orders", 1);

        assertTimeoutPreemptively(DEADLINE, first::close);
        assertTimeoutPreemptively(DEADLINE, second::close);

        assertThat(awaitNewNonDaemonThreadsEnded(before)).isEmpty();
    }

    @Test
    void secondBrokerOnTheSameLogDirFailsAndTheFirstKeepsServing() throws Exception {
        try (EmbeddedKafkaBroker first = newBroker(logDir);
                EmbeddedKafkaBroker second = newBroker(logDir)) {
            first.start();

            assertThatThrownBy(second::start)
                    .isInstanceOf(KafkaException.class)
                    .hasMessageContaining(logDir.toString())
                    .hasMessageContaining("in use");
            first.createTopic("orders", 1);
            produce(first.bootstrapServers(), "orders", "still here");

            assertThat(consumeAll(first.bootstrapServers(), "orders", 1))
                    .containsExactly("still here");
        }
    }

    @Test
    void startFailsCleanlyWhenThePortIsTaken() throws Exception {
        try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getByName("127.0.0.1"));
                EmbeddedKafkaBroker broker =
                        EmbeddedKafkaBroker.builder()
                                .logDir(logDir)
                                .port(taken.getLocalPort())
                                .build()) {

            assertThatThrownBy(broker::start)
                    .isInstanceOf(KafkaException.class)
                    .hasMessageContaining("127.0.0.1:" + taken.getLocalPort());
            taken.close();
            broker.start();

            assertThat(broker.bootstrapServers()).isEqualTo("127.0.0.1:" + taken.getLocalPort());
        }
    }

    @Test
    void bootstrapServersNeedsARunningBroker() {
        EmbeddedKafkaBroker broker = newBroker(logDir);

        assertThatThrownBy(broker::bootstrapServers)
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("not running");
    }

    @Test
    void builderRejectsAMissingLogDirAndABadPort() {
        assertThatThrownBy(() -> EmbeddedKafkaBroker.builder().port(0).build())
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("logDir");
        assertThatThrownBy(() -> EmbeddedKafkaBroker.builder().port(70000))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("70000");
    }

    private static EmbeddedKafkaBroker newBroker(Path logDir) {
        return EmbeddedKafkaBroker.builder().logDir(logDir).port(0).build();
    }

    private static void produce(String bootstrapServers, String topic, String... values)
            throws Exception {
        try (KafkaProducer<String, String> producer =
                new KafkaProducer<>(producerConfig(bootstrapServers))) {
            for (String value : values) {
                producer.send(new ProducerRecord<>(topic, value, value)).get();
            }
        }
    }

    private static Map<String, Object> producerConfig(String bootstrapServers) {
        Map<String, Object> config = new HashMap<>();
        config.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        config.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class);
        config.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, StringSerializer.class);
        config.put(ProducerConfig.ACKS_CONFIG, "all");
        return config;
    }

    /**
     * Reads the topic from the earliest offset, as a consumer group does, until {@code expected}
     * records have arrived or the deadline has passed, then polls once more for any extra record.
     */
    private static List<String> consumeAll(String bootstrapServers, String topic, int expected) {
        Map<String, Object> config = new HashMap<>();
        config.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        config.put(ConsumerConfig.GROUP_ID_CONFIG, "streamviz-test");
        config.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        config.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        config.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class);
        config.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class);

        List<String> values = new ArrayList<>();
        try (KafkaConsumer<String, String> consumer = new KafkaConsumer<>(config)) {
            consumer.subscribe(List.of(topic));
            long deadline = System.nanoTime() + DEADLINE.toNanos();
            while (values.size() < expected && System.nanoTime() < deadline) {
                pollInto(consumer, values);
            }
            pollInto(consumer, values);
        }
        return values;
    }

    private static void pollInto(KafkaConsumer<String, String> consumer, List<String> values) {
        for (ConsumerRecord<String, String> record : consumer.poll(Duration.ofMillis(200))) {
            values.add(record.value());
        }
    }

    private static Set<Thread> liveNonDaemonThreads() {
        return Thread.getAllStackTraces().keySet().stream()
                .filter(thread -> thread.isAlive() && !thread.isDaemon())
                .collect(Collectors.toSet());
    }

    /**
     * Returns the names of non-daemon threads started since {@code before} that are still alive at
     * the deadline. Threads may end just after close() returns, so each is joined first.
     */
    private static List<String> awaitNewNonDaemonThreadsEnded(Set<Thread> before)
            throws InterruptedException {
        long deadline = System.nanoTime() + DEADLINE.toNanos();
        for (Thread thread : liveNonDaemonThreads()) {
            if (!before.contains(thread)) {
                thread.join(Math.max(1, Duration.ofNanos(deadline - System.nanoTime()).toMillis()));
            }
        }
        return liveNonDaemonThreads().stream()
                .filter(thread -> !before.contains(thread))
                .map(Thread::getName)
                .sorted()
                .toList();
    }
}
