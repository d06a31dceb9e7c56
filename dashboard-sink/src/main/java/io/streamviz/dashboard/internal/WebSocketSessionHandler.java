package io.streamviz.dashboard.internal;

import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.http.websocketx.WebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocketServerProtocolHandler;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Hands each upgraded connection to the {@link Broadcaster}, and drops what viewers send: the
 * protocol has no client messages (pings and closes are answered before this handler).
 */
@ChannelHandler.Sharable
final class WebSocketSessionHandler extends ChannelInboundHandlerAdapter {

    private static final Logger LOG = LoggerFactory.getLogger(WebSocketSessionHandler.class);

    private final Broadcaster broadcaster;

    WebSocketSessionHandler(Broadcaster broadcaster) {
        this.broadcaster = broadcaster;
    }

    @Override
    public void userEventTriggered(ChannelHandlerContext ctx, Object evt) throws Exception {
        if (evt instanceof WebSocketServerProtocolHandler.HandshakeComplete) {
            DashboardChannelInitializer.dropHttpHandlers(ctx.pipeline());
            broadcaster.register(ctx.channel());
        }
        super.userEventTriggered(ctx, evt);
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (msg instanceof WebSocketFrame frame) {
            frame.release();
            return;
        }
        ctx.fireChannelRead(msg);
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        // Resets and aborted handshakes are routine for browsers going away.
        LOG.debug("{} closing dashboard connection after an error", ctx.channel(), cause);
        ctx.close();
    }
}
