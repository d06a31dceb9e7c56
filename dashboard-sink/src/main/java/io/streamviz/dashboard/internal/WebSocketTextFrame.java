package io.streamviz.dashboard.internal;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;

/**
 * One server-to-viewer text frame as it goes on the wire (RFC 6455, section 5.2: final fragment,
 * text opcode, unmasked, then the payload), encoded once and written to every viewer as a duplicate
 * of the same buffer. Netty's frame encoder would copy a small payload per viewer; a buffer that is
 * not a {@code WebSocketFrame} passes it untouched. Closing releases this holder's reference.
 */
final class WebSocketTextFrame implements AutoCloseable {

    private static final int FIN_TEXT = 0x81;

    private final ByteBuf wire;
    private final int payloadBytes;

    private WebSocketTextFrame(ByteBuf wire, int payloadBytes) {
        this.wire = wire;
        this.payloadBytes = payloadBytes;
    }

    /** Encodes {@code payload}, UTF-8 JSON, and releases it. */
    static WebSocketTextFrame encode(ByteBufAllocator alloc, ByteBuf payload) {
        try {
            int length = payload.readableBytes();
            ByteBuf wire = alloc.buffer(headerBytes(length) + length);
            wire.writeByte(FIN_TEXT);
            if (length <= 125) {
                wire.writeByte(length);
            } else if (length <= 0xFFFF) {
                wire.writeByte(126);
                wire.writeShort(length);
            } else {
                wire.writeByte(127);
                wire.writeLong(length);
            }
            wire.writeBytes(payload, payload.readerIndex(), length);
            return new WebSocketTextFrame(wire, length);
        } finally {
            payload.release();
        }
    }

    private static int headerBytes(int length) {
        return length <= 125 ? 2 : length <= 0xFFFF ? 4 : 10;
    }

    /** The encoded frame; callers that keep it retain it. */
    ByteBuf wire() {
        return wire;
    }

    int payloadBytes() {
        return payloadBytes;
    }

    @Override
    public void close() {
        wire.release();
    }
}
