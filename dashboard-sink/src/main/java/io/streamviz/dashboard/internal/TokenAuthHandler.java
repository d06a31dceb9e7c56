package io.streamviz.dashboard.internal;

import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.QueryStringDecoder;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.List;

/**
 * Lets through only requests that carry the token, as {@code Authorization: Bearer <token>} or, for
 * pages and the WebSocket (a browser cannot set headers on either), {@code ?token=}. {@code
 * /healthz} stays open for probes.
 */
@ChannelHandler.Sharable
final class TokenAuthHandler extends ChannelInboundHandlerAdapter {

    private static final String BEARER = "Bearer ";

    private final byte[] token;

    TokenAuthHandler(String token) {
        this.token = token.getBytes(StandardCharsets.UTF_8);
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (!(msg instanceof FullHttpRequest request)) {
            ctx.fireChannelRead(msg);
            return;
        }
        QueryStringDecoder uri = new QueryStringDecoder(request.uri());
        if (uri.path().equals(HttpRouterHandler.HEALTH_PATH) || carriesToken(request, uri)) {
            ctx.fireChannelRead(request);
            return;
        }
        FullHttpResponse response =
                HttpResponses.error(HttpResponseStatus.UNAUTHORIZED, "missing or wrong token");
        response.headers().set(HttpHeaderNames.WWW_AUTHENTICATE, "Bearer");
        HttpResponses.send(ctx, request, response);
        request.release();
    }

    private boolean carriesToken(FullHttpRequest request, QueryStringDecoder uri) {
        String authorization = request.headers().get(HttpHeaderNames.AUTHORIZATION);
        if (authorization != null
                && authorization.regionMatches(true, 0, BEARER, 0, BEARER.length())) {
            return matches(authorization.substring(BEARER.length()).trim());
        }
        List<String> query = uri.parameters().get("token");
        return query != null && !query.isEmpty() && matches(query.get(0));
    }

    /** Compares in constant time, so response times do not reveal a prefix of the token. */
    private boolean matches(String candidate) {
        return MessageDigest.isEqual(token, candidate.getBytes(StandardCharsets.UTF_8));
    }
}
