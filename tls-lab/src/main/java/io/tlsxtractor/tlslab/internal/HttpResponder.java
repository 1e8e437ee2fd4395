package io.tlsxtractor.tlslab.internal;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.ssl.ApplicationProtocolNames;
import io.netty.handler.ssl.SslHandler;
import io.netty.handler.ssl.SslHandshakeCompletionEvent;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.charset.StandardCharsets;

/**
 * A minimal HTTP/1.1 server behind the TLS handler: reads one request head, answers it from the host's
 * {@link HttpSite} and closes ({@code Connection: close}). A connection that negotiated h2 gets an
 * HTTP/2 SETTINGS and GOAWAY frame instead, as a server that only wants HTTP/1.1 traffic would send.
 */
final class HttpResponder extends ChannelInboundHandlerAdapter {

    private static final Logger LOG = LoggerFactory.getLogger(HttpResponder.class);
    private static final int MAX_HEAD = 16 * 1024;

    /** An empty SETTINGS frame, then GOAWAY(last stream 0, NO_ERROR). */
    private static final byte[] H2_SETTINGS_GOAWAY = {
        0, 0, 0, 0x04, 0, 0, 0, 0, 0,
        0, 0, 8, 0x07, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0
    };

    private final HttpSite site;
    private final StringBuilder head = new StringBuilder();
    private boolean answered;

    HttpResponder(HttpSite site) {
        this.site = site;
    }

    @Override
    public void userEventTriggered(ChannelHandlerContext ctx, Object evt) throws Exception {
        if (evt instanceof SslHandshakeCompletionEvent && ((SslHandshakeCompletionEvent) evt).isSuccess()) {
            SslHandler ssl = ctx.pipeline().get(SslHandler.class);
            if (ssl != null && ApplicationProtocolNames.HTTP_2.equals(ssl.applicationProtocol())) {
                answered = true;
                ctx.writeAndFlush(Unpooled.wrappedBuffer(H2_SETTINGS_GOAWAY)).addListener(ChannelFutureListener.CLOSE);
            }
        }
        super.userEventTriggered(ctx, evt);
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        ByteBuf buf = (ByteBuf) msg;
        try {
            if (answered) {
                return;
            }
            head.append(buf.toString(StandardCharsets.ISO_8859_1));
        } finally {
            buf.release();
        }
        int end = head.indexOf("\r\n\r\n");
        if (end < 0) {
            end = head.indexOf("\n\n");
        }
        if (end < 0 && head.length() < MAX_HEAD) {
            return;
        }
        answered = true;
        byte[] response;
        String requestLine = head.toString().split("\r?\n", 2)[0];
        String[] parts = requestLine.split(" ");
        if (end < 0 || parts.length != 3 || !parts[2].startsWith("HTTP/1.") || !parts[1].startsWith("/")) {
            response = HttpSite.badRequest();
        } else {
            response = site.respond(parts[0], parts[1]).encode(parts[0].equals("HEAD"));
        }
        LOG.debug("HTTP {} -> {} bytes", requestLine, response.length);
        ctx.writeAndFlush(Unpooled.wrappedBuffer(response)).addListener(ChannelFutureListener.CLOSE);
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        // Clients of a lab routinely abort handshakes; that is what the lab is for, not an error.
        LOG.debug("closing {} after {}", ctx.channel(), cause.toString());
        ctx.close();
    }
}
