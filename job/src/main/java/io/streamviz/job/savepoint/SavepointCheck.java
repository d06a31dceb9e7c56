package io.streamviz.job.savepoint;

import io.streamviz.job.JobStateLayout;
import io.streamviz.job.JobStateLayout.KeyedOperator;
import io.streamviz.job.savepoint.SavepointMetadata.StoredKeyedState;
import io.streamviz.job.savepoint.SavepointMetadata.StoredOperator;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.apache.flink.api.common.ExecutionConfig;
import org.apache.flink.api.common.state.StateDescriptor;
import org.apache.flink.api.common.typeutils.TypeSerializer;
import org.apache.flink.api.common.typeutils.TypeSerializerSchemaCompatibility;
import org.apache.flink.api.common.typeutils.TypeSerializerSnapshot;
import org.apache.flink.core.memory.DataOutputSerializer;
import org.apache.flink.runtime.OperatorIDPair;
import org.apache.flink.runtime.jobgraph.JobGraph;
import org.apache.flink.runtime.jobgraph.JobVertex;
import org.apache.flink.runtime.jobgraph.OperatorID;
import org.apache.flink.runtime.state.metainfo.StateMetaInfoSnapshot;
import org.apache.flink.runtime.state.metainfo.StateMetaInfoSnapshot.BackendStateType;
import org.apache.flink.runtime.state.metainfo.StateMetaInfoSnapshot.CommonOptionsKeys;
import org.apache.flink.runtime.state.metainfo.StateMetaInfoSnapshot.CommonSerializerKeys;
import org.apache.flink.state.api.runtime.OperatorIDGenerator;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.streaming.api.graph.StreamGraph;
import org.apache.flink.streaming.api.graph.StreamNode;
import org.apache.flink.util.StringUtils;

/**
 * Tells, without starting anything, whether a job as built now can restore a savepoint: operators
 * matched by uid, and the keyed state of {@link JobStateLayout} checked serializer by serializer
 * the way Flink checks it on restore.
 *
 * <p>What it cannot see: state of operators outside the layout (Flink's and the connectors') is
 * only checked for Kryo, not for compatibility; a changed meaning of unchanged bytes (cents read as
 * dollars) passes; and a restore can still fail for reasons outside the savepoint (a missing Kafka
 * topic, a class renamed inside a serializer snapshot that loads only at restore).
 */
public final class SavepointCheck {
    private static final byte[] KRYO_SNAPSHOT =
            "kryo.KryoSerializerSnapshot".getBytes(StandardCharsets.UTF_8);

    private SavepointCheck() {}

    /** How much a finding matters for the restore. */
    public enum Severity {
        /** The restore fails, or loses state it should not. */
        BLOCKER,
        /** The restore works, but something deserves a look. */
        WARNING,
        /** For information: how the restore will treat something. */
        NOTE
    }

    /** One finding: what is the matter, and what to do about it (empty when nothing). */
    public record Finding(Severity severity, String what, String todo) {}

    /** The outcome of a check. */
    public record Report(String savepoint, long checkpointId, List<Finding> findings) {
        public Report {
            findings = List.copyOf(findings);
        }

        /** True when the job can restore the savepoint: nothing blocks it. */
        public boolean safe() {
            return findings.stream().noneMatch(f -> f.severity() == Severity.BLOCKER);
        }
    }

    /**
     * Checks {@code savepoint} against the job built on {@code job}, whose keyed state {@code
     * layout} describes.
     *
     * @param allowNonRestoredState whether the job will be started with {@code
     *     --allow-non-restored-state}, which drops state of operators it no longer has
     */
    public static Report check(
            SavepointMetadata savepoint,
            StreamExecutionEnvironment job,
            JobStateLayout layout,
            boolean allowNonRestoredState)
            throws IOException {
        StreamGraph streamGraph = job.getStreamGraph(false);
        Map<OperatorID, StreamNode> jobOperators = operatorsById(streamGraph);
        ExecutionConfig executionConfig = job.getConfig();
        List<Finding> findings = new ArrayList<>();
        Set<OperatorID> inSavepoint = new HashSet<>();

        for (StoredOperator stored : savepoint.operators()) {
            inSavepoint.add(stored.id());
            StreamNode node = jobOperators.get(stored.id());
            if (!stored.hasState()) {
                continue;
            }
            if (node == null) {
                findings.add(missingOperator(stored, allowNonRestoredState));
                continue;
            }
            String uid = node.getTransformationUID();
            if (node.getMaxParallelism() > 0
                    && node.getMaxParallelism() != stored.maxParallelism()) {
                findings.add(
                        new Finding(
                                Severity.BLOCKER,
                                "operator '"
                                        + uid
                                        + "' was saved with max parallelism "
                                        + stored.maxParallelism()
                                        + ", the job now sets "
                                        + node.getMaxParallelism(),
                                "set the max parallelism back to "
                                        + stored.maxParallelism()
                                        + ": keyed state cannot be redistributed to another"));
            }
            Optional<KeyedOperator> keyed = layout.keyed(uid);
            Optional<StoredKeyedState> storedKeyed = stored.keyedState();
            if (keyed.isPresent() && storedKeyed.isPresent()) {
                checkKeyedState(keyed.get(), storedKeyed.get(), executionConfig, findings);
            } else if (storedKeyed.isPresent()) {
                checkForKryo(uid, storedKeyed.get().states(), findings);
            }
            checkForKryo(uid, stored.operatorStates(), findings);
        }

        for (Map.Entry<OperatorID, StreamNode> operator : jobOperators.entrySet()) {
            if (!inSavepoint.contains(operator.getKey())) {
                findings.add(
                        new Finding(
                                Severity.NOTE,
                                "operator '"
                                        + operator.getValue().getTransformationUID()
                                        + "' is new in the job: it starts with empty state",
                                ""));
            }
        }
        return new Report(savepoint.pointer(), savepoint.checkpointId(), findings);
    }

    private static Finding missingOperator(StoredOperator stored, boolean allowNonRestoredState) {
        String what = "state of operator '" + stored.label() + "' has no operator in the job";
        if (allowNonRestoredState) {
            return new Finding(
                    Severity.WARNING,
                    what,
                    "--allow-non-restored-state drops it; if the operator was renamed, give it"
                            + " back its uid instead");
        }
        return new Finding(
                Severity.BLOCKER,
                what,
                "if the operator was renamed, give it back .uid(\""
                        + stored.uid().orElse("<old uid>")
                        + "\"); if it was removed on purpose, start with"
                        + " --allow-non-restored-state to drop its state");
    }

    /**
     * The operators of the job by the id their state is saved under. An operator's id derives from
     * its uid alone (or is set explicitly with a uid hash), so it is stable across builds; the job
     * graph's own ids are asked too so that a difference in how Flink derives them is not missed.
     */
    private static Map<OperatorID, StreamNode> operatorsById(StreamGraph streamGraph) {
        Set<OperatorID> jobGraphIds = new HashSet<>();
        JobGraph jobGraph = streamGraph.getJobGraph();
        for (JobVertex vertex : jobGraph.getVertices()) {
            for (OperatorIDPair pair : vertex.getOperatorIDs()) {
                jobGraphIds.add(pair.getGeneratedOperatorID());
                pair.getUserDefinedOperatorID().ifPresent(jobGraphIds::add);
            }
        }
        Map<OperatorID, StreamNode> operators = new LinkedHashMap<>();
        for (StreamNode node : streamGraph.getStreamNodes()) {
            OperatorID id;
            if (node.getUserHash() != null) {
                id = new OperatorID(StringUtils.hexStringToByte(node.getUserHash()));
            } else if (node.getTransformationUID() != null) {
                id = OperatorIDGenerator.fromUid(node.getTransformationUID());
            } else {
                throw new IllegalStateException(
                        "operator '" + node.getOperatorName() + "' has no uid");
            }
            if (!jobGraphIds.contains(id)) {
                throw new IllegalStateException(
                        "operator '"
                                + node.getTransformationUID()
                                + "' has id "
                                + id
                                + " in no vertex of the job graph");
            }
            operators.put(id, node);
        }
        return operators;
    }

    private static void checkKeyedState(
            KeyedOperator current,
            StoredKeyedState stored,
            ExecutionConfig executionConfig,
            List<Finding> findings) {
        String uid = current.uid();
        TypeSerializer<?> keySerializer =
                current.keyType().createSerializer(executionConfig.getSerializerConfig());
        if (compatibility(keySerializer, stored.keySerializer()).isIncompatible()) {
            findings.add(
                    new Finding(
                            Severity.BLOCKER,
                            "operator '"
                                    + uid
                                    + "' keys its state by "
                                    + describe(keySerializer)
                                    + " now, the savepoint by "
                                    + describe(stored.keySerializer()),
                            "keep the old key type; keyed state cannot be migrated to another"
                                    + " key type on restore"));
        }
        Set<String> storedNames = new HashSet<>();
        for (StateMetaInfoSnapshot info : stored.states()) {
            storedNames.add(info.getName());
            if (info.getBackendStateType() == BackendStateType.PRIORITY_QUEUE) {
                continue; // timers: Flink's own, derived from the key serializer checked above
            }
            Optional<StateDescriptor<?, ?>> descriptor = current.state(info.getName());
            if (descriptor.isEmpty()) {
                findings.add(
                        new Finding(
                                Severity.NOTE,
                                "state '"
                                        + info.getName()
                                        + "' of operator '"
                                        + uid
                                        + "' is no longer used by the job: it is restored but"
                                        + " never read",
                                ""));
                continue;
            }
            checkState(uid, descriptor.get(), info, executionConfig, findings);
        }
        checkForKryo(uid, stored.states(), findings);
        for (StateDescriptor<?, ?> descriptor : current.states()) {
            if (!storedNames.contains(descriptor.getName())) {
                findings.add(
                        new Finding(
                                Severity.NOTE,
                                "state '"
                                        + descriptor.getName()
                                        + "' of operator '"
                                        + uid
                                        + "' is new: it starts empty",
                                ""));
            }
        }
    }

    private static void checkState(
            String uid,
            StateDescriptor<?, ?> descriptor,
            StateMetaInfoSnapshot stored,
            ExecutionConfig executionConfig,
            List<Finding> findings) {
        String state = "state '" + descriptor.getName() + "' of operator '" + uid + "'";
        String storedType = stored.getOption(CommonOptionsKeys.KEYED_STATE_TYPE);
        if (storedType != null && !storedType.equals(descriptor.getType().name())) {
            findings.add(
                    new Finding(
                            Severity.BLOCKER,
                            state
                                    + " was a "
                                    + storedType
                                    + " state, is now a "
                                    + descriptor.getType(),
                            "keep it a "
                                    + storedType
                                    + " state, or give the new one another name (the old one"
                                    + " is then dropped)"));
            return;
        }
        descriptor.initializeSerializerUnlessSet(executionConfig);
        TypeSerializer<?> current = descriptor.getSerializer();
        TypeSerializerSnapshot<?> previous =
                stored.getTypeSerializerSnapshot(CommonSerializerKeys.VALUE_SERIALIZER);
        if (previous == null) {
            return;
        }
        TypeSerializerSchemaCompatibility<?> compatibility = compatibility(current, previous);
        if (compatibility.isIncompatible()) {
            findings.add(
                    new Finding(
                            Severity.BLOCKER,
                            state
                                    + " was written as "
                                    + describe(previous)
                                    + ", which the job's "
                                    + describe(current)
                                    + " cannot read",
                            "keep the old type, or add a state migration: read the savepoint with"
                                    + " the old type (State Processor API) and write a new one with"
                                    + " the new type, or give the state a new name to start it"
                                    + " empty"));
        } else if (compatibility.isCompatibleAfterMigration()) {
            findings.add(
                    new Finding(
                            Severity.NOTE,
                            state
                                    + " changed its schema: Flink migrates it on restore, reading"
                                    + " and rewriting every entry",
                            ""));
        }
    }

    @SuppressWarnings({"unchecked", "rawtypes"})
    private static TypeSerializerSchemaCompatibility<?> compatibility(
            TypeSerializer<?> current, TypeSerializerSnapshot<?> previous) {
        // Flink's own rule on restore: the new serializer's snapshot judges the old one.
        TypeSerializerSnapshot currentSnapshot = current.snapshotConfiguration();
        return currentSnapshot.resolveSchemaCompatibility(previous);
    }

    /**
     * Kryo-written state cannot evolve: a change of the class breaks it without a schema check.
     * Serializer snapshots do not all expose their nested snapshots (POJO snapshots do not), but
     * every snapshot writes the class names of those it nests, so the written form tells.
     */
    private static void checkForKryo(
            String uid, List<StateMetaInfoSnapshot> states, List<Finding> findings) {
        for (StateMetaInfoSnapshot info : states) {
            for (TypeSerializerSnapshot<?> snapshot :
                    info.getSerializerSnapshotsImmutable().values()) {
                if (writtenWithKryo(snapshot)) {
                    findings.add(
                            new Finding(
                                    Severity.WARNING,
                                    "state '"
                                            + info.getName()
                                            + "' of operator '"
                                            + uid
                                            + "' was written with Kryo",
                                    "give its type a Flink serializer (a POJO or an explicit"
                                            + " TypeInformation) and migrate the state with the"
                                            + " State Processor API"));
                    break;
                }
            }
        }
    }

    private static boolean writtenWithKryo(TypeSerializerSnapshot<?> snapshot) {
        DataOutputSerializer out = new DataOutputSerializer(256);
        try {
            TypeSerializerSnapshot.writeVersionedSnapshot(out, snapshot);
        } catch (IOException e) {
            throw new IllegalStateException("cannot write serializer snapshot " + snapshot, e);
        }
        return indexOf(out.getCopyOfBuffer(), KRYO_SNAPSHOT) >= 0;
    }

    private static int indexOf(byte[] haystack, byte[] needle) {
        outer:
        for (int i = 0; i + needle.length <= haystack.length; i++) {
            for (int j = 0; j < needle.length; j++) {
                if (haystack[i + j] != needle[j]) {
                    continue outer;
                }
            }
            return i;
        }
        return -1;
    }

    private static String describe(TypeSerializer<?> serializer) {
        return serializer.getClass().getSimpleName();
    }

    private static String describe(TypeSerializerSnapshot<?> snapshot) {
        return snapshot.restoreSerializer().getClass().getSimpleName();
    }
}
