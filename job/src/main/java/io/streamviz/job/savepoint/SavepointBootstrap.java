package io.streamviz.job.savepoint;

import io.streamviz.job.JobStateLayout;
import io.streamviz.job.functions.DashboardFigures;
import io.streamviz.job.functions.DimensionTotalsFunction;
import io.streamviz.job.records.DimensionTotals;
import io.streamviz.job.records.Totals;
import java.nio.file.Path;
import java.util.List;
import org.apache.flink.api.common.RuntimeExecutionMode;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.state.MapState;
import org.apache.flink.api.common.state.ValueState;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.state.api.OperatorIdentifier;
import org.apache.flink.state.api.OperatorTransformation;
import org.apache.flink.state.api.SavepointWriter;
import org.apache.flink.state.api.StateBootstrapTransformation;
import org.apache.flink.state.api.functions.KeyedStateBootstrapFunction;
import org.apache.flink.state.rocksdb.EmbeddedRocksDBStateBackend;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;

/**
 * Writes a savepoint of the job whose keyed state holds given running totals, so that a new
 * deployment continues from them instead of zero.
 *
 * <p>Only the running totals are written. Open minutes, pending emits and timers are left out: a
 * restored operator emits on the next record of its key. The Kafka source gets no state, so the job
 * starts from the consumer group's committed offsets, else from the earliest. The per-customer
 * "seen" flags cannot be rebuilt from totals, so a returning customer is counted again.
 */
public final class SavepointBootstrap {
    /**
     * Flink's default maximum parallelism for the parallelisms the job runs with; operators that
     * set none adopt the savepoint's on restore, so this also fixes how far the job can rescale.
     */
    public static final int MAX_PARALLELISM = 128;

    private record DimensionOperator(String uid, String dimension) {}

    /** The operators that keep one dimension's running totals, by uid. */
    private static final List<DimensionOperator> DIMENSION_OPERATORS =
            List.of(
                    new DimensionOperator(JobStateLayout.REGION_TOTALS, DimensionTotals.REGION),
                    new DimensionOperator(JobStateLayout.CATEGORY_TOTALS, DimensionTotals.CATEGORY),
                    new DimensionOperator(JobStateLayout.REJECTED_COUNT, DimensionTotals.REJECTED),
                    new DimensionOperator(
                            JobStateLayout.CUSTOMER_COUNT, DimensionTotals.CUSTOMERS));

    private SavepointBootstrap() {}

    /** Writes the savepoint into {@code target} (which must not exist yet) and waits for it. */
    public static void write(HistoryTotals totals, Path target) throws Exception {
        // Generic types stay enabled here, unlike in the job: the State Processor API passes its
        // own operator state between tasks with Kryo. Our state is written with the job's
        // serializers all the same, as the descriptors name them.
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
        env.setRuntimeMode(RuntimeExecutionMode.BATCH);
        env.setParallelism(1);

        List<DimensionTotals> members = totals.members();
        SavepointWriter savepoint =
                SavepointWriter.newSavepoint(
                        env, new EmbeddedRocksDBStateBackend(), MAX_PARALLELISM);
        for (DimensionOperator operator : DIMENSION_OPERATORS) {
            List<DimensionTotals> ofDimension =
                    members.stream()
                            .filter(member -> member.dimension.equals(operator.dimension()))
                            .toList();
            if (!ofDimension.isEmpty()) {
                savepoint.withOperator(
                        OperatorIdentifier.forUid(operator.uid()), runningTotals(env, ofDimension));
            }
        }
        savepoint.withOperator(
                OperatorIdentifier.forUid(JobStateLayout.DASHBOARD_FIGURES), figures(env, members));
        savepoint.write(target.toUri().toString());
        env.execute("StreamViz savepoint bootstrap");
    }

    private static StateBootstrapTransformation<DimensionTotals> runningTotals(
            StreamExecutionEnvironment env, List<DimensionTotals> members) {
        // Keyed as the job keys them: by region, by category, or by the counter's constant key,
        // which is the member name here.
        return OperatorTransformation.bootstrapWith(source(env, members))
                .keyBy(member -> member.member, TypeInformation.of(String.class))
                .transform(new RunningTotalsBootstrap());
    }

    private static StateBootstrapTransformation<DimensionTotals> figures(
            StreamExecutionEnvironment env, List<DimensionTotals> members) {
        return OperatorTransformation.bootstrapWith(source(env, members))
                .keyBy(member -> DashboardFigures.SINGLE_KEY, TypeInformation.of(String.class))
                .transform(new FiguresBootstrap());
    }

    private static DataStream<DimensionTotals> source(
            StreamExecutionEnvironment env, List<DimensionTotals> members) {
        return env.fromData(members, TypeInformation.of(DimensionTotals.class));
    }

    /** The running totals of {@link DimensionTotalsFunction}, one member per key. */
    static final class RunningTotalsBootstrap
            extends KeyedStateBootstrapFunction<String, DimensionTotals> {
        private transient ValueState<Totals> runningTotals;

        @Override
        public void open(OpenContext openContext) {
            runningTotals =
                    getRuntimeContext().getState(DimensionTotalsFunction.runningTotalsDescriptor());
        }

        @Override
        public void processElement(DimensionTotals member, Context ctx) throws Exception {
            runningTotals.update(member.totals());
        }
    }

    /** The figures of {@link DashboardFigures}: overall totals, regions, categories, rejected. */
    static final class FiguresBootstrap
            extends KeyedStateBootstrapFunction<String, DimensionTotals> {
        private transient ValueState<Totals> overall;
        private transient MapState<String, Totals> regions;
        private transient MapState<String, Totals> categories;
        private transient ValueState<Long> rejected;

        @Override
        public void open(OpenContext openContext) {
            overall = getRuntimeContext().getState(DashboardFigures.overallDescriptor());
            regions = getRuntimeContext().getMapState(DashboardFigures.regionsDescriptor());
            categories = getRuntimeContext().getMapState(DashboardFigures.categoriesDescriptor());
            rejected = getRuntimeContext().getState(DashboardFigures.rejectedDescriptor());
        }

        @Override
        public void processElement(DimensionTotals member, Context ctx) throws Exception {
            switch (member.dimension) {
                case DimensionTotals.REGION -> {
                    regions.put(member.member, member.totals());
                    // The overall totals are the sum of the regions, as DashboardFigures keeps
                    // them: each region's later update replaces exactly its part of this sum.
                    Totals sum = overall.value() == null ? new Totals() : overall.value();
                    sum.add(member.totals());
                    overall.update(sum);
                }
                case DimensionTotals.CATEGORY -> categories.put(member.member, member.totals());
                case DimensionTotals.REJECTED -> rejected.update(member.orders);
                default -> {
                    // Customers are not kept here: the count goes straight to the dashboard.
                }
            }
        }
    }
}
