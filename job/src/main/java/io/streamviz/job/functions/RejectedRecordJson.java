package io.streamviz.job.functions;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import io.streamviz.job.records.RejectedRecord;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import org.apache.flink.api.common.serialization.SerializationSchema;

/** Writes a rejected record as the dead-letter topic's {@code {"error": …, "record": …}}. */
public class RejectedRecordJson implements SerializationSchema<RejectedRecord> {
    private static final JsonFactory JSON = new JsonFactory();

    @Override
    public byte[] serialize(RejectedRecord rejected) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(64 + rejected.record.length());
        try (JsonGenerator json = JSON.createGenerator(bytes)) {
            json.writeStartObject();
            json.writeStringField("error", rejected.error);
            json.writeStringField("record", rejected.record);
            json.writeEndObject();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write a dead letter to memory", e);
        }
        return bytes.toByteArray();
    }
}
