package io.streamviz.dashboard.internal;

import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.QueryStringDecoder;
import io.streamviz.dashboard.Dashboard;
import java.nio.charset.StandardCharsets;
import java.util.Optional;

/**
 * Answers the HTTP routes. {@code /ws} goes on to the WebSocket handlers behind this one, as do the
 * WebSocket frames once a connection was upgraded; {@code /ingest} switches the connection to a job
 * writer's WebSocket first.
 */
@ChannelHandler.Sharable
final class HttpRouterHandler extends ChannelInboundHandlerAdapter {

    static final String HEALTH_PATH = "/healthz";
    static final String WEBSOCKET_PATH = "/ws";
    static final String METRICS_PATH = "/metrics";

    /** Lists every widget with its iframe snippet; the page renders it. */
    private static final String EMBED_INDEX_PATH = "/embed";

    private static final String EMBED_PREFIX = "/embed/";
    private static final byte[] HEALTHY = "{\"status\":\"ok\"}".getBytes(StandardCharsets.UTF_8);

    private final Dashboard dashboard;
    private final WidgetStore store;
    private final StaticAssets assets;
    private final byte[] widgetsDocument;
    private final IngestPipeline ingest;
    private final ServerMetrics metrics;

    HttpRouterHandler(
            Dashboard dashboard,
            WidgetStore store,
            StaticAssets assets,
            IngestPipeline ingest,
            ServerMetrics metrics) {
        this.dashboard = dashboard;
        this.metrics = metrics;
        this.store = store;
        this.assets = assets;
        this.ingest = ingest;
        this.widgetsDocument = DashboardJson.widgetsDocument(dashboard);
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (!(msg instanceof FullHttpRequest request)) {
            ctx.fireChannelRead(msg);
            return;
        }
        String path = new QueryStringDecoder(request.uri()).path();
        if (path.equals(WEBSOCKET_PATH)) {
            ctx.fireChannelRead(request);
            return;
        }
        if (path.equals(IngestProtocol.PATH)) {
            ingest.install(ctx.pipeline());
            ctx.fireChannelRead(request);
            return;
        }
        try {
            route(ctx, request, path);
        } finally {
            request.release();
        }
    }

    private void route(ChannelHandlerContext ctx, FullHttpRequest request, String path) {
        switch (path) {
            case "/":
            case EMBED_INDEX_PATH:
            case EMBED_PREFIX:
                sendAsset(ctx, request, assets.page());
                return;
            case HEALTH_PATH:
                HttpResponses.json(ctx, request, HEALTHY);
                return;
            case "/api/widgets":
                HttpResponses.json(ctx, request, widgetsDocument);
                return;
            case "/api/snapshot":
                HttpResponses.json(
                        ctx,
                        request,
                        DashboardJson.snapshotDocument(ctx.alloc(), dashboard, store.state()));
                return;
            case METRICS_PATH:
                sendMetrics(ctx, request);
                return;
            default:
                break;
        }
        if (path.startsWith(EMBED_PREFIX)) {
            String id = path.substring(EMBED_PREFIX.length());
            if (dashboard.widget(id).isEmpty()) {
                HttpResponses.sendError(
                        ctx, request, HttpResponseStatus.NOT_FOUND, "unknown widget: " + id);
                return;
            }
            sendAsset(ctx, request, assets.page());
            return;
        }
        Optional<StaticAssets.Asset> asset = assets.get(path);
        if (asset.isPresent()) {
            sendAsset(ctx, request, asset.get());
            return;
        }
        HttpResponses.sendError(ctx, request, HttpResponseStatus.NOT_FOUND, "not found: " + path);
    }

    private void sendMetrics(ChannelHandlerContext ctx, FullHttpRequest request) {
        long now = System.currentTimeMillis();
        HttpResponses.send(
                ctx,
                request,
                HttpResponseStatus.OK,
                ServerMetrics.CONTENT_TYPE,
                Unpooled.wrappedBuffer(metrics.render(now, store.agesMs(now))),
                "no-store");
    }

    private static void sendAsset(
            ChannelHandlerContext ctx, FullHttpRequest request, StaticAssets.Asset asset) {
        HttpResponses.send(
                ctx,
                request,
                HttpResponseStatus.OK,
                asset.contentType(),
                Unpooled.wrappedBuffer(asset.bytes()),
                asset.cacheControl());
    }
}
