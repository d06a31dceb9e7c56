package io.streamviz.dashboard.internal;

import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelOutboundHandlerAdapter;
import io.netty.channel.ChannelPromise;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpResponse;

/**
 * Adds the security headers to every HTTP response. The page loads scripts and styles only from
 * this server, so the policy allows nothing inline; widgets are meant to be embedded in other
 * sites' frames, so framing stays allowed.
 */
@ChannelHandler.Sharable
final class SecurityHeadersHandler extends ChannelOutboundHandlerAdapter {

    static final SecurityHeadersHandler INSTANCE = new SecurityHeadersHandler();

    static final String CONTENT_SECURITY_POLICY =
            "default-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'";

    private SecurityHeadersHandler() {}

    @Override
    public void write(ChannelHandlerContext ctx, Object msg, ChannelPromise promise) {
        if (msg instanceof HttpResponse response) {
            HttpHeaders headers = response.headers();
            headers.set("Content-Security-Policy", CONTENT_SECURITY_POLICY);
            headers.set("X-Content-Type-Options", "nosniff");
            headers.set("Referrer-Policy", "no-referrer");
        }
        ctx.write(msg, promise);
    }
}
