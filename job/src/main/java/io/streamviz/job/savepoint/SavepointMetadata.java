package io.streamviz.job.savepoint;

import java.io.DataInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apache.flink.api.common.typeutils.TypeSerializerSnapshot;
import org.apache.flink.core.memory.DataInputViewStreamWrapper;
import org.apache.flink.runtime.checkpoint.Checkpoints;
import org.apache.flink.runtime.checkpoint.OperatorState;
import org.apache.flink.runtime.checkpoint.OperatorSubtaskState;
import org.apache.flink.runtime.checkpoint.metadata.CheckpointMetadata;
import org.apache.flink.runtime.jobgraph.OperatorID;
import org.apache.flink.runtime.state.AbstractIncrementalStateHandle;
import org.apache.flink.runtime.state.CompletedCheckpointStorageLocation;
import org.apache.flink.runtime.state.KeyGroupsStateHandle;
import org.apache.flink.runtime.state.KeyedBackendSerializationProxy;
import org.apache.flink.runtime.state.KeyedStateHandle;
import org.apache.flink.runtime.state.OperatorBackendSerializationProxy;
import org.apache.flink.runtime.state.OperatorStateHandle;
import org.apache.flink.runtime.state.StreamStateHandle;
import org.apache.flink.runtime.state.filesystem.AbstractFsCheckpointStorageAccess;
import org.apache.flink.runtime.state.metainfo.StateMetaInfoSnapshot;

/**
 * The metadata of a savepoint or retained checkpoint, read offline: which operators have state, and
 * the serializer snapshots their state was written with.
 *
 * <p>Reads canonical savepoints and native snapshots of the RocksDB (incremental or full) and heap
 * backends; only the metadata and the small header of each state file are read, not the state
 * itself.
 */
public final class SavepointMetadata {
    private final String pointer;
    private final CheckpointMetadata metadata;

    private SavepointMetadata(String pointer, CheckpointMetadata metadata) {
        this.pointer = pointer;
        this.metadata = metadata;
    }

    /** Loads the metadata of the savepoint at {@code path}: its directory or its _metadata file. */
    public static SavepointMetadata load(Path path) throws IOException {
        if (!Files.exists(path)) {
            throw new IOException("no savepoint at " + path + ": it does not exist");
        }
        String pointer = pointer(path);
        CompletedCheckpointStorageLocation location =
                AbstractFsCheckpointStorageAccess.resolveCheckpointPointer(pointer);
        try (InputStream in = location.getMetadataHandle().openInputStream()) {
            CheckpointMetadata metadata =
                    Checkpoints.loadCheckpointMetadata(
                            new DataInputStream(in),
                            SavepointMetadata.class.getClassLoader(),
                            location.getExternalPointer());
            return new SavepointMetadata(location.getExternalPointer(), metadata);
        }
    }

    /** The savepoint's location as Flink names it (a URI of its directory). */
    public static String pointer(Path path) {
        return path.toAbsolutePath().normalize().toUri().toString();
    }

    public String pointer() {
        return pointer;
    }

    public long checkpointId() {
        return metadata.getCheckpointId();
    }

    /** Every operator the savepoint names, with state or without. */
    public List<StoredOperator> operators() {
        List<StoredOperator> operators = new ArrayList<>();
        for (OperatorState state : metadata.getOperatorStates()) {
            operators.add(new StoredOperator(state));
        }
        return operators;
    }

    /** One operator's entry in the savepoint. */
    public static final class StoredOperator {
        private final OperatorState state;

        StoredOperator(OperatorState state) {
            this.state = state;
        }

        public OperatorID id() {
            return state.getOperatorID();
        }

        /** The uid, when the savepoint recorded it (Flink 1.19 and later do). */
        public Optional<String> uid() {
            return state.getOperatorUid().filter(uid -> !uid.isEmpty());
        }

        public Optional<String> name() {
            return state.getOperatorName().filter(name -> !name.isEmpty());
        }

        /** How a person recognises the operator: its uid, else its name and id. */
        public String label() {
            return uid().orElseGet(() -> name().orElse("unnamed") + " (id " + id() + ")");
        }

        public int maxParallelism() {
            return state.getMaxParallelism();
        }

        /**
         * Whether a restore must find this operator in the job: Flink skips operators that have
         * nothing stored, and refuses the rest without {@code --allow-non-restored-state}.
         */
        public boolean hasState() {
            if (state.getCoordinatorState() != null) {
                return true;
            }
            return state.getStates().stream().anyMatch(OperatorSubtaskState::hasState);
        }

        /** The keyed state's key serializer snapshot and state meta data, if it has keyed state. */
        public Optional<StoredKeyedState> keyedState() throws IOException {
            TypeSerializerSnapshot<?> keySerializer = null;
            Map<String, StateMetaInfoSnapshot> states = new LinkedHashMap<>();
            for (OperatorSubtaskState subtask : state.getStates()) {
                for (KeyedStateHandle handle : subtask.getManagedKeyedState()) {
                    StreamStateHandle header = keyedStateHeader(handle);
                    try (InputStream in = header.openInputStream()) {
                        KeyedBackendSerializationProxy<?> proxy =
                                new KeyedBackendSerializationProxy<>(classLoader());
                        proxy.read(new DataInputViewStreamWrapper(in));
                        keySerializer = proxy.getKeySerializerSnapshot();
                        proxy.getStateMetaInfoSnapshots()
                                .forEach(info -> states.putIfAbsent(info.getName(), info));
                    }
                }
            }
            if (keySerializer == null) {
                return Optional.empty();
            }
            return Optional.of(new StoredKeyedState(keySerializer, List.copyOf(states.values())));
        }

        /** The meta data of the operator (non-keyed) state, by state name. */
        public List<StateMetaInfoSnapshot> operatorStates() throws IOException {
            Map<String, StateMetaInfoSnapshot> states = new LinkedHashMap<>();
            for (OperatorSubtaskState subtask : state.getStates()) {
                for (OperatorStateHandle handle : subtask.getManagedOperatorState()) {
                    try (InputStream in = handle.openInputStream()) {
                        OperatorBackendSerializationProxy proxy =
                                new OperatorBackendSerializationProxy(classLoader());
                        proxy.read(new DataInputViewStreamWrapper(in));
                        proxy.getOperatorStateMetaInfoSnapshots()
                                .forEach(info -> states.putIfAbsent(info.getName(), info));
                        proxy.getBroadcastStateMetaInfoSnapshots()
                                .forEach(info -> states.putIfAbsent(info.getName(), info));
                    }
                }
            }
            return List.copyOf(states.values());
        }

        private static StreamStateHandle keyedStateHeader(KeyedStateHandle handle)
                throws IOException {
            // Incremental RocksDB checkpoints keep the header in a file of its own; canonical
            // savepoints and full snapshots start their one stream with it.
            if (handle instanceof AbstractIncrementalStateHandle incremental) {
                return incremental.getMetaDataStateHandle();
            }
            if (handle instanceof KeyGroupsStateHandle keyGroups) {
                return keyGroups;
            }
            throw new IOException(
                    "keyed state stored as "
                            + handle.getClass().getSimpleName()
                            + " cannot be read offline (changelog state backend?)");
        }
    }

    /** What a keyed operator's state was written with. */
    public record StoredKeyedState(
            TypeSerializerSnapshot<?> keySerializer, List<StateMetaInfoSnapshot> states) {}

    private static ClassLoader classLoader() {
        return SavepointMetadata.class.getClassLoader();
    }
}
