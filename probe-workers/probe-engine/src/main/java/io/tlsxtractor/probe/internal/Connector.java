package io.tlsxtractor.probe.internal;

import io.netty.channel.Channel;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoop;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.epoll.EpollSocketChannel;
import io.netty.channel.socket.nio.NioSocketChannel;

/**
 * Makes the engine's client channels on its event loops. A stripped-down Bootstrap: the channel
 * is registered and its connect issued inline on the loop that runs the attempt, so that the
 * attempt's deadline can start at the very moment the SYN is sent (a Bootstrap queues the connect
 * as another task on the loop, behind whatever else is waiting there).
 */
public final class Connector {
    private final EventLoopGroup group;
    private final boolean epoll;

    public Connector(EventLoopGroup group, boolean epoll) {
        this.group = group;
        this.epoll = epoll;
    }

    /** The next event loop, round robin. */
    public EventLoop next() {
        return group.next();
    }

    /** A new, unregistered client channel with the engine's socket options. */
    Channel newChannel(int connectTimeoutMillis) {
        Channel ch = epoll ? new EpollSocketChannel() : new NioSocketChannel();
        ch.config().setOption(ChannelOption.TCP_NODELAY, true);
        ch.config().setOption(ChannelOption.SO_KEEPALIVE, false);
        ch.config().setOption(ChannelOption.CONNECT_TIMEOUT_MILLIS, connectTimeoutMillis);
        return ch;
    }
}
