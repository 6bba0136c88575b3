package dev.autocert4j.docs;

import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsServer;
import dev.autocert4j.CertificateManager;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelPipeline;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import io.netty.handler.ssl.SslProvider;
import java.io.IOException;
import java.net.InetSocketAddress;
import javax.net.ssl.SSLException;
import org.eclipse.jetty.server.HttpConfiguration;
import org.eclipse.jetty.server.HttpConnectionFactory;
import org.eclipse.jetty.server.SecureRequestCustomizer;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.server.SslConnectionFactory;
import org.eclipse.jetty.util.ssl.SslContextFactory;

/** The README's "any TLS server" section: the JDK server, Jetty 12 and Netty take the manager's TLS. */
final class TlsServers {
    private TlsServers() {
    }

    static HttpsServer jdk(CertificateManager manager) throws IOException {
        // tag::jdk-https-server[]
        HttpsServer server = HttpsServer.create(new InetSocketAddress(8443), 0);
        server.setHttpsConfigurator(new HttpsConfigurator(manager.sslContext()));
        // end::jdk-https-server[]
        return server;
    }

    static void jetty(CertificateManager manager, Server server) {
        // tag::jetty[]
        SslContextFactory.Server tls = new SslContextFactory.Server();
        tls.setSslContext(manager.sslContext());
        HttpConfiguration https = new HttpConfiguration();
        https.addCustomizer(new SecureRequestCustomizer());
        server.addConnector(new ServerConnector(server, new SslConnectionFactory(tls, "http/1.1"),
                new HttpConnectionFactory(https)));
        // end::jetty[]
    }

    static void netty(CertificateManager manager, ChannelPipeline pipeline, Channel channel, ChannelHandler application)
            throws SSLException {
        // tag::netty[]
        SslContext tls = SslContextBuilder.forServer(manager.keyManager()).sslProvider(SslProvider.JDK).build();
        pipeline.addLast(tls.newHandler(channel.alloc()), new HttpServerCodec(), application);
        // end::netty[]
    }
}
