package dev.autocert4j.examples;

import dev.autocert4j.CertificateManager;
import java.io.IOException;
import java.net.ConnectException;
import java.net.InetSocketAddress;
import java.net.Socket;

/** The three example servers, for parameterised tests. */
enum ServerKind {
    JDK_HTTPS_SERVER("the JDK HttpsServer") {
        @Override
        ExampleServer start(CertificateManager manager, InetSocketAddress address) throws Exception {
            return JdkHttpsServerExample.start(manager, address);
        }
    },
    JETTY("Jetty") {
        @Override
        ExampleServer start(CertificateManager manager, InetSocketAddress address) throws Exception {
            return JettyExample.start(manager, address);
        }
    },
    NETTY("Netty") {
        @Override
        ExampleServer start(CertificateManager manager, InetSocketAddress address) throws Exception {
            return NettyExample.start(manager, address);
        }
    };

    /** How the server names itself in its greeting. */
    final String greetingName;

    ServerKind(String greetingName) {
        this.greetingName = greetingName;
    }

    abstract ExampleServer start(CertificateManager manager, InetSocketAddress address) throws Exception;

    /** @return whether anything still accepts TCP connections at the address */
    static boolean accepts(InetSocketAddress address) throws IOException {
        try (Socket s = new Socket()) {
            s.connect(address, 2_000);
            return true;
        } catch (ConnectException e) {
            return false;
        }
    }
}
