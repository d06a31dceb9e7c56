package io.streamviz.dashboard.history;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamWriteFeature;
import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A table row's cells as the JSON text of {@code table_rows.row}. Decimals are written digit for
 * digit and read back as BigDecimal with their scale, so money stays exact; whole numbers read back
 * as Long. A Double cell reads back as the BigDecimal of its decimal text.
 */
final class TableRowJson {
    private static final JsonFactory JSON =
            JsonFactory.builder().enable(StreamWriteFeature.WRITE_BIGDECIMAL_AS_PLAIN).build();

    private TableRowJson() {}

    static String encode(Map<String, Object> row) {
        StringWriter out = new StringWriter();
        try (JsonGenerator json = JSON.createGenerator(out)) {
            json.writeStartObject();
            for (Map.Entry<String, Object> cell : row.entrySet()) {
                json.writeFieldName(cell.getKey());
                Object value = cell.getValue();
                if (value instanceof String s) {
                    json.writeString(s);
                } else if (value instanceof Long l) {
                    json.writeNumber(l);
                } else if (value instanceof BigDecimal d) {
                    json.writeNumber(d);
                } else if (value instanceof Double d) {
                    json.writeNumber(d);
                } else {
                    json.writeBoolean((Boolean) value);
                }
            }
            json.writeEndObject();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write a table row as JSON", e);
        }
        return out.toString();
    }

    static Map<String, Object> decode(String text) {
        Map<String, Object> row = new LinkedHashMap<>();
        try (JsonParser json = JSON.createParser(text)) {
            if (json.nextToken() != JsonToken.START_OBJECT) {
                throw new IllegalArgumentException("table row is not a JSON object: " + text);
            }
            while (json.nextToken() == JsonToken.FIELD_NAME) {
                String column = json.currentName();
                JsonToken token = json.nextToken();
                Object value =
                        switch (token) {
                            case VALUE_STRING -> json.getText();
                            case VALUE_NUMBER_INT -> json.getLongValue();
                            case VALUE_NUMBER_FLOAT -> new BigDecimal(json.getText());
                            case VALUE_TRUE, VALUE_FALSE -> json.getBooleanValue();
                            default ->
                                    throw new IllegalArgumentException(
                                            "table row cell '"
                                                    + column
                                                    + "' is "
                                                    + token
                                                    + ": "
                                                    + text);
                        };
                row.put(column, value);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read table row JSON: " + text, e);
        }
        return row;
    }
}
