package io.streamviz.bench.fanout;

import io.netty.bootstrap.Bootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.group.ChannelGroup;
import io.netty.channel.group.DefaultChannelGroup;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioSocketChannel;
import io.netty.handler.codec.http.HttpClientCodec;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.websocketx.TextWebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocketClientProtocolConfig;
import io.netty.handler.codec.http.websocketx.WebSocketClientProtocolHandler;
import io.netty.util.ReferenceCountUtil;
import io.netty.util.concurrent.DefaultThreadFactory;
import io.netty.util.concurrent.GlobalEventExecutor;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;
import org.HdrHistogram.Histogram;
import org.HdrHistogram.Recorder;

/**
 * The one load client of the fan-out benchmark, used against both servers: many WebSocket viewers
 * on one event loop group, counting what arrives. Every text frame that starts as an update message
 * ({@code {"type":"update"}) is a delivered frame; each {@code "ts":} in it is one delivered update,
 * whose delivery latency is the receiving wall clock minus that timestamp, in ms (both processes
 * read the same machine clock). Snapshots are not counted.
 */
final class FanoutLoadClient implements AutoCloseable {

    private static final byte[] UPDATE_PREFIX =
            "{\"type\":\"update\"".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] TS_FIELD = "\"ts\":".getBytes(StandardCharsets.US_ASCII);

    /** Handshakes in flight at once, so that no listen backlog overflows. */
    private static final int CONNECTING_AT_ONCE = 200;

    private final URI uri;
    private final EventLoopGroup group;
    private final ChannelGroup channels = new DefaultChannelGroup(GlobalEventExecutor.INSTANCE);
    private final LongAdder frames = new LongAdder();
    private final LongAdder updates = new LongAdder();
    private final AtomicInteger closedByServer = new AtomicInteger();
    private final Recorder latencyMs = new Recorder(3);

    /** Whether frames count now; set between {@link #startWindow} and {@link #endWindow}. */
    private volatile boolean counting;

    private long windowStartNanos;

    FanoutLoadClient(URI uri, int threads) {
        this.uri = uri;
        this.group =
                new MultiThreadIoEventLoopGroup(
                        threads,
                        new DefaultThreadFactory("fanout-client", true),
                        NioIoHandler.newFactory());
    }

    /** Opens {@code count} more viewers and returns once every handshake completed. */
    void connect(int count, Duration timeout) throws InterruptedException {
        Semaphore slots = new Semaphore(CONNECTING_AT_ONCE);
        CountDownLatch handshakes = new CountDownLatch(count);
        AtomicInteger failures = new AtomicInteger();
        Bootstrap bootstrap =
                new Bootstrap()
                        .group(group)
                        .channel(NioSocketChannel.class)
                        .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, 10_000)
                        .handler(
                                new ChannelInitializer<SocketChannel>() {
                                    @Override
                                    protected void initChannel(SocketChannel channel) {
                                        channel.pipeline()
                                                .addLast(new HttpClientCodec())
                                                .addLast(new HttpObjectAggregator(64 * 1024))
                                                .addLast(
                                                        new WebSocketClientProtocolHandler(
                                                                WebSocketClientProtocolConfig
                                                                        .newBuilder()
                                                                        .webSocketUri(uri)
                                                                        .maxFramePayloadLength(
                                                                                16 << 20)
                                                                        // Neither server sends
                                                                        // invalid text; checking
                                                                        // every byte would make
                                                                        // the client the limit.
                                                                        .withUTF8Validator(false)
                                                                        .build()))
                                                .addLast(
                                                        new ViewerHandler(
                                                                handshakes, slots, failures));
                                    }
                                });
        long deadline = System.nanoTime() + timeout.toNanos();
        for (int i = 0; i < count; i++) {
            if (!slots.tryAcquire(
                    Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS)) {
                throw new IllegalStateException(
                        "timed out after " + timeout + " opening " + count + " viewers");
            }
            ChannelFuture connecting = bootstrap.connect(uri.getHost(), uri.getPort());
            channels.add(connecting.channel());
            connecting.addListener(
                    f -> {
                        if (!f.isSuccess()) {
                            failures.incrementAndGet();
                            slots.release();
                            handshakes.countDown();
                        }
                    });
        }
        if (!handshakes.await(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS)) {
            throw new IllegalStateException(
                    handshakes.getCount()
                            + " of "
                            + count
                            + " handshakes not done after "
                            + timeout);
        }
        if (failures.get() > 0) {
            throw new IllegalStateException(
                    failures.get() + " of " + count + " viewers failed to connect to " + uri);
        }
    }

    int openViewers() {
        return (int) channels.stream().filter(Channel::isActive).count();
    }

    int closedByServer() {
        return closedByServer.get();
    }

    void startWindow() {
        frames.reset();
        updates.reset();
        latencyMs.reset();
        windowStartNanos = System.nanoTime();
        counting = true;
    }

    Window endWindow() {
        counting = false;
        double seconds = (System.nanoTime() - windowStartNanos) / 1e9;
        return new Window(seconds, frames.sum(), updates.sum(), latencyMs.getIntervalHistogram());
    }

    @Override
    public void close() {
        channels.close().awaitUninterruptibly(10, TimeUnit.SECONDS);
        group.shutdownGracefully(0, 1, TimeUnit.SECONDS).awaitUninterruptibly(10, TimeUnit.SECONDS);
    }

    /** What arrived in one measuring window. */
    record Window(double seconds, long frames, long updates, Histogram latencyMs) {
        double framesPerSecond() {
            return frames / seconds;
        }

        double updatesPerSecond() {
            return updates / seconds;
        }
    }

    private final class ViewerHandler extends ChannelInboundHandlerAdapter {
        private final CountDownLatch handshakes;
        private final Semaphore slots;
        private final AtomicInteger failures;
        private boolean upgraded;

        ViewerHandler(CountDownLatch handshakes, Semaphore slots, AtomicInteger failures) {
            this.handshakes = handshakes;
            this.slots = slots;
            this.failures = failures;
        }

        @Override
        public void userEventTriggered(ChannelHandlerContext ctx, Object evt) throws Exception {
            if (evt
                    == WebSocketClientProtocolHandler.ClientHandshakeStateEvent
                            .HANDSHAKE_COMPLETE) {
                upgraded = true;
                slots.release();
                handshakes.countDown();
            }
            super.userEventTriggered(ctx, evt);
        }

        @Override
        public void channelRead(ChannelHandlerContext ctx, Object msg) {
            try {
                if (counting && msg instanceof TextWebSocketFrame frame) {
                    count(frame.content(), System.currentTimeMillis());
                }
            } finally {
                ReferenceCountUtil.release(msg);
            }
        }

        @Override
        public void channelInactive(ChannelHandlerContext ctx) throws Exception {
            if (upgraded) {
                closedByServer.incrementAndGet();
            } else {
                failures.incrementAndGet();
                slots.release();
                handshakes.countDown();
            }
            super.channelInactive(ctx);
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            ctx.close();
        }
    }

    /** Per event loop thread: the frame being scanned, copied out of its buffer. */
    private static final ThreadLocal<byte[][]> SCRATCH =
            ThreadLocal.withInitial(() -> new byte[][] {new byte[64 * 1024]});

    private void count(ByteBuf content, long nowMs) {
        int length = content.readableBytes();
        byte[][] scratch = SCRATCH.get();
        if (scratch[0].length < length) {
            scratch[0] = new byte[Math.max(length, scratch[0].length * 2)];
        }
        byte[] bytes = scratch[0];
        content.getBytes(content.readerIndex(), bytes, 0, length);
        if (!matchesAt(bytes, 0, length, UPDATE_PREFIX)) {
            return;
        }
        frames.increment();
        for (int i = UPDATE_PREFIX.length; i < length; i++) {
            if (bytes[i] != '"' || !matchesAt(bytes, i, length, TS_FIELD)) {
                continue;
            }
            i += TS_FIELD.length;
            long ts = 0;
            for (; i < length && bytes[i] >= '0' && bytes[i] <= '9'; i++) {
                ts = ts * 10 + (bytes[i] - '0');
            }
            updates.increment();
            latencyMs.recordValue(Math.max(0, nowMs - ts));
        }
    }

    private static boolean matchesAt(byte[] bytes, int at, int length, byte[] needle) {
        if (length - at < needle.length) {
            return false;
        }
        for (int k = 0; k < needle.length; k++) {
            if (bytes[at + k] != needle[k]) {
                return false;
            }
        }
        return true;
    }
}
