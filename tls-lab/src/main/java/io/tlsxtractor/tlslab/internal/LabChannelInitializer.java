package io.tlsxtractor.tlslab.internal;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.ChannelPipeline;
import io.netty.channel.socket.SocketChannel;
import io.netty.handler.ssl.AbstractSniHandler;
import io.netty.handler.ssl.SslHandler;
import io.netty.util.ReferenceCountUtil;
import io.netty.util.concurrent.Future;
import io.netty.util.concurrent.Promise;
import io.tlsxtractor.tlslab.HostBehaviour;
import io.tlsxtractor.tlslab.Profile;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.net.InetAddress;
import java.util.Random;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Sets up each accepted connection from the address the client dialled (the socket's local address):
 * either one of the non-TLS behaviours, or SNI-based selection of a TLS context followed by HTTP.
 */
public final class LabChannelInitializer extends ChannelInitializer<SocketChannel> {

    private static final Logger LOG = LoggerFactory.getLogger(LabChannelInitializer.class);

    /** A fatal {@code unrecognized_name} (112) alert record, as OpenSSL-based servers send from their SNI callback. */
    static final byte[] UNRECOGNIZED_NAME_ALERT = {0x15, 0x03, 0x03, 0x00, 0x02, 0x02, 0x70};

    private final LabEngine engine;
    private final AtomicLong accepted;

    public LabChannelInitializer(LabEngine engine, AtomicLong accepted) {
        this.engine = engine;
        this.accepted = accepted;
    }

    @Override
    protected void initChannel(SocketChannel ch) {
        accepted.incrementAndGet();
        InetAddress address = ch.localAddress().getAddress();
        if (!engine.spec().covers(address)) {
            // The listener is bound to the wildcard address to cover all of 127/8; anything else is turned away.
            LOG.debug("refusing a connection to {}: outside the lab range {}", address, engine.spec().range());
            ch.config().setOption(ChannelOption.SO_LINGER, 0);
            ch.close();
            return;
        }
        HostBehaviour b = engine.behaviour(address);
        LOG.debug("connection to {} from {}: {}", address, ch.remoteAddress(), b);
        ChannelPipeline p = ch.pipeline();
        if (b.has(Profile.TARPIT)) {
            p.addLast("tarpit", new Discard());
        } else if (b.has(Profile.RESET)) {
            p.addLast("reset", new OnFirstRead(null));
        } else if (b.has(Profile.GARBAGE)) {
            p.addLast("garbage", new OnFirstRead(garbage(address)));
        } else if (b.has(Profile.PLAIN_HTTP)) {
            p.addLast("plain-http", new OnFirstRead(HttpSite.badRequest()));
        } else {
            if (b.has(Profile.SLOW)) {
                p.addLast("slow", new SlowWriter(b.intArgument(Profile.SLOW)));
            }
            if (b.has(Profile.CLOSE_AFTER_HELLO)) {
                p.addLast("close-after-hello", new CloseAfterFirstFlight());
            }
            p.addLast("sni", new LabSniHandler(engine, address, b.has(Profile.SLOW)));
            p.addLast("http", new HttpResponder(engine.site(address)));
        }
    }

    /** Random bytes that no TLS client can take for a record: the first byte is printable ASCII, not 0x14-0x18. */
    static byte[] garbage(InetAddress address) {
        byte[] bytes = new byte[512];
        new Random(address.hashCode()).nextBytes(bytes);
        bytes[0] = (byte) (0x20 + (bytes[0] & 0x3F));
        return bytes;
    }

    /** Reads and drops everything; never writes, never closes. */
    static final class Discard extends ChannelInboundHandlerAdapter {
        @Override
        public void channelRead(ChannelHandlerContext ctx, Object msg) {
            ReferenceCountUtil.release(msg);
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            ctx.close();
        }
    }

    /** On the first bytes from the client: answer {@code reply} and close, or (reply null) reset the connection. */
    static final class OnFirstRead extends ChannelInboundHandlerAdapter {
        private final byte[] reply;
        private boolean done;

        OnFirstRead(byte[] reply) {
            this.reply = reply;
        }

        @Override
        public void channelRead(ChannelHandlerContext ctx, Object msg) {
            ReferenceCountUtil.release(msg);
            if (done) {
                return;
            }
            done = true;
            if (reply == null) {
                // Linger 0 makes close() send RST instead of FIN.
                ctx.channel().config().setOption(ChannelOption.SO_LINGER, 0);
                ctx.close();
            } else {
                ctx.writeAndFlush(Unpooled.wrappedBuffer(reply)).addListener(ChannelFutureListener.CLOSE);
            }
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            ctx.close();
        }
    }

    /** Picks the TLS context from the ClientHello's SNI, or aborts with an alert. */
    static final class LabSniHandler extends AbstractSniHandler<LabEngine.Decision> {
        private final LabEngine engine;
        private final InetAddress address;
        private final boolean slow;

        LabSniHandler(LabEngine engine, InetAddress address, boolean slow) {
            // Up to 30 s for the ClientHello and for making the host's certificate (RSA 4096 keys are slow).
            super(30_000L);
            this.engine = engine;
            this.address = address;
            this.slow = slow;
        }

        @Override
        protected Future<LabEngine.Decision> lookup(ChannelHandlerContext ctx, String hostname) {
            LabEngine.Decision ready = engine.decide(address, hostname, false);
            if (ready != null) {
                return ctx.executor().newSucceededFuture(ready);
            }
            Promise<LabEngine.Decision> promise = ctx.executor().newPromise();
            engine.issuer().execute(() -> {
                try {
                    promise.trySuccess(engine.decide(address, hostname, true));
                } catch (Throwable t) {
                    promise.tryFailure(t);
                }
            });
            return promise;
        }

        @Override
        protected void onLookupComplete(ChannelHandlerContext ctx, String hostname, Future<LabEngine.Decision> future) {
            if (ctx.isRemoved() || !ctx.channel().isActive()) {
                // The client gave up while the certificate was being made.
                return;
            }
            if (!future.isSuccess()) {
                LOG.warn("cannot serve {} (SNI {}): {}", address, hostname, future.cause().toString(), future.cause());
                ctx.close();
                return;
            }
            LabEngine.Decision decision = future.getNow();
            if (decision.kind() != LabEngine.Decision.Kind.SERVE) {
                LOG.debug("aborting the handshake to {} (SNI {}): {}", address, hostname, decision.reason());
                ctx.writeAndFlush(Unpooled.wrappedBuffer(UNRECOGNIZED_NAME_ALERT)).addListener(ChannelFutureListener.CLOSE);
                return;
            }
            SslHandler ssl = decision.context().newHandler(ctx.alloc());
            if (slow) {
                ssl.setHandshakeTimeoutMillis(0);
            }
            ctx.pipeline().replace(this, "tls", ssl);
        }
    }

    /**
     * Delays every outgoing byte: queues what the TLS handler writes and sends one byte per interval.
     * Write promises complete at once, so the TLS engine does not stall behind the trickle.
     */
    static final class SlowWriter extends io.netty.channel.ChannelOutboundHandlerAdapter {
        private final long intervalMillis;
        private ByteBuf pending;
        private io.netty.util.concurrent.ScheduledFuture<?> ticker;

        SlowWriter(long intervalMillis) {
            this.intervalMillis = intervalMillis;
        }

        @Override
        public void handlerAdded(ChannelHandlerContext ctx) {
            pending = ctx.alloc().buffer();
        }

        @Override
        public void write(ChannelHandlerContext ctx, Object msg, io.netty.channel.ChannelPromise promise) {
            if (!(msg instanceof ByteBuf)) {
                ctx.write(msg, promise);
                return;
            }
            ByteBuf buf = (ByteBuf) msg;
            pending.writeBytes(buf);
            buf.release();
            promise.trySuccess();
            if (ticker == null) {
                ticker = ctx.executor().scheduleAtFixedRate(() -> tick(ctx), 0, intervalMillis,
                        java.util.concurrent.TimeUnit.MILLISECONDS);
            }
        }

        @Override
        public void flush(ChannelHandlerContext ctx) {
            // The ticker flushes; flushing here would not send anything sooner.
        }

        private void tick(ChannelHandlerContext ctx) {
            if (!ctx.channel().isActive()) {
                ticker.cancel(false);
                return;
            }
            if (pending.isReadable()) {
                ctx.writeAndFlush(pending.readRetainedSlice(1));
                if (pending.readerIndex() > 4096) {
                    pending.discardReadBytes();
                }
            }
        }

        @Override
        public void handlerRemoved(ChannelHandlerContext ctx) {
            if (ticker != null) {
                ticker.cancel(false);
            }
            pending.release();
        }
    }

    /**
     * Lets exactly the first TLS record the server writes (the one holding its ServerHello) reach the
     * client, then closes. Cutting at a record boundary rather than after the whole first flight matters
     * for TLS 1.3, whose first flight already ends with the server's Finished: a client that got all of it
     * could complete the handshake.
     */
    static final class CloseAfterFirstFlight extends io.netty.channel.ChannelOutboundHandlerAdapter {
        private final byte[] header = new byte[5];
        private int headerBytes;
        private int bodyLeft = -1;
        private boolean closing;

        @Override
        public void write(ChannelHandlerContext ctx, Object msg, io.netty.channel.ChannelPromise promise) {
            if (closing || !(msg instanceof ByteBuf)) {
                ReferenceCountUtil.release(msg);
                promise.trySuccess();
                return;
            }
            ByteBuf buf = (ByteBuf) msg;
            int take = 0;
            while (buf.readerIndex() + take < buf.writerIndex() && bodyLeft != 0) {
                if (headerBytes < header.length) {
                    header[headerBytes++] = buf.getByte(buf.readerIndex() + take);
                    take++;
                    if (headerBytes == header.length) {
                        bodyLeft = ((header[3] & 0xFF) << 8) | (header[4] & 0xFF);
                    }
                } else {
                    int n = Math.min(bodyLeft, buf.writerIndex() - buf.readerIndex() - take);
                    take += n;
                    bodyLeft -= n;
                }
            }
            ctx.write(buf.retainedSlice(buf.readerIndex(), take), promise);
            buf.release();
            if (bodyLeft == 0) {
                closing = true;
                // The empty write completes only after everything queued before it has reached the socket. Then FIN
                // alone: closing a socket whose input still holds the client's next flight sends an RST, which races
                // the FIN and lets the client see a reset instead of the end of the stream. The full close follows.
                ctx.writeAndFlush(Unpooled.EMPTY_BUFFER).addListener(f -> {
                    if (ctx.channel() instanceof io.netty.channel.socket.DuplexChannel duplex) {
                        duplex.shutdownOutput().addListener(done -> ctx.executor().schedule(
                                () -> ctx.close(), 2, java.util.concurrent.TimeUnit.SECONDS));
                    } else {
                        ctx.close();
                    }
                });
            }
        }
    }
}
