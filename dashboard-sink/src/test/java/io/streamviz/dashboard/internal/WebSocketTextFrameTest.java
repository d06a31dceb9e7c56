package io.streamviz.dashboard.internal;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.http.websocketx.TextWebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocket08FrameDecoder;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class WebSocketTextFrameTest {

    @Test
    void framesOfEveryLengthEncodingDecodeToTheirPayload() {
        // 125 and below: length in the first byte; up to 65535: 16 bits; above: 64 bits.
        for (int length : new int[] {0, 125, 126, 65_535, 65_536, 200_000}) {
            String text = "x".repeat(length);
            ByteBuf payload = Unpooled.copiedBuffer(text, StandardCharsets.UTF_8);

            String decoded;
            try (WebSocketTextFrame frame =
                    WebSocketTextFrame.encode(ByteBufAllocator.DEFAULT, payload)) {
                assertThat(frame.payloadBytes()).isEqualTo(length);
                decoded = decodeAsViewer(frame.wire().retainedDuplicate());
            }

            assertThat(decoded).as("payload of %d bytes", length).isEqualTo(text);
            assertThat(payload.refCnt()).isZero();
        }
    }

    @Test
    void closingReleasesTheWireBufferOnceEveryDuplicateIsWritten() {
        WebSocketTextFrame frame =
                WebSocketTextFrame.encode(
                        ByteBufAllocator.DEFAULT,
                        Unpooled.copiedBuffer("{\"type\":\"update\"}", StandardCharsets.UTF_8));
        ByteBuf wire = frame.wire();
        ByteBuf forOneViewer = wire.retainedDuplicate();

        frame.close();
        assertThat(wire.refCnt()).isEqualTo(1);
        forOneViewer.release();

        assertThat(wire.refCnt()).isZero();
    }

    private static String decodeAsViewer(ByteBuf wire) {
        EmbeddedChannel viewer =
                new EmbeddedChannel(new WebSocket08FrameDecoder(false, false, 1 << 20));
        viewer.writeInbound(wire);
        TextWebSocketFrame frame = viewer.readInbound();
        try {
            assertThat(frame.isFinalFragment()).isTrue();
            return frame.text();
        } finally {
            frame.release();
            viewer.finishAndReleaseAll();
        }
    }
}
