package io.streamviz.dashboard.internal;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.streamviz.dashboard.ChartPointUpdate;
import io.streamviz.dashboard.DashboardState;
import io.streamviz.dashboard.DashboardUpdate;
import io.streamviz.dashboard.GaugeUpdate;
import io.streamviz.dashboard.StatUpdate;
import io.streamviz.dashboard.TableRowDelete;
import io.streamviz.dashboard.TableRowUpsert;
import java.io.IOException;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The ingest protocol: how a job's remote dashboard sink publishes to a standalone dashboard server
 * over the WebSocket {@code GET /ingest} (with the server's token, if it has one, as {@code
 * Authorization: Bearer <token>}). Text frames, one JSON object each.
 *
 * <p>A sink writer names itself by an <em>epoch</em>, a string unique to that writer instance (a
 * new one on every task start, restore or restart), and numbers its messages {@code seq} 1, 2, 3 …
 * within the epoch. The server remembers, per epoch, the highest seq it applied.
 *
 * <pre>
 * writer → server  {"type": "hello", "epoch": E}
 * server → writer  {"type": "welcome", "epoch": E, "acked": S}   highest seq of E applied, 0 if none
 * writer → server  {"type": "updates", "epoch": E, "seq": N, "updates": [update, …]}
 * writer → server  {"type": "state", "epoch": E, "seq": N, "state": "&lt;base64&gt;"}
 * server → writer  {"type": "ack", "epoch": E, "seq": N}
 * server → writer  {"type": "error", "message": "…"}, then the server closes the connection
 * </pre>
 *
 * <p>{@code state} replaces the server's whole dashboard state with {@link
 * DashboardState#toBytes()} (the checkpoint format, which keeps previous values, alerts and markers
 * exactly); a writer sends it first after a restore, and whenever its bounded buffer overflowed
 * while disconnected. An update is one of
 *
 * <pre>
 * {"id", "type": "stat" | "gauge", "value", "ts"}
 * {"id", "type": "chart", "ts", "value"}
 * {"id", "type": "upsert", "key", "row": {column: cell, …}, "ts"}
 * {"id", "type": "delete", "key", "ts"}
 * </pre>
 *
 * with numbers written digit for digit (money stays exact). A table cell that was a {@code Double}
 * arrives as a decimal; integers arrive as {@code Long}s.
 *
 * <p>Exactly-once application across reconnects: the server applies a message only if its seq is
 * above the epoch's highest applied one, and acknowledges every message, applied or not. After a
 * reconnect the writer says hello, learns {@code acked}, drops what that covers and sends the rest
 * again in order; so nothing is lost and nothing is applied twice.
 */
public final class IngestProtocol {
    public static final String PATH = "/ingest";

    /** Upper bound of one message, which a full state must fit in. */
    public static final int MAX_MESSAGE_BYTES = 16 * 1024 * 1024;

    private static final ObjectMapper JSON =
            new ObjectMapper().enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS);

    private IngestProtocol() {}

    /** One parsed message; fields that its type lacks are null or 0. */
    public record Message(
            String type,
            String epoch,
            long seq,
            long acked,
            List<DashboardUpdate> updates,
            DashboardState state,
            String error) {}

    public static String hello(String epoch) {
        return JSON.createObjectNode().put("type", "hello").put("epoch", epoch).toString();
    }

    public static String welcome(String epoch, long acked) {
        return JSON.createObjectNode()
                .put("type", "welcome")
                .put("epoch", epoch)
                .put("acked", acked)
                .toString();
    }

    public static String ack(String epoch, long seq) {
        return JSON.createObjectNode()
                .put("type", "ack")
                .put("epoch", epoch)
                .put("seq", seq)
                .toString();
    }

    public static String error(String message) {
        return JSON.createObjectNode().put("type", "error").put("message", message).toString();
    }

    public static String state(String epoch, long seq, DashboardState state) {
        return JSON.createObjectNode()
                .put("type", "state")
                .put("epoch", epoch)
                .put("seq", seq)
                .put("state", Base64.getEncoder().encodeToString(state.toBytes()))
                .toString();
    }

    public static String updates(String epoch, long seq, List<DashboardUpdate> updates) {
        ObjectNode message =
                JSON.createObjectNode().put("type", "updates").put("epoch", epoch).put("seq", seq);
        ArrayNode array = message.putArray("updates");
        for (DashboardUpdate update : updates) {
            writeUpdate(array.addObject(), update);
        }
        return message.toString();
    }

    private static void writeUpdate(ObjectNode json, DashboardUpdate update) {
        json.put("id", update.widgetId());
        if (update instanceof StatUpdate stat) {
            json.put("type", "stat").put("value", stat.value());
        } else if (update instanceof GaugeUpdate gauge) {
            json.put("type", "gauge").put("value", gauge.value());
        } else if (update instanceof ChartPointUpdate point) {
            json.put("type", "chart").put("value", point.value());
        } else if (update instanceof TableRowUpsert upsert) {
            json.put("type", "upsert").put("key", upsert.key());
            ObjectNode row = json.putObject("row");
            upsert.row().forEach((column, cell) -> row.set(column, JSON.valueToTree(cell)));
        } else if (update instanceof TableRowDelete delete) {
            json.put("type", "delete").put("key", delete.key());
        }
        json.put("ts", update.timestampMs());
    }

    /**
     * Parses one message.
     *
     * @throws IllegalArgumentException if it is not a message of this protocol; the message says
     *     what is wrong
     */
    public static Message parse(String text) {
        JsonNode json;
        try {
            json = JSON.readTree(text);
        } catch (IOException e) {
            throw new IllegalArgumentException("ingest message is not JSON: " + e.getMessage(), e);
        }
        if (json == null || !json.isObject()) {
            throw new IllegalArgumentException("ingest message is not a JSON object");
        }
        String type = json.path("type").asText();
        String epoch = json.path("epoch").asText(null);
        long seq = json.path("seq").asLong();
        switch (type) {
            case "hello", "welcome", "ack", "error":
                return new Message(
                        type,
                        epoch,
                        seq,
                        json.path("acked").asLong(),
                        List.of(),
                        null,
                        json.path("message").asText(null));
            case "updates":
                List<DashboardUpdate> updates = new ArrayList<>();
                for (JsonNode update : json.path("updates")) {
                    updates.add(readUpdate(update));
                }
                return new Message(type, epoch, seq, 0, updates, null, null);
            case "state":
                byte[] bytes = Base64.getDecoder().decode(json.path("state").asText());
                return new Message(
                        type, epoch, seq, 0, List.of(), DashboardState.fromBytes(bytes), null);
            default:
                throw new IllegalArgumentException("unknown ingest message type '" + type + "'");
        }
    }

    private static DashboardUpdate readUpdate(JsonNode json) {
        String id = json.path("id").asText();
        long ts = json.path("ts").asLong();
        String type = json.path("type").asText();
        switch (type) {
            case "stat":
                return new StatUpdate(id, decimal(json, "value"), ts);
            case "gauge":
                return new GaugeUpdate(id, decimal(json, "value"), ts);
            case "chart":
                return new ChartPointUpdate(id, ts, decimal(json, "value"));
            case "upsert":
                Map<String, Object> row = new LinkedHashMap<>();
                json.path("row").fields().forEachRemaining(e -> row.put(e.getKey(), cell(e)));
                return new TableRowUpsert(id, json.path("key").asText(), row, ts);
            case "delete":
                return new TableRowDelete(id, json.path("key").asText(), ts);
            default:
                throw new IllegalArgumentException(
                        "update of widget '" + id + "' has unknown type '" + type + "'");
        }
    }

    private static BigDecimal decimal(JsonNode json, String field) {
        JsonNode value = json.path(field);
        if (!value.isNumber()) {
            throw new IllegalArgumentException(
                    "update of widget '"
                            + json.path("id").asText()
                            + "': "
                            + field
                            + " is no number");
        }
        return value.decimalValue();
    }

    private static Object cell(Map.Entry<String, JsonNode> entry) {
        JsonNode value = entry.getValue();
        if (value.isTextual()) {
            return value.asText();
        }
        if (value.isBoolean()) {
            return value.asBoolean();
        }
        if (value.isIntegralNumber() && value.canConvertToLong()) {
            return value.asLong();
        }
        if (value.isNumber()) {
            return value.decimalValue();
        }
        throw new IllegalArgumentException(
                "table cell '" + entry.getKey() + "' is neither text, number nor boolean");
    }
}
