package io.streamviz.dashboard.internal;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;

/** Writes complete HTTP responses, keeping the connection open when the client asked for it. */
final class HttpResponses {

    static final String JSON = "application/json";

    private HttpResponses() {}

    static void json(ChannelHandlerContext ctx, HttpRequest request, byte[] body) {
        json(ctx, request, Unpooled.wrappedBuffer(body));
    }

    static void json(ChannelHandlerContext ctx, HttpRequest request, ByteBuf body) {
        send(ctx, request, HttpResponseStatus.OK, JSON, body, "no-store");
    }

    /** {@code {"error": message}} with {@code status}. */
    static FullHttpResponse error(HttpResponseStatus status, String message) {
        FullHttpResponse response =
                response(status, JSON, Unpooled.wrappedBuffer(DashboardJson.error(message)));
        response.headers().set(HttpHeaderNames.CACHE_CONTROL, "no-store");
        return response;
    }

    static void sendError(
            ChannelHandlerContext ctx,
            HttpRequest request,
            HttpResponseStatus status,
            String message) {
        send(ctx, request, error(status, message));
    }

    static void send(
            ChannelHandlerContext ctx,
            HttpRequest request,
            HttpResponseStatus status,
            String contentType,
            ByteBuf body,
            String cacheControl) {
        FullHttpResponse response = response(status, contentType, body);
        response.headers().set(HttpHeaderNames.CACHE_CONTROL, cacheControl);
        send(ctx, request, response);
    }

    static void send(ChannelHandlerContext ctx, HttpRequest request, FullHttpResponse response) {
        boolean keepAlive = HttpUtil.isKeepAlive(request);
        HttpUtil.setKeepAlive(response, keepAlive);
        ChannelFuture written = ctx.writeAndFlush(response);
        if (!keepAlive) {
            written.addListener(ChannelFutureListener.CLOSE);
        }
    }

    private static FullHttpResponse response(
            HttpResponseStatus status, String contentType, ByteBuf body) {
        FullHttpResponse response = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, status, body);
        response.headers()
                .set(HttpHeaderNames.CONTENT_TYPE, contentType)
                .setInt(HttpHeaderNames.CONTENT_LENGTH, body.readableBytes());
        return response;
    }
}
