package io.streamviz.dashboard.internal;

import io.netty.channel.ChannelPipeline;
import io.netty.handler.codec.http.websocketx.WebSocketFrameAggregator;
import io.netty.handler.codec.http.websocketx.WebSocketServerProtocolConfig;
import io.netty.handler.codec.http.websocketx.WebSocketServerProtocolHandler;

/**
 * Turns a connection that asks for {@code /ingest} from a viewer's pipeline into a job writer's:
 * the viewer WebSocket handlers are replaced by ones that accept large messages (a whole dashboard
 * state) and apply them. The token was checked before, as for every route.
 */
final class IngestPipeline {
    /** The name Netty gives the handshaker that a WebSocketServerProtocolHandler puts before it. */
    private static final String VIEWER_HANDSHAKER =
            "io.netty.handler.codec.http.websocketx.WebSocketServerProtocolHandshakeHandler";

    private final WidgetStore store;
    private final Broadcaster broadcaster;
    private final IngestLedger ledger = new IngestLedger();
    private final WebSocketServerProtocolConfig config =
            WebSocketServerProtocolConfig.newBuilder()
                    .websocketPath(IngestProtocol.PATH)
                    .checkStartsWith(true)
                    .maxFramePayloadLength(IngestProtocol.MAX_MESSAGE_BYTES)
                    .allowExtensions(false)
                    .build();

    IngestPipeline(WidgetStore store, Broadcaster broadcaster) {
        this.store = store;
        this.broadcaster = broadcaster;
    }

    /** Called by the router, on the connection's event loop, before it passes the upgrade on. */
    void install(ChannelPipeline pipeline) {
        // The viewer protocol handler added a handshaker for /ws when the pipeline was built; the
        // ingest one only adds its own where none is, so the viewer's must go first.
        if (pipeline.get(VIEWER_HANDSHAKER) != null) {
            pipeline.remove(VIEWER_HANDSHAKER);
        }
        pipeline.replace(
                "websocket", "ingest-websocket", new WebSocketServerProtocolHandler(config));
        pipeline.replace(
                "websocket-session",
                "ingest-aggregator",
                new WebSocketFrameAggregator(IngestProtocol.MAX_MESSAGE_BYTES));
        pipeline.addLast("ingest-session", new IngestSessionHandler(store, broadcaster, ledger));
    }
}
