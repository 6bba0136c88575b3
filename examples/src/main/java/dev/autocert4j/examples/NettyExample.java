package dev.autocert4j.examples;

import static java.util.Objects.requireNonNull;

import dev.autocert4j.CertificateManager;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import io.netty.handler.ssl.SslHandler;
import io.netty.handler.ssl.SslProvider;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLException;

/**
 * Netty serving the certificates of a {@link CertificateManager}: the server's {@link SslContext}
 * is built once from {@link CertificateManager#keyManager()}, which chooses the certificate by SNI
 * in every handshake, so a renewed certificate is served from the next connection on without
 * rebuilding the context or restarting the server.
 *
 * <pre>{@code
 * SslContext tls = SslContextBuilder.forServer(manager.keyManager()).sslProvider(SslProvider.JDK).build();
 * pipeline.addLast(tls.newHandler(channel.alloc()));
 * }</pre>
 */
public final class NettyExample {
    private NettyExample() {
    }

    /**
     * Starts a Netty HTTP/1.1 server over TLS that answers every request with {@code 200} and a
     * line naming the certificate it presented.
     *
     * @param manager the manager whose certificates are served; it stays the caller's to close
     * @param address where to listen; port 0 for any free port
     * @return the running server
     * @throws SSLException when the TLS context cannot be built
     * @throws InterruptedException when interrupted while binding
     */
    public static ExampleServer start(CertificateManager manager, InetSocketAddress address)
            throws SSLException, InterruptedException {
        requireNonNull(manager, "manager");
        requireNonNull(address, "address");
        // The JDK's TLS: it asks the key manager in every handshake, with the client's SNI name.
        SslContext tls = SslContextBuilder.forServer(manager.keyManager()).sslProvider(SslProvider.JDK).build();
        EventLoopGroup group = new MultiThreadIoEventLoopGroup(2, NioIoHandler.newFactory());
        try {
            Channel channel = new ServerBootstrap().group(group).channel(NioServerSocketChannel.class)
                    .childHandler(new ChannelInitializer<SocketChannel>() {
                        @Override
                        protected void initChannel(SocketChannel ch) {
                            ch.pipeline().addLast(tls.newHandler(ch.alloc()), new HttpServerCodec(),
                                    new HttpObjectAggregator(64 * 1024), new Hello());
                        }
                    })
                    .bind(address).sync().channel();
            InetSocketAddress bound = (InetSocketAddress) channel.localAddress();
            return new ExampleServer() {
                @Override
                public InetSocketAddress address() {
                    return bound;
                }

                @Override
                public void close() {
                    channel.close().syncUninterruptibly();
                    group.shutdownGracefully(0, 5, TimeUnit.SECONDS).syncUninterruptibly();
                }
            };
        } catch (InterruptedException | RuntimeException e) {
            group.shutdownGracefully(0, 5, TimeUnit.SECONDS);
            throw e;
        }
    }

    /** Answers each request with the greeting. */
    private static final class Hello extends SimpleChannelInboundHandler<FullHttpRequest> {
        @Override
        protected void channelRead0(ChannelHandlerContext ctx, FullHttpRequest request) {
            SslHandler ssl = ctx.pipeline().get(SslHandler.class);
            byte[] body = Greeting.body("Netty", ssl == null ? null : ssl.engine().getSession())
                    .getBytes(StandardCharsets.UTF_8);
            FullHttpResponse response = new DefaultFullHttpResponse(request.protocolVersion(), HttpResponseStatus.OK,
                    Unpooled.wrappedBuffer(body));
            response.headers().set(HttpHeaderNames.CONTENT_TYPE, "text/plain; charset=utf-8");
            response.headers().setInt(HttpHeaderNames.CONTENT_LENGTH, body.length);
            boolean keepAlive = HttpUtil.isKeepAlive(request);
            if (keepAlive) {
                response.headers().set(HttpHeaderNames.CONNECTION, HttpHeaderValues.KEEP_ALIVE);
                ctx.writeAndFlush(response);
            } else {
                ctx.writeAndFlush(response).addListener(ChannelFutureListener.CLOSE);
            }
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            ctx.close(); // a client that left mid-handshake, or spoke no TLS
        }
    }

    /**
     * Runs the example against a local Pebble CA: see {@link ExampleMain}.
     *
     * @param args optional: the port (default 8443) and how many seconds to run (default: until stopped)
     * @throws Exception when anything fails
     */
    public static void main(String[] args) throws Exception {
        ExampleMain.run("Netty", NettyExample::start, args);
    }
}
