package io.streamviz.launcher;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.net.BindException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.channels.FileChannel;
import java.nio.channels.OverlappingFileLockException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import kafka.server.KafkaConfig;
import kafka.server.KafkaRaftServer;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.errors.TopicExistsException;
import org.apache.kafka.common.utils.Time;
import org.apache.kafka.metadata.properties.MetaPropertiesEnsemble;
import org.apache.kafka.metadata.storage.Formatter;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A single-node Apache Kafka broker running inside this JVM: KRaft in combined mode, one node that
 * is both broker and the only controller.
 *
 * <p>Everything it stores lives under {@code logDir}: the metadata log in {@code metadata/}, topic
 * partitions in {@code logs/}. The first {@link #start()} formats both with a new cluster id; later
 * starts, also in a new process, reuse them, so topics, records and committed offsets survive a
 * restart. A running broker holds a lock on {@code logDir}, so a second broker there, in this
 * process or another, fails to start.
 *
 * <p>Clients connect to {@link #bootstrapServers()}, a listener on 127.0.0.1 that is also the
 * advertised address, so any Kafka client on this machine can produce to it. The controller
 * listener is internal and gets a free port on every start; that is possible because the quorum is
 * a static one of this node alone, whose address is read from the configuration at each start
 * rather than stored in the metadata log.
 *
 * <p>{@link #start()} and {@link #close()} may be called from any thread; a closed broker can be
 * started again.
 *
 * <p>Missing: isolation from the JVM. Kafka halts the JVM ({@code Runtime.halt}, no shutdown hooks
 * run) on a fatal fault of its controller, such as an unwritable metadata log, or the controller
 * port picked at start being taken by someone else before Kafka binds it.
 */
public final class EmbeddedKafkaBroker implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(EmbeddedKafkaBroker.class);

    private static final String HOST = "127.0.0.1";
    private static final int NODE_ID = 1;
    private static final String CLIENT_LISTENER = "PLAINTEXT";
    private static final String CONTROLLER_LISTENER = "CONTROLLER";

    /** How long the broker may take to catch up with its own metadata log when it starts. */
    private static final Duration MAX_STARTUP_TIME = Duration.ofMinutes(2);

    private static final Duration ADMIN_TIMEOUT = Duration.ofSeconds(30);

    /**
     * How long the controller keeps a silent broker registered: what a restart after a crash waits
     * before the new broker may register (see {@link #brokerProperties}).
     */
    static final Duration BROKER_SESSION_TIMEOUT = Duration.ofMillis(1_500);

    private final Path logDir;
    private final Path metadataDir;
    private final Path partitionsDir;
    private final int requestedPort;

    /** Null while stopped. Guarded by {@code this}. */
    private KafkaRaftServer server;

    /**
     * Holds the lock on {@code logDir} while running; null while stopped. Guarded by {@code this}.
     */
    private FileChannel logDirLock;

    /** "127.0.0.1:port" of the running broker; null while stopped. */
    private volatile String bootstrapServers;

    private EmbeddedKafkaBroker(Builder builder) {
        this.logDir = builder.logDir.toAbsolutePath();
        this.metadataDir = logDir.resolve("metadata");
        this.partitionsDir = logDir.resolve("logs");
        this.requestedPort = builder.port;
    }

    public static Builder builder() {
        return new Builder();
    }

    /**
     * Starts the broker and returns once it accepts clients. Formats {@code logDir} if it holds no
     * Kafka storage yet.
     *
     * <p>After a process that ran the broker died without {@link #close()}, this takes up to {@link
     * #BROKER_SESSION_TIMEOUT} longer: the controller refuses the new registration until the old
     * one's session has expired.
     *
     * @throws IOException if {@code logDir} cannot be created, read or formatted
     * @throws KafkaException if the broker fails to start, for example because the port is taken
     * @throws IllegalStateException if the broker is already running
     */
    public synchronized void start() throws IOException {
        if (server != null) {
            throw new IllegalStateException(
                    "Kafka broker is already running on " + bootstrapServers);
        }
        long startNanos = System.nanoTime();
        Files.createDirectories(metadataDir);
        Files.createDirectories(partitionsDir);
        FileChannel lock = lockLogDir();

        int port;
        boolean formatted;
        try {
            if (requestedPort != 0) {
                checkPortFree(requestedPort);
            }
            port = requestedPort == 0 ? freePort() : requestedPort;
            int controllerPort = freePort();
            while (controllerPort == port) {
                controllerPort = freePort();
            }
            // Invalid settings fail here, before the storage is formatted.
            KafkaConfig config = new KafkaConfig(brokerProperties(port, controllerPort), false);
            formatted = formatIfEmpty();
            server = startServer(config, port);
        } catch (IOException | RuntimeException e) {
            lock.close();
            throw e;
        }
        logDirLock = lock;
        bootstrapServers = HOST + ":" + port;
        LOG.info(
                "Kafka broker started in {} ms on {} ({} storage in {})",
                TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - startNanos),
                bootstrapServers,
                formatted ? "new" : "existing",
                logDir);
    }

    private KafkaRaftServer startServer(KafkaConfig config, int port) {
        KafkaRaftServer starting = new KafkaRaftServer(config, Time.SYSTEM);
        try {
            starting.startup();
            return starting;
        } catch (RuntimeException e) {
            // The controller may be up while the broker half failed: stop both before giving up.
            shutDown(starting);
            throw new KafkaException(
                    "Kafka broker in " + logDir + " failed to start on " + HOST + ":" + port, e);
        }
    }

    /**
     * Returns "127.0.0.1:port" of the running broker.
     *
     * @throws IllegalStateException if the broker is not running
     */
    public String bootstrapServers() {
        String servers = bootstrapServers;
        if (servers == null) {
            throw new IllegalStateException("Kafka broker in " + logDir + " is not running");
        }
        return servers;
    }

    /**
     * Creates a topic with replication factor 1 and waits until the controller has accepted it. A
     * topic of that name that already exists is left as it is, whatever its partition count.
     */
    public void createTopic(String name, int partitions) {
        Objects.requireNonNull(name, "name");
        if (partitions < 1) {
            throw new IllegalArgumentException(
                    "partitions of topic " + name + " must be at least 1, was " + partitions);
        }
        Map<String, Object> adminConfig =
                Map.of(
                        AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG,
                        bootstrapServers(),
                        AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG,
                        (int) ADMIN_TIMEOUT.toMillis());
        try (Admin admin = Admin.create(adminConfig)) {
            admin.createTopics(List.of(new NewTopic(name, partitions, (short) 1)))
                    .all()
                    .get(ADMIN_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
            LOG.debug("Created topic {} with {} partitions", name, partitions);
        } catch (ExecutionException e) {
            if (!(e.getCause() instanceof TopicExistsException)) {
                throw new KafkaException("Could not create topic " + name, e.getCause());
            }
            LOG.debug("Topic {} already exists", name);
        } catch (TimeoutException e) {
            throw new KafkaException(
                    "Topic " + name + " was not created within " + ADMIN_TIMEOUT, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new KafkaException("Interrupted while creating topic " + name, e);
        }
    }

    /** Shuts the broker down cleanly and waits until it has stopped. Does nothing if stopped. */
    @Override
    public synchronized void close() {
        if (server == null) {
            return;
        }
        long stopNanos = System.nanoTime();
        String stopped = bootstrapServers;
        bootstrapServers = null;
        try {
            shutDown(server);
        } finally {
            server = null;
            closeLogDirLock();
        }
        LOG.debug(
                "Kafka broker on {} stopped in {} ms",
                stopped,
                TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - stopNanos));
    }

    private static void shutDown(KafkaRaftServer server) {
        server.shutdown();
        server.awaitShutdown();
    }

    /**
     * Kafka locks its directories itself, but its controller halts the JVM when it finds them
     * locked; this lock turns a second broker on {@code logDir} into an exception instead.
     */
    private FileChannel lockLogDir() throws IOException {
        FileChannel channel =
                FileChannel.open(
                        logDir.resolve(".lock"),
                        StandardOpenOption.CREATE,
                        StandardOpenOption.WRITE);
        try {
            if (channel.tryLock() != null) {
                return channel;
            }
        } catch (OverlappingFileLockException e) {
            // Held by another broker in this JVM: reported below like one in another process.
        } catch (IOException | RuntimeException e) {
            channel.close();
            throw e;
        }
        channel.close();
        throw new KafkaException(
                "Kafka log dir "
                        + logDir
                        + " is in use by another broker, in this process or another");
    }

    private void closeLogDirLock() {
        try {
            logDirLock.close();
        } catch (IOException e) {
            LOG.warn("Could not release the lock on Kafka log dir {}", logDir, e);
        } finally {
            logDirLock = null;
        }
    }

    private Map<String, String> brokerProperties(int port, int controllerPort) {
        Map<String, String> props = new HashMap<>();
        props.put("process.roles", "broker,controller");
        props.put("node.id", String.valueOf(NODE_ID));
        props.put("controller.quorum.voters", NODE_ID + "@" + HOST + ":" + controllerPort);
        props.put("controller.listener.names", CONTROLLER_LISTENER);
        props.put(
                "listeners",
                listener(CLIENT_LISTENER, port)
                        + ","
                        + listener(CONTROLLER_LISTENER, controllerPort));
        props.put("advertised.listeners", listener(CLIENT_LISTENER, port));
        props.put("inter.broker.listener.name", CLIENT_LISTENER);
        props.put(
                "listener.security.protocol.map",
                CLIENT_LISTENER + ":PLAINTEXT," + CONTROLLER_LISTENER + ":PLAINTEXT");
        props.put("log.dirs", partitionsDir.toString());
        props.put("metadata.log.dir", metadataDir.toString());
        props.put("server.max.startup.time.ms", String.valueOf(MAX_STARTUP_TIME.toMillis()));

        // One node: every internal topic has to make do with a single replica.
        props.put("default.replication.factor", "1");
        props.put("min.insync.replicas", "1");
        props.put("offsets.topic.replication.factor", "1");
        props.put("transaction.state.log.replication.factor", "1");
        props.put("transaction.state.log.min.isr", "1");
        props.put("share.coordinator.state.topic.replication.factor", "1");
        props.put("share.coordinator.state.topic.min.isr", "1");
        // Kafka's 50 partitions per internal topic spread coordinators over a cluster's brokers;
        // here they are 100 more logs for the one broker to load (and, after a crash, recover) at
        // every start. The partition count of a topic that exists already is kept.
        props.put("offsets.topic.num.partitions", "1");
        props.put("transaction.state.log.num.partitions", "1");
        props.put("share.coordinator.state.topic.num.partitions", "1");

        // After a crash the restarted controller treats the dead broker's registration as live
        // until its session times out, and only then lets the new broker register: with Kafka's
        // default of 9 s that was most of the time a restart took. Broker and controller share
        // this process, so a heartbeat never crosses a network; only a stall of the whole JVM
        // longer than the timeout would fence the broker, and it re-registers on its next beat.
        props.put("broker.session.timeout.ms", String.valueOf(BROKER_SESSION_TIMEOUT.toMillis()));
        props.put(
                "broker.heartbeat.interval.ms",
                String.valueOf(BROKER_SESSION_TIMEOUT.toMillis() / 5));

        // No other consumers are going to join late, so a new group need not wait for them.
        props.put("group.initial.rebalance.delay.ms", "0");
        props.put("auto.create.topics.enable", "true");
        // The default 128 MiB dedupe buffer would be allocated on the heap the job shares; the
        // only compacted topics here are the small internal ones.
        props.put("log.cleaner.dedupe.buffer.size", String.valueOf(4 * 1024 * 1024));
        return props;
    }

    private static String listener(String name, int port) {
        return name + "://" + HOST + ":" + port;
    }

    /**
     * Writes meta.properties and the bootstrap metadata, as {@code kafka-storage.sh format} does,
     * unless {@code logDir} already holds them. Returns whether it formatted. A half-formatted
     * {@code logDir} is left to Kafka, whose start-up check names what is missing or at odds.
     */
    private boolean formatIfEmpty() throws IOException {
        List<String> dirs = List.of(metadataDir.toString(), partitionsDir.toString());
        MetaPropertiesEnsemble existing =
                new MetaPropertiesEnsemble.Loader()
                        .addLogDirs(dirs)
                        .addMetadataLogDir(metadataDir.toString())
                        .load();
        if (!existing.logDirProps().isEmpty()) {
            return false;
        }

        String clusterId = Uuid.randomUuid().toString();
        ByteArrayOutputStream output = new ByteArrayOutputStream();
        Formatter formatter =
                new Formatter()
                        .setPrintStream(new PrintStream(output, true, StandardCharsets.UTF_8))
                        .setNodeId(NODE_ID)
                        .setClusterId(clusterId)
                        .setDirectories(dirs)
                        .setMetadataLogDirectory(metadataDir.toString())
                        .setControllerListenerName(CONTROLLER_LISTENER);
        try {
            formatter.run();
        } catch (Exception e) {
            throw new IOException("Could not format Kafka storage in " + logDir, e);
        }
        LOG.debug(
                "Kafka storage formatter: {}",
                output.toString(StandardCharsets.UTF_8).strip().replace('\n', ' '));
        LOG.info("Formatted new Kafka storage in {} (cluster id {})", logDir, clusterId);
        return true;
    }

    /**
     * A port that was free a moment ago. Another process may take it before Kafka binds it; start()
     * then fails rather than binding elsewhere.
     */
    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getByName(HOST))) {
            return socket.getLocalPort();
        }
    }

    /**
     * Fails plainly when the client port is taken, typically by another Kafka. Kafka itself would
     * notice only after its controller is up, and log three stack traces on the way.
     */
    private static void checkPortFree(int port) throws IOException {
        try (ServerSocket socket = new ServerSocket(port, 1, InetAddress.getByName(HOST))) {
            // Free now; closed again so that Kafka can bind it.
        } catch (BindException e) {
            throw new KafkaException("Kafka broker port " + HOST + ":" + port + " is in use", e);
        }
    }

    /** Options of an {@link EmbeddedKafkaBroker}; {@code logDir} is required. */
    public static final class Builder {
        private Path logDir;
        private int port = 9092;

        private Builder() {}

        /** The directory that holds all of the broker's data. Created if missing. */
        public Builder logDir(Path logDir) {
            this.logDir = logDir;
            return this;
        }

        /** The client port, bound on 127.0.0.1; 0 picks a free one at each start. Default 9092. */
        public Builder port(int port) {
            if (port < 0 || port > 65535) {
                throw new IllegalArgumentException("port must be 0 to 65535, was " + port);
            }
            this.port = port;
            return this;
        }

        public EmbeddedKafkaBroker build() {
            if (logDir == null) {
                throw new IllegalStateException("logDir of the embedded Kafka broker is not set");
            }
            return new EmbeddedKafkaBroker(this);
        }
    }
}
