package io.streamviz.dashboard.flink;

import io.streamviz.dashboard.DashboardUpdate;
import java.lang.reflect.Type;
import java.util.Map;
import org.apache.flink.api.common.serialization.SerializerConfig;
import org.apache.flink.api.common.typeinfo.TypeInfoFactory;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeutils.TypeSerializer;

/**
 * Flink's type information for {@link DashboardUpdate}, which names {@link
 * DashboardUpdateSerializer}. {@code DashboardUpdate} carries a {@code @TypeInfo} annotation
 * pointing at {@link Factory}, so a job's streams of updates find it without any {@code
 * returns(...)}.
 */
public final class DashboardUpdateTypeInfo extends TypeInformation<DashboardUpdate> {
    private static final long serialVersionUID = 1L;

    public static final DashboardUpdateTypeInfo INSTANCE = new DashboardUpdateTypeInfo();

    @Override
    public boolean isBasicType() {
        return false;
    }

    @Override
    public boolean isTupleType() {
        return false;
    }

    @Override
    public int getArity() {
        return 1;
    }

    @Override
    public int getTotalFields() {
        return 1;
    }

    @Override
    public Class<DashboardUpdate> getTypeClass() {
        return DashboardUpdate.class;
    }

    @Override
    public boolean isKeyType() {
        return false;
    }

    @Override
    public TypeSerializer<DashboardUpdate> createSerializer(SerializerConfig config) {
        return DashboardUpdateSerializer.INSTANCE;
    }

    @Override
    public String toString() {
        return "DashboardUpdate";
    }

    @Override
    public boolean equals(Object obj) {
        return obj instanceof DashboardUpdateTypeInfo;
    }

    @Override
    public int hashCode() {
        return DashboardUpdateTypeInfo.class.hashCode();
    }

    @Override
    public boolean canEqual(Object obj) {
        return obj instanceof DashboardUpdateTypeInfo;
    }

    /** Named by the {@code @TypeInfo} annotation on {@link DashboardUpdate}. */
    public static final class Factory extends TypeInfoFactory<DashboardUpdate> {
        @Override
        public TypeInformation<DashboardUpdate> createTypeInfo(
                Type type, Map<String, TypeInformation<?>> genericParameters) {
            return INSTANCE;
        }
    }
}
