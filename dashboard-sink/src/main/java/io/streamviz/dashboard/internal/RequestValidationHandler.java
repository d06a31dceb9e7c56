package io.streamviz.dashboard.internal;

import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpResponseStatus;

/** Answers requests the server never serves: malformed ones (400) and any method but GET (405). */
@ChannelHandler.Sharable
final class RequestValidationHandler extends ChannelInboundHandlerAdapter {

    static final RequestValidationHandler INSTANCE = new RequestValidationHandler();

    private RequestValidationHandler() {}

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (!(msg instanceof FullHttpRequest request)) {
            ctx.fireChannelRead(msg);
            return;
        }
        if (request.decoderResult().isFailure()) {
            request.release();
            FullHttpResponse response =
                    HttpResponses.error(HttpResponseStatus.BAD_REQUEST, "malformed request");
            // Where one request could not be parsed, the next one cannot be found.
            ctx.writeAndFlush(response).addListener(ChannelFutureListener.CLOSE);
            return;
        }
        if (!HttpMethod.GET.equals(request.method())) {
            FullHttpResponse response =
                    HttpResponses.error(
                            HttpResponseStatus.METHOD_NOT_ALLOWED,
                            "method " + request.method() + " not allowed, only GET");
            response.headers().set(HttpHeaderNames.ALLOW, HttpMethod.GET.name());
            HttpResponses.send(ctx, request, response);
            request.release();
            return;
        }
        ctx.fireChannelRead(request);
    }
}
