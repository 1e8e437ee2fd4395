package io.tlsxtractor.probe.internal;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.http.HttpContent;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.util.ReferenceCountUtil;
import io.tlsxtractor.plugin.api.HttpHeaders;
import java.io.ByteArrayOutputStream;
import java.util.Map;
import java.util.function.Consumer;

/**
 * Collects one HTTP response, keeping at most {@code maxBody} bytes of the body: the response is
 * reported as soon as the limit is reached, so a server streaming forever cannot hold the probe.
 */
final class HttpCollector extends ChannelInboundHandlerAdapter {
    private final int maxBody;
    private final String url;
    private final Consumer<io.tlsxtractor.plugin.api.HttpResponse> done;
    private final ByteArrayOutputStream body = new ByteArrayOutputStream();
    private int status = -1;
    private HttpHeaders headers = HttpHeaders.empty();
    private boolean truncated;
    private boolean reported;

    HttpCollector(int maxBody, String url, Consumer<io.tlsxtractor.plugin.api.HttpResponse> done) {
        this.maxBody = maxBody;
        this.url = url;
        this.done = done;
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        try {
            if (reported) {
                return;
            }
            if (msg instanceof HttpResponse r) {
                status = r.status().code();
                HttpHeaders.Builder b = HttpHeaders.builder();
                for (Map.Entry<String, String> e : r.headers()) {
                    b.add(e.getKey(), e.getValue());
                }
                headers = b.build();
            }
            if (msg instanceof HttpContent c) {
                ByteBuf buf = c.content();
                int room = maxBody - body.size();
                int take = Math.min(room, buf.readableBytes());
                if (take > 0) {
                    byte[] bytes = new byte[take];
                    buf.getBytes(buf.readerIndex(), bytes);
                    body.write(bytes, 0, take);
                }
                if (buf.readableBytes() > take) {
                    truncated = true;
                }
                if (truncated || msg instanceof LastHttpContent) {
                    report();
                }
            }
        } finally {
            ReferenceCountUtil.release(msg);
        }
    }

    /** Called when the connection ends: a response without length ends with the connection. */
    boolean reportIfStarted() {
        if (!reported && status >= 0) {
            report();
            return true;
        }
        return reported;
    }

    private void report() {
        reported = true;
        done.accept(new io.tlsxtractor.plugin.api.HttpResponse(status, url, headers, body.toByteArray(), truncated));
    }
}
