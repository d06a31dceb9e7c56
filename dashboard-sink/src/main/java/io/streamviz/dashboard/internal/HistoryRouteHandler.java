package io.streamviz.dashboard.internal;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.StreamWriteFeature;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufOutputStream;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.QueryStringDecoder;
import io.streamviz.dashboard.Dashboard;
import io.streamviz.dashboard.DashboardState;
import io.streamviz.dashboard.DashboardState.ChartPoint;
import io.streamviz.dashboard.TableWidget;
import io.streamviz.dashboard.WidgetSpec;
import io.streamviz.dashboard.history.HistoryStore;
import io.streamviz.dashboard.history.HistoryStore.RowVersion;
import java.io.IOException;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Answers the routes read from the history database: {@code GET /api/history/{id}?from=&to=} (the
 * stored points of a widget, epoch ms bounds, both inclusive and optional) and {@code GET
 * /api/snapshot?at=<epoch ms>} (what the dashboard showed then, shaped like {@code /api/snapshot}).
 * Everything else goes on to the router.
 *
 * <p>Queries run on a small pool of their own, never on the event loop; when its queue is full a
 * request is answered 503 at once.
 */
@ChannelHandler.Sharable
final class HistoryRouteHandler extends ChannelInboundHandlerAdapter {
    private static final Logger LOG = LoggerFactory.getLogger(HistoryRouteHandler.class);

    private static final String HISTORY_PREFIX = "/api/history/";
    private static final String SNAPSHOT_PATH = "/api/snapshot";
    private static final int MAX_QUEUED_QUERIES = 32;

    private static final JsonFactory JSON =
            JsonFactory.builder().enable(StreamWriteFeature.WRITE_BIGDECIMAL_AS_PLAIN).build();

    private final Dashboard dashboard;

    /** Null without a history database: the routes then answer 404. */
    private final HistoryStore history;

    /** Null without a history database. Threads are daemons and end when idle. */
    private final ThreadPoolExecutor queries;

    HistoryRouteHandler(Dashboard dashboard, HistoryStore history) {
        this.dashboard = dashboard;
        this.history = history;
        if (history == null) {
            this.queries = null;
        } else {
            this.queries =
                    new ThreadPoolExecutor(
                            2,
                            2,
                            30,
                            TimeUnit.SECONDS,
                            new ArrayBlockingQueue<>(MAX_QUEUED_QUERIES),
                            runnable -> {
                                Thread thread = new Thread(runnable, "streamviz-history-query");
                                thread.setDaemon(true);
                                return thread;
                            });
            this.queries.allowCoreThreadTimeOut(true);
        }
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (!(msg instanceof FullHttpRequest request)) {
            ctx.fireChannelRead(msg);
            return;
        }
        QueryStringDecoder uri = new QueryStringDecoder(request.uri());
        String path = uri.path();
        boolean snapshotAt = path.equals(SNAPSHOT_PATH) && uri.parameters().containsKey("at");
        if (!path.startsWith(HISTORY_PREFIX) && !snapshotAt) {
            ctx.fireChannelRead(msg);
            return;
        }
        // Only the headers are needed from here on.
        request.release();
        if (history == null) {
            HttpResponses.sendError(
                    ctx,
                    request,
                    HttpResponseStatus.NOT_FOUND,
                    "no history database is configured");
            return;
        }
        try {
            Query query = snapshotAt ? snapshotQuery(uri) : historyQuery(path, uri);
            if (query == null) {
                String id = path.substring(HISTORY_PREFIX.length());
                HttpResponses.sendError(
                        ctx, request, HttpResponseStatus.NOT_FOUND, "unknown widget: " + id);
                return;
            }
            queries.execute(() -> answer(ctx, request, query));
        } catch (BadParameter e) {
            HttpResponses.sendError(ctx, request, HttpResponseStatus.BAD_REQUEST, e.getMessage());
        } catch (RejectedExecutionException e) {
            HttpResponses.sendError(
                    ctx,
                    request,
                    HttpResponseStatus.SERVICE_UNAVAILABLE,
                    "too many history queries at once, try again");
        }
    }

    /** Runs on the query pool. */
    private void answer(ChannelHandlerContext ctx, FullHttpRequest request, Query query) {
        ByteBuf body = ctx.alloc().buffer();
        try {
            query.write(ctx, body);
        } catch (Exception e) {
            body.release();
            LOG.warn("{} history query failed: {}", ctx.channel(), e.toString());
            HttpResponses.sendError(
                    ctx,
                    request,
                    HttpResponseStatus.SERVICE_UNAVAILABLE,
                    "history database unavailable: " + e.getMessage());
            return;
        }
        HttpResponses.json(ctx, request, body);
    }

    private interface Query {
        /** Writes the answer into {@code body}, or throws without touching the channel. */
        void write(ChannelHandlerContext ctx, ByteBuf body) throws Exception;
    }

    private Query snapshotQuery(QueryStringDecoder uri) throws BadParameter {
        long atMs = epochMs(uri, "at", -1);
        return (ctx, body) -> {
            DashboardState state = history.stateAt(dashboard, atMs);
            ByteBuf document = DashboardJson.snapshotDocument(ctx.alloc(), dashboard, state);
            try {
                body.writeBytes(document);
            } finally {
                document.release();
            }
        };
    }

    /** Null when the widget is unknown. */
    private Query historyQuery(String path, QueryStringDecoder uri) throws BadParameter {
        String id = path.substring(HISTORY_PREFIX.length());
        Optional<WidgetSpec> found = dashboard.widget(id);
        if (found.isEmpty()) {
            return null;
        }
        WidgetSpec widget = found.get();
        long fromMs = epochMs(uri, "from", 0);
        long toMs = epochMs(uri, "to", Long.MAX_VALUE);
        if (fromMs > toMs) {
            throw new BadParameter("from must not be after to, was from=" + fromMs + " to=" + toMs);
        }
        if (widget instanceof TableWidget) {
            return (ctx, body) ->
                    writeRows(body, widget, fromMs, toMs, history.rowVersions(id, fromMs, toMs));
        }
        return (ctx, body) ->
                writePoints(body, widget, fromMs, toMs, history.points(widget, fromMs, toMs));
    }

    private static void writePoints(
            ByteBuf body, WidgetSpec widget, long fromMs, long toMs, List<ChartPoint> points)
            throws IOException {
        try (JsonGenerator json =
                JSON.createGenerator((java.io.OutputStream) new ByteBufOutputStream(body))) {
            writeHeader(json, widget, fromMs, toMs);
            json.writeArrayFieldStart("points");
            for (ChartPoint point : points) {
                json.writeStartArray();
                json.writeNumber(point.timestampMs());
                json.writeNumber(point.value());
                json.writeEndArray();
            }
            json.writeEndArray();
            json.writeEndObject();
        }
    }

    private static void writeRows(
            ByteBuf body, WidgetSpec widget, long fromMs, long toMs, List<RowVersion> versions)
            throws IOException {
        try (JsonGenerator json =
                JSON.createGenerator((java.io.OutputStream) new ByteBufOutputStream(body))) {
            writeHeader(json, widget, fromMs, toMs);
            json.writeArrayFieldStart("rows");
            for (RowVersion version : versions) {
                json.writeStartObject();
                json.writeStringField("key", version.key());
                json.writeNumberField("ts", version.timestampMs());
                if (version.deleted()) {
                    json.writeBooleanField("deleted", true);
                } else {
                    json.writeObjectFieldStart("row");
                    for (Map.Entry<String, Object> cell : version.row().entrySet()) {
                        json.writeFieldName(cell.getKey());
                        writeCell(json, cell.getValue());
                    }
                    json.writeEndObject();
                }
                json.writeEndObject();
            }
            json.writeEndArray();
            json.writeEndObject();
        }
    }

    private static void writeHeader(JsonGenerator json, WidgetSpec widget, long fromMs, long toMs)
            throws IOException {
        json.writeStartObject();
        json.writeStringField("id", widget.id());
        json.writeStringField("type", widget.type());
        json.writeNumberField("from", fromMs);
        json.writeNumberField("to", toMs);
    }

    private static void writeCell(JsonGenerator json, Object cell) throws IOException {
        if (cell instanceof String s) {
            json.writeString(s);
        } else if (cell instanceof Long l) {
            json.writeNumber(l);
        } else if (cell instanceof java.math.BigDecimal d) {
            json.writeNumber(d);
        } else {
            json.writeBoolean((Boolean) cell);
        }
    }

    private static long epochMs(QueryStringDecoder uri, String name, long defaultMs)
            throws BadParameter {
        List<String> values = uri.parameters().get(name);
        if (values == null) {
            if (defaultMs < 0) {
                throw new BadParameter(name + " is required (epoch milliseconds)");
            }
            return defaultMs;
        }
        String value = values.get(0);
        try {
            long ms = Long.parseLong(value.trim());
            if (ms >= 0) {
                return ms;
            }
        } catch (NumberFormatException e) {
            // answered below
        }
        throw new BadParameter(
                name + " must be epoch milliseconds (a whole number >= 0), was '" + value + "'");
    }

    private static final class BadParameter extends Exception {
        BadParameter(String message) {
            super(message);
        }
    }
}
