package io.streamviz.job;

import io.streamviz.dashboard.DashboardUpdate;
import io.streamviz.dashboard.flink.DashboardHistory;
import io.streamviz.dashboard.flink.DashboardSink;
import io.streamviz.job.CommandLine.UsageException;
import io.streamviz.job.functions.DashboardFigures;
import io.streamviz.job.functions.DimensionTotalsFunction;
import io.streamviz.job.functions.FirstOrderPerCustomer;
import io.streamviz.job.functions.ParseOrders;
import io.streamviz.job.functions.PreAggregateOrders;
import io.streamviz.job.functions.RecordText;
import io.streamviz.job.functions.RejectedRecordJson;
import io.streamviz.job.records.DimensionTotals;
import io.streamviz.job.records.Order;
import io.streamviz.job.records.OrderPartial;
import io.streamviz.job.records.RejectedRecord;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import org.apache.flink.api.common.eventtime.WatermarkStrategy;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.configuration.CheckpointingOptions;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.ExecutionOptions;
import org.apache.flink.configuration.ExternalizedCheckpointRetention;
import org.apache.flink.configuration.PipelineOptions;
import org.apache.flink.configuration.RestartStrategyOptions;
import org.apache.flink.configuration.StateBackendOptions;
import org.apache.flink.connector.base.DeliveryGuarantee;
import org.apache.flink.connector.kafka.sink.KafkaRecordSerializationSchema;
import org.apache.flink.connector.kafka.sink.KafkaSink;
import org.apache.flink.connector.kafka.source.KafkaSource;
import org.apache.flink.connector.kafka.source.enumerator.initializer.OffsetsInitializer;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.datastream.SingleOutputStreamOperator;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.kafka.clients.consumer.OffsetResetStrategy;

/**
 * The e-commerce job: orders from Kafka, validated, summed per region, category and event-time
 * minute, and shown on the live dashboard.
 *
 * <pre>
 * Kafka orders ─► parse ─┬─► watermarks ─► pre-aggregate ─┬─► region totals + minutes ──┐
 *                        │                                ├─► category totals ──────────┤
 *                        │                                └─► first order per customer  │
 *                        │                                    ─► customer count ────────┤
 *                        └─► rejected ─┬─► rejected count ──────────────────────────────┤
 *                                      └─► Kafka orders-dlq                             │
 *                                                                                       ▼
 *                                       history sampler ─► JDBC ◄─┬─ dashboard figures
 *                                                                 └─► dashboard
 * </pre>
 *
 * <p>Orders are added up per region and minute, per category and per new customer in the source's
 * own task ({@link PreAggregateOrders}) before any {@code keyBy}: the keyed operators and their
 * RocksDB state see a few partials per member and {@code --emit-interval}, not every order.
 *
 * <p>Every operator has a stable uid: savepoints map state to operators by these ids, so they must
 * never change.
 */
public final class EcommerceJob {
    private EcommerceJob() {}

    /** Entry point for {@code flink run}: the cluster's configuration supplies state locations. */
    public static void main(String[] args) throws Exception {
        JobOptions options;
        try {
            CommandLine commandLine =
                    CommandLine.parse(
                            List.of(args),
                            JobOptions.CLUSTER_VALUE_OPTIONS,
                            Set.of(),
                            System::getenv);
            options = JobOptions.from(commandLine);
            // On a cluster a DuckDB file in some task manager's working directory helps nobody:
            // history is kept only where --jdbc-url names a database (PostgreSQL, as a rule).
            if (commandLine.optionalString("jdbc-url", "STREAMVIZ_JDBC_URL") == null) {
                options = options.withHistory(null);
            }
        } catch (UsageException e) {
            throw new IllegalArgumentException(e.getMessage(), e);
        }
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
        env.configure(jobConfiguration(options));
        build(env, options);
        env.execute("StreamViz e-commerce");
    }

    /**
     * What the job itself insists on, wherever it runs: RocksDB with incremental checkpoints
     * retained on cancellation, exponential restart back-off, no silent Kryo fallback for any type,
     * and the settings its speed depends on.
     */
    public static Configuration jobConfiguration(JobOptions options) {
        Configuration conf = new Configuration();
        conf.set(StateBackendOptions.STATE_BACKEND, "rocksdb");
        conf.set(CheckpointingOptions.INCREMENTAL_CHECKPOINTS, true);
        conf.set(CheckpointingOptions.CHECKPOINTING_INTERVAL, options.checkpointInterval());
        conf.set(
                CheckpointingOptions.EXTERNALIZED_CHECKPOINT_RETENTION,
                ExternalizedCheckpointRetention.RETAIN_ON_CANCELLATION);
        conf.set(CheckpointingOptions.MAX_RETAINED_CHECKPOINTS, 2);
        conf.set(RestartStrategyOptions.RESTART_STRATEGY, "exponential-delay");
        conf.set(
                RestartStrategyOptions.RESTART_STRATEGY_EXPONENTIAL_DELAY_INITIAL_BACKOFF,
                Duration.ofMillis(500));
        conf.set(
                RestartStrategyOptions.RESTART_STRATEGY_EXPONENTIAL_DELAY_MAX_BACKOFF,
                Duration.ofSeconds(30));
        // No function keeps a reference to a record it was given, so chained operators may pass
        // records on without copying them.
        conf.set(PipelineOptions.OBJECT_REUSE, true);
        // After pre-aggregation the keyed edges carry a few records per flush: a network buffer
        // would wait the full timeout (100 ms by default) to fill, which the dashboard would show
        // as lag.
        conf.set(ExecutionOptions.BUFFER_TIMEOUT, Duration.ofMillis(10));
        conf.set(PipelineOptions.GENERIC_TYPES, false);
        conf.set(PipelineOptions.AUTO_GENERATE_UIDS, false);
        return conf;
    }

    /** Adds the job's operators to {@code env}: source, parse, aggregate, sinks. */
    public static void build(StreamExecutionEnvironment env, JobOptions options) {
        env.setParallelism(options.parallelism());
        long emitIntervalMs = options.emitInterval().toMillis();
        long allowedLatenessMs = options.allowedLateness().toMillis();

        DataStream<String> records =
                env.fromSource(
                                ordersSource(options),
                                WatermarkStrategy.noWatermarks(),
                                "Kafka orders")
                        .uid("orders-source");

        SingleOutputStreamOperator<Order> orders =
                records.process(new ParseOrders()).uid("parse-orders").name("Parse orders");
        DataStream<RejectedRecord> rejected = orders.getSideOutput(ParseOrders.REJECTED);
        DataStream<Order> timedOrders =
                orders.assignTimestampsAndWatermarks(watermarks(options))
                        .uid("order-watermarks")
                        .name("Event-time watermarks");

        SingleOutputStreamOperator<OrderPartial> regionPartials =
                timedOrders
                        .transform(
                                "Pre-aggregate orders",
                                TypeInformation.of(OrderPartial.class),
                                new PreAggregateOrders(emitIntervalMs))
                        .uid("pre-aggregate-orders");
        DataStream<DimensionTotals> regionTotals =
                regionPartials
                        .keyBy(partial -> partial.member)
                        .process(DimensionTotalsFunction.regions(allowedLatenessMs))
                        .uid("region-totals")
                        .name("Totals per region and minute");
        DataStream<DimensionTotals> categoryTotals =
                regionPartials
                        .getSideOutput(PreAggregateOrders.CATEGORIES)
                        .keyBy(partial -> partial.member)
                        .process(DimensionTotalsFunction.categories())
                        .uid("category-totals")
                        .name("Totals per category");
        DataStream<DimensionTotals> customerCount =
                regionPartials
                        .getSideOutput(PreAggregateOrders.CUSTOMERS)
                        .keyBy(customerId -> customerId)
                        .process(new FirstOrderPerCustomer())
                        .uid("first-order-per-customer")
                        .name("First order per customer")
                        .keyBy(customerId -> DimensionTotals.CUSTOMERS)
                        .process(DimensionTotalsFunction.customers(emitIntervalMs))
                        .uid("customer-count")
                        .name("Count customers");
        DataStream<DimensionTotals> rejectedCount =
                rejected.keyBy(record -> DimensionTotals.REJECTED)
                        .process(DimensionTotalsFunction.rejected(emitIntervalMs))
                        .uid("rejected-count")
                        .name("Count rejected records");

        DataStream<DashboardUpdate> dashboardUpdates =
                regionTotals
                        .union(categoryTotals, customerCount, rejectedCount)
                        .keyBy(totals -> DashboardFigures.SINGLE_KEY)
                        .process(new DashboardFigures(allowedLatenessMs))
                        .setParallelism(1)
                        .uid("dashboard-figures")
                        .name("Dashboard figures");

        dashboardUpdates
                .sinkTo(dashboardSink(options))
                .setParallelism(1)
                .uid("dashboard-sink")
                .name("Live dashboard");
        if (options.history() != null) {
            DashboardHistory.sinkTo(dashboardUpdates, options.history());
        }
        rejected.sinkTo(deadLetterSink(options)).uid("dead-letter-sink").name("Kafka orders-dlq");
    }

    private static KafkaSource<String> ordersSource(JobOptions options) {
        return KafkaSource.<String>builder()
                .setBootstrapServers(options.bootstrapServers())
                .setTopics(options.topic())
                .setGroupId(options.consumerGroup())
                // First start: everything in the topic. A restore resumes from the offsets in the
                // checkpoint, whatever this says.
                .setStartingOffsets(
                        OffsetsInitializer.committedOffsets(OffsetResetStrategy.EARLIEST))
                .setValueOnlyDeserializer(new RecordText())
                .build();
    }

    private static WatermarkStrategy<Order> watermarks(JobOptions options) {
        return WatermarkStrategy.<Order>forBoundedOutOfOrderness(options.outOfOrderness())
                .withTimestampAssigner((order, kafkaTimestamp) -> order.eventTimeMs)
                // A partition without orders must not hold back the minutes of the others.
                .withIdleness(Duration.ofSeconds(30));
    }

    /**
     * The sink of the live dashboard: publishing to a standalone server with {@code
     * --dashboard-url}, else embedded in the task manager that runs it.
     */
    public static DashboardSink dashboardSink(JobOptions options) {
        if (options.dashboardUrl() != null) {
            return DashboardSink.remote(EcommerceDashboard.dashboard(), options.dashboardUrl())
                    .token(options.token())
                    .build();
        }
        return DashboardSink.embedded(EcommerceDashboard.dashboard())
                .port(options.dashboardPort())
                .bindAddress(options.dashboardBindAddress())
                .token(options.token())
                .history(options.history())
                .build();
    }

    /**
     * Dead letters are written in Kafka transactions committed with each checkpoint, so a replay
     * after a failure does not write a rejected record twice (readers use read_committed).
     */
    private static KafkaSink<RejectedRecord> deadLetterSink(JobOptions options) {
        return KafkaSink.<RejectedRecord>builder()
                .setBootstrapServers(options.bootstrapServers())
                .setRecordSerializer(
                        KafkaRecordSerializationSchema.<RejectedRecord>builder()
                                .setTopic(options.deadLetterTopic())
                                .setValueSerializationSchema(new RejectedRecordJson())
                                .build())
                .setDeliveryGuarantee(DeliveryGuarantee.EXACTLY_ONCE)
                .setTransactionalIdPrefix("streamviz-" + options.deadLetterTopic())
                // Must not exceed the broker's transaction.max.timeout.ms (15 minutes by default).
                .setProperty("transaction.timeout.ms", "600000")
                .build();
    }
}
