package io.streamviz.dashboard.internal;

import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.handler.codec.http.websocketx.TextWebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocketServerProtocolHandler;
import io.streamviz.dashboard.DashboardUpdate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One job writer's ingest connection: applies its messages exactly once (see {@link
 * IngestProtocol}) and acknowledges each. Runs on the connection's event loop, so the messages of
 * one connection are applied in the order they arrive.
 */
final class IngestSessionHandler extends SimpleChannelInboundHandler<WebSocketFrame> {
    private static final Logger LOG = LoggerFactory.getLogger(IngestSessionHandler.class);

    private final WidgetStore store;
    private final Broadcaster broadcaster;
    private final IngestLedger ledger;

    IngestSessionHandler(WidgetStore store, Broadcaster broadcaster, IngestLedger ledger) {
        this.store = store;
        this.broadcaster = broadcaster;
        this.ledger = ledger;
    }

    @Override
    public void userEventTriggered(ChannelHandlerContext ctx, Object evt) throws Exception {
        if (evt instanceof WebSocketServerProtocolHandler.HandshakeComplete) {
            LOG.info("{} job writer connected for ingest", ctx.channel());
        }
        super.userEventTriggered(ctx, evt);
    }

    @Override
    protected void channelRead0(ChannelHandlerContext ctx, WebSocketFrame frame) {
        if (!(frame instanceof TextWebSocketFrame text)) {
            refuse(ctx, "ingest takes text frames only");
            return;
        }
        IngestProtocol.Message message;
        try {
            message = IngestProtocol.parse(text.text());
        } catch (RuntimeException e) {
            refuse(ctx, e.getMessage());
            return;
        }
        if (message.epoch() == null || message.epoch().isEmpty()) {
            refuse(ctx, "ingest message of type '" + message.type() + "' has no epoch");
            return;
        }
        switch (message.type()) {
            case "hello" ->
                    reply(
                            ctx,
                            IngestProtocol.welcome(
                                    message.epoch(), ledger.applied(message.epoch())));
            case "updates", "state" -> {
                boolean applied =
                        ledger.applyOnce(message.epoch(), message.seq(), () -> apply(message));
                if (!applied) {
                    LOG.debug(
                            "{} skipping seq {} of epoch {}: applied before a reconnect",
                            ctx.channel(),
                            message.seq(),
                            message.epoch());
                }
                reply(ctx, IngestProtocol.ack(message.epoch(), message.seq()));
            }
            default -> refuse(ctx, "a job writer does not send '" + message.type() + "'");
        }
    }

    private void apply(IngestProtocol.Message message) {
        if (message.state() != null) {
            store.restore(message.state());
            broadcaster.resyncAll();
            LOG.info(
                    "Dashboard state replaced by job writer {}: {} widgets",
                    message.epoch(),
                    message.state().widgets().size());
            return;
        }
        for (DashboardUpdate update : message.updates()) {
            try {
                store.apply(update);
            } catch (IllegalArgumentException e) {
                // A job built against another version of the dashboard: the rest still counts,
                // and refusing the message would only make the writer send it again forever.
                LOG.warn(
                        "Skipping an update from job writer {}: {}",
                        message.epoch(),
                        e.getMessage());
            }
        }
    }

    private static void reply(ChannelHandlerContext ctx, String json) {
        ctx.writeAndFlush(new TextWebSocketFrame(json));
    }

    private static void refuse(ChannelHandlerContext ctx, String reason) {
        LOG.warn("{} closing ingest connection: {}", ctx.channel(), reason);
        ctx.writeAndFlush(new TextWebSocketFrame(IngestProtocol.error(reason)))
                .addListener(ChannelFutureListener.CLOSE);
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        LOG.debug("{} closing ingest connection after an error", ctx.channel(), cause);
        ctx.close();
    }
}
