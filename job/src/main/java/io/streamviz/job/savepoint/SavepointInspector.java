package io.streamviz.job.savepoint;

import io.streamviz.dashboard.DashboardState;
import io.streamviz.dashboard.DashboardState.ChartState;
import io.streamviz.dashboard.DashboardState.TableState;
import io.streamviz.dashboard.flink.DashboardSink;
import io.streamviz.job.EcommerceDashboard;
import io.streamviz.job.JobStateLayout;
import io.streamviz.job.functions.DashboardFigures;
import io.streamviz.job.records.Totals;
import io.streamviz.job.savepoint.SavepointContents.DashboardBuffers;
import io.streamviz.job.savepoint.SavepointContents.Figures;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SortedMap;
import java.util.TreeMap;
import org.apache.flink.api.common.RuntimeExecutionMode;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.state.MapState;
import org.apache.flink.api.common.state.ValueState;
import org.apache.flink.api.common.typeinfo.PrimitiveArrayTypeInfo;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.ExecutionOptions;
import org.apache.flink.core.io.SimpleVersionedSerialization;
import org.apache.flink.core.io.SimpleVersionedSerializer;
import org.apache.flink.runtime.jobgraph.OperatorID;
import org.apache.flink.state.api.OperatorIdentifier;
import org.apache.flink.state.api.SavepointReader;
import org.apache.flink.state.api.functions.KeyedStateReaderFunction;
import org.apache.flink.state.api.runtime.OperatorIDGenerator;
import org.apache.flink.state.rocksdb.EmbeddedRocksDBStateBackend;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.util.CloseableIterator;
import org.apache.flink.util.Collector;

/**
 * Reads a savepoint or retained checkpoint of the e-commerce job offline, with Flink's State
 * Processor API on a local environment in this process.
 */
public final class SavepointInspector {
    /** Sink V2 writers keep their state under this name, as versioned bytes of the sink. */
    static final String WRITER_STATE_NAME = "writer_raw_states";

    private SavepointInspector() {}

    public static SavepointContents read(Path path) throws Exception {
        SavepointMetadata metadata = SavepointMetadata.load(path);
        // By id, not by the uid the metadata may record: older savepoints do not record it.
        Set<OperatorID> withState = new HashSet<>();
        metadata.operators().stream()
                .filter(SavepointMetadata.StoredOperator::hasState)
                .forEach(operator -> withState.add(operator.id()));

        Configuration conf = new Configuration();
        conf.set(ExecutionOptions.RUNTIME_MODE, RuntimeExecutionMode.BATCH);
        StreamExecutionEnvironment env = StreamExecutionEnvironment.createLocalEnvironment(conf);
        env.setParallelism(1);
        // RocksDB reads the retained incremental checkpoints as well as canonical savepoints.
        SavepointReader reader =
                SavepointReader.read(env, metadata.pointer(), new EmbeddedRocksDBStateBackend());

        Figures figures =
                withState.contains(OperatorIDGenerator.fromUid(JobStateLayout.DASHBOARD_FIGURES))
                        ? readFigures(reader)
                        : null;
        DashboardBuffers dashboard =
                withState.contains(OperatorIDGenerator.fromUid(JobStateLayout.DASHBOARD_SINK))
                        ? readDashboard(reader)
                        : null;
        return new SavepointContents(
                metadata.pointer(), metadata.checkpointId(), figures, dashboard);
    }

    private static Figures readFigures(SavepointReader reader) throws Exception {
        DataStream<FigureRow> rows =
                reader.readKeyedState(
                        OperatorIdentifier.forUid(JobStateLayout.DASHBOARD_FIGURES),
                        new FiguresReader(),
                        Types.STRING,
                        TypeInformation.of(FigureRow.class));
        Totals overall = new Totals();
        SortedMap<String, Totals> regions = new TreeMap<>();
        SortedMap<String, Totals> categories = new TreeMap<>();
        SortedMap<Long, SortedMap<String, Totals>> openMinutes = new TreeMap<>();
        long rejected = 0;
        for (FigureRow row : collect(rows)) {
            Totals totals = new Totals(row.revenueCents, row.orders);
            switch (row.kind) {
                case FigureRow.OVERALL -> overall = totals;
                case FigureRow.REGION -> regions.put(row.member, totals);
                case FigureRow.CATEGORY -> categories.put(row.member, totals);
                case FigureRow.MINUTE ->
                        openMinutes
                                .computeIfAbsent(row.minuteStartMs, minute -> new TreeMap<>())
                                .put(row.member, totals);
                case FigureRow.REJECTED -> rejected = row.orders;
                default -> throw new IllegalStateException("unknown row kind " + row.kind);
            }
        }
        return new Figures(overall, regions, categories, openMinutes, rejected);
    }

    private static DashboardBuffers readDashboard(SavepointReader reader) throws Exception {
        DataStream<byte[]> states =
                reader.readListState(
                        OperatorIdentifier.forUid(JobStateLayout.DASHBOARD_SINK),
                        WRITER_STATE_NAME,
                        PrimitiveArrayTypeInfo.BYTE_PRIMITIVE_ARRAY_TYPE_INFO);
        SimpleVersionedSerializer<DashboardState> serializer =
                DashboardSink.embedded(EcommerceDashboard.dashboard())
                        .build()
                        .getWriterStateSerializer();
        List<String> widgets = new ArrayList<>();
        Map<String, Integer> chartPoints = new TreeMap<>();
        Map<String, Integer> tableRows = new TreeMap<>();
        // One state per sink subtask; the job runs the sink with parallelism 1.
        for (byte[] bytes : collect(states)) {
            DashboardState state =
                    SimpleVersionedSerialization.readVersionAndDeSerialize(serializer, bytes);
            widgets.addAll(state.widgets().keySet());
            state.widgets()
                    .forEach(
                            (id, widget) -> {
                                if (widget instanceof ChartState chart) {
                                    chartPoints.merge(id, chart.points().size(), Integer::sum);
                                } else if (widget instanceof TableState table) {
                                    tableRows.merge(id, table.rows().size(), Integer::sum);
                                }
                            });
        }
        return new DashboardBuffers(widgets, chartPoints, tableRows);
    }

    private static <T> List<T> collect(DataStream<T> stream) throws Exception {
        List<T> values = new ArrayList<>();
        try (CloseableIterator<T> iterator = stream.executeAndCollect("savepoint inspect")) {
            iterator.forEachRemaining(values::add);
        }
        return values;
    }

    /** One figure of the dashboard-figures state, flat so that Flink serializes it as a POJO. */
    public static class FigureRow {
        static final String OVERALL = "overall";
        static final String REGION = "region";
        static final String CATEGORY = "category";
        static final String MINUTE = "minute";
        static final String REJECTED = "rejected";

        public String kind;
        public String member = "";
        public long minuteStartMs;
        public long revenueCents;
        public long orders;

        public FigureRow() {}

        FigureRow(String kind, String member, long minuteStartMs, Totals totals) {
            this.kind = kind;
            this.member = member;
            this.minuteStartMs = minuteStartMs;
            this.revenueCents = totals.revenueCents;
            this.orders = totals.orders;
        }
    }

    /** Reads the state of dashboard-figures with the descriptors the function itself uses. */
    static final class FiguresReader extends KeyedStateReaderFunction<String, FigureRow> {
        private transient ValueState<Totals> overall;
        private transient MapState<String, Totals> regions;
        private transient MapState<String, Totals> categories;
        private transient MapState<Long, Map<String, Totals>> openMinutes;
        private transient ValueState<Long> rejected;

        @Override
        public void open(OpenContext openContext) {
            overall = getRuntimeContext().getState(DashboardFigures.overallDescriptor());
            regions = getRuntimeContext().getMapState(DashboardFigures.regionsDescriptor());
            categories = getRuntimeContext().getMapState(DashboardFigures.categoriesDescriptor());
            openMinutes = getRuntimeContext().getMapState(DashboardFigures.openMinutesDescriptor());
            rejected = getRuntimeContext().getState(DashboardFigures.rejectedDescriptor());
        }

        @Override
        public void readKey(String key, Context ctx, Collector<FigureRow> out) throws Exception {
            if (overall.value() != null) {
                out.collect(new FigureRow(FigureRow.OVERALL, "", 0, overall.value()));
            }
            for (Map.Entry<String, Totals> region : regions.entries()) {
                out.collect(new FigureRow(FigureRow.REGION, region.getKey(), 0, region.getValue()));
            }
            for (Map.Entry<String, Totals> category : categories.entries()) {
                out.collect(
                        new FigureRow(
                                FigureRow.CATEGORY, category.getKey(), 0, category.getValue()));
            }
            for (Map.Entry<Long, Map<String, Totals>> minute : openMinutes.entries()) {
                for (Map.Entry<String, Totals> region : minute.getValue().entrySet()) {
                    out.collect(
                            new FigureRow(
                                    FigureRow.MINUTE,
                                    region.getKey(),
                                    minute.getKey(),
                                    region.getValue()));
                }
            }
            if (rejected.value() != null) {
                out.collect(
                        new FigureRow(FigureRow.REJECTED, "", 0, new Totals(0, rejected.value())));
            }
        }
    }
}
