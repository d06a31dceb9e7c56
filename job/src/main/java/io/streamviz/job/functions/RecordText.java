package io.streamviz.job.functions;

import java.nio.charset.StandardCharsets;
import org.apache.flink.api.common.serialization.DeserializationSchema;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeinfo.Types;

/**
 * A Kafka record's value as text. Unlike Flink's {@code SimpleStringSchema} it turns a record
 * without a value (a tombstone) into an empty string, which the parser then rejects, instead of
 * failing the job.
 */
public class RecordText implements DeserializationSchema<String> {
    @Override
    public String deserialize(byte[] message) {
        return message == null ? "" : new String(message, StandardCharsets.UTF_8);
    }

    @Override
    public boolean isEndOfStream(String nextElement) {
        return false;
    }

    @Override
    public TypeInformation<String> getProducedType() {
        return Types.STRING;
    }
}
