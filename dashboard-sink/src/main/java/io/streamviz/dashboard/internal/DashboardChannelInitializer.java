package io.streamviz.dashboard.internal;

import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelPipeline;
import io.netty.channel.WriteBufferWaterMark;
import io.netty.channel.socket.SocketChannel;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.handler.codec.http.websocketx.WebSocketServerProtocolConfig;
import io.netty.handler.codec.http.websocketx.WebSocketServerProtocolHandler;
import io.streamviz.dashboard.Dashboard;
import io.streamviz.dashboard.history.HistoryStore;
import java.util.List;

/** The pipeline of one connection to the dashboard server. */
public final class DashboardChannelInitializer extends ChannelInitializer<SocketChannel> {

    /** Viewers only send GETs without a body; anything bigger is refused (413). */
    private static final int MAX_REQUEST_BYTES = 8 * 1024;

    /** Viewers send no messages, only control frames. */
    private static final int MAX_INBOUND_FRAME_BYTES = 4 * 1024;

    /** The handlers that only serve HTTP requests, which an upgraded connection no longer sends. */
    private static final List<String> HTTP_ONLY_HANDLERS =
            List.of("security-headers", "request-validation", "token-auth", "history", "router");

    private final TokenAuthHandler tokenAuth;
    private final HttpRouterHandler router;

    /** Null without a history database. */
    private final HistoryRouteHandler history;

    private final WebSocketSessionHandler webSocketSession;
    private final WebSocketServerProtocolConfig webSocketConfig;

    /**
     * @param token required on every route but {@code /healthz}; null for none
     * @param history answers {@code /api/history/{id}} and {@code /api/snapshot?at=}; null for none
     * @param metrics what {@code /metrics} reports, fed by {@code store} and {@code broadcaster}
     */
    public DashboardChannelInitializer(
            Dashboard dashboard,
            WidgetStore store,
            Broadcaster broadcaster,
            String token,
            PageSettings pageSettings,
            HistoryStore history,
            ServerMetrics metrics) {
        this.history = new HistoryRouteHandler(dashboard, history);
        this.tokenAuth = token == null ? null : new TokenAuthHandler(token);
        this.router =
                new HttpRouterHandler(
                        dashboard,
                        store,
                        StaticAssets.load(token, pageSettings),
                        new IngestPipeline(store, broadcaster),
                        metrics);
        this.webSocketSession = new WebSocketSessionHandler(broadcaster);
        this.webSocketConfig =
                WebSocketServerProtocolConfig.newBuilder()
                        .websocketPath(HttpRouterHandler.WEBSOCKET_PATH)
                        // The router already matched the path; this lets ?token= through.
                        .checkStartsWith(true)
                        .maxFramePayloadLength(MAX_INBOUND_FRAME_BYTES)
                        // Per-message compression would give each viewer its own copy of every
                        // frame, where now all share one buffer.
                        .allowExtensions(false)
                        .build();
    }

    /** The write buffer bounds each connection must have; see {@link Broadcaster}. */
    public WriteBufferWaterMark writeBufferWaterMark() {
        return ClientSession.WATER_MARK;
    }

    /**
     * Drops the HTTP handlers from a viewer's pipeline once its WebSocket handshake completed
     * (Netty already removed the aggregator and swapped the codec): every frame to the viewer
     * passes one handler less than each of them, and an idle viewer holds fewer objects.
     */
    static void dropHttpHandlers(ChannelPipeline pipeline) {
        for (String name : HTTP_ONLY_HANDLERS) {
            if (pipeline.get(name) != null) {
                pipeline.remove(name);
            }
        }
    }

    @Override
    protected void initChannel(SocketChannel channel) {
        ChannelPipeline pipeline = channel.pipeline();
        pipeline.addLast("http-codec", new HttpServerCodec());
        pipeline.addLast("http-aggregator", new HttpObjectAggregator(MAX_REQUEST_BYTES));
        pipeline.addLast("security-headers", SecurityHeadersHandler.INSTANCE);
        pipeline.addLast("request-validation", RequestValidationHandler.INSTANCE);
        if (tokenAuth != null) {
            pipeline.addLast("token-auth", tokenAuth);
        }
        pipeline.addLast("history", history);
        pipeline.addLast("router", router);
        pipeline.addLast("websocket", new WebSocketServerProtocolHandler(webSocketConfig));
        pipeline.addLast("websocket-session", webSocketSession);
    }
}
