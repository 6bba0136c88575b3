package dev.autocert4j;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.autocert4j.issuer.IssuerScope;
import dev.autocert4j.store.CertificateStore;
import dev.autocert4j.store.InMemoryCertificateStore;
import java.math.BigInteger;
import java.net.InetAddress;
import java.security.KeyStore;
import java.security.cert.PKIXBuilderParameters;
import java.security.cert.X509CertSelector;
import java.security.cert.X509Certificate;
import java.util.Date;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import javax.net.ssl.CertPathTrustManagerParameters;
import javax.net.ssl.SNIHostName;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLException;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLServerSocket;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManagerFactory;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** {@link CertificateManager#sslContext()} in real TLS handshakes on loopback: SNI selection and live renewal. */
class KeyManagerTest {
    private final CountingIssuer issuer = new CountingIssuer("ca", IssuerScope.cluster());
    private final MovableClock clock = new MovableClock();
    private final InMemoryCertificateStore store = new InMemoryCertificateStore();
    private final ExecutorService acceptor = Executors.newSingleThreadExecutor();
    private SSLServerSocket server;

    @AfterEach
    void stop() throws Exception {
        if (server != null) {
            server.close();
        }
        acceptor.shutdownNow();
    }

    private static Certificate cert(String name, String... dnsNames) {
        return Certificate.builder(name).dnsNames(dnsNames).issuerRef(IssuerRef.clusterIssuer("ca")).build();
    }

    /** Serves TLS with the manager's context until closed; each connection completes a handshake and closes. */
    private int serve(CertificateManager manager) throws Exception {
        server = (SSLServerSocket) manager.sslContext().getServerSocketFactory().createServerSocket(0, 50,
                InetAddress.getLoopbackAddress());
        acceptor.submit(() -> {
            while (!server.isClosed()) {
                try (SSLSocket s = (SSLSocket) server.accept()) {
                    s.startHandshake();
                    s.getOutputStream().write(1);
                } catch (Exception e) {
                    // next connection
                }
            }
            return null;
        });
        return server.getLocalPort();
    }

    /**
     * @return the leaf the server presented for {@code sni} (none sent when null), verified against
     *     the test CA at the test clock's time
     */
    private X509Certificate handshake(int port, String sni) throws Exception {
        KeyStore anchors = KeyStore.getInstance("PKCS12");
        anchors.load(null, null);
        anchors.setCertificateEntry("test-ca", issuer.caCertificate());
        PKIXBuilderParameters pkix = new PKIXBuilderParameters(anchors, new X509CertSelector());
        pkix.setRevocationEnabled(false);
        pkix.setDate(Date.from(clock.instant())); // the certificates live on the test clock
        TrustManagerFactory tmf = TrustManagerFactory.getInstance("PKIX");
        tmf.init(new CertPathTrustManagerParameters(pkix));
        SSLContext client = SSLContext.getInstance("TLS");
        client.init(null, tmf.getTrustManagers(), null);
        try (SSLSocket socket = (SSLSocket) client.getSocketFactory().createSocket(InetAddress.getLoopbackAddress(), port)) {
            SSLParameters parameters = socket.getSSLParameters();
            parameters.setServerNames(sni == null ? List.of() : List.of(new SNIHostName(sni)));
            socket.setSSLParameters(parameters);
            socket.startHandshake();
            assertThat(socket.getInputStream().read()).isEqualTo(1);
            return (X509Certificate) socket.getSession().getPeerCertificates()[0];
        }
    }

    private static BigInteger serial(CertificateStore store, Certificate c) throws Exception {
        return store.load(c).orElseThrow().leaf().getSerialNumber();
    }

    @Test
    void choosesByExactNameThenWildcardThenTheDefault() throws Exception {
        Certificate www = cert("www", "www.example.com");
        Certificate wildcard = cert("wildcard", "*.example.org");
        Certificate apex = cert("apex", "example.net");
        try (CertificateManager manager = CertificateManager.builder().issuer(issuer).store(store).clock(clock)
                .defaultServerName("example.net").build()) {
            manager.manage(www);
            manager.manage(wildcard);
            manager.manage(apex);
            manager.runDue();
            int port = serve(manager);

            assertThat(handshake(port, "www.example.com").getSerialNumber()).isEqualTo(serial(store, www));
            assertThat(handshake(port, "WWW.Example.COM").getSerialNumber()).as("case-insensitive").isEqualTo(serial(store, www));
            assertThat(handshake(port, "shop.example.org").getSerialNumber()).isEqualTo(serial(store, wildcard));
            assertThat(handshake(port, "a.b.example.org").getSerialNumber()).as("a wildcard covers one label only")
                    .isEqualTo(serial(store, apex));
            assertThat(handshake(port, "unknown.test").getSerialNumber()).isEqualTo(serial(store, apex));
            assertThat(handshake(port, null).getSerialNumber()).isEqualTo(serial(store, apex));
        }
    }

    @Test
    void withoutADefaultNameAClientWithNoOrAnUnknownNameGetsNoCertificateAtAll() throws Exception {
        Certificate www = cert("www", "www.example.com");
        Certificate wildcard = cert("wildcard", "*.example.org");
        try (CertificateManager manager = CertificateManager.builder().issuer(issuer).store(store).clock(clock).build()) {
            manager.manage(www);
            manager.manage(wildcard);
            manager.runDue();
            int port = serve(manager);

            assertThatThrownBy(() -> handshake(port, null)).as("no SNI").isInstanceOf(SSLException.class);
            assertThatThrownBy(() -> handshake(port, "unknown.test")).as("unknown SNI").isInstanceOf(SSLException.class);
            assertThatThrownBy(() -> handshake(port, "example.org")).as("a wildcard does not cover its apex")
                    .isInstanceOf(SSLException.class);
            assertThat(handshake(port, "www.example.com").getSerialNumber()).isEqualTo(serial(store, www));
            assertThat(handshake(port, "shop.example.org").getSerialNumber()).isEqualTo(serial(store, wildcard));
        }
    }

    @Test
    void aDefaultNameNoCertificateCoversFailsTheHandshakeInsteadOfShowingAnotherCertificate() throws Exception {
        Certificate www = cert("www", "www.example.com");
        try (CertificateManager manager = CertificateManager.builder().issuer(issuer).store(store).clock(clock)
                .defaultServerName("default.example.net").build()) {
            manager.manage(www);
            manager.runDue();
            int port = serve(manager);

            assertThatThrownBy(() -> handshake(port, null)).isInstanceOf(SSLException.class);
            assertThat(handshake(port, "www.example.com").getSerialNumber()).isEqualTo(serial(store, www));
        }
    }

    @Test
    void aDefaultNameCoveredByAWildcardGetsTheWildcardCertificate() throws Exception {
        Certificate www = cert("www", "www.example.com");
        Certificate wildcard = cert("wildcard", "*.example.org");
        try (CertificateManager manager = CertificateManager.builder().issuer(issuer).store(store).clock(clock)
                .defaultServerName("www.example.org").build()) {
            manager.manage(www);
            manager.manage(wildcard);
            manager.runDue();
            int port = serve(manager);

            assertThat(handshake(port, null).getSerialNumber()).isEqualTo(serial(store, wildcard));
            assertThat(handshake(port, "unknown.test").getSerialNumber()).isEqualTo(serial(store, wildcard));
        }
    }

    @Test
    void aRenewedCertificateIsServedFromTheNextHandshakeWithoutARestart() throws Exception {
        Certificate www = cert("www", "www.example.com");
        try (CertificateManager manager = CertificateManager.builder().issuer(issuer).store(store).clock(clock).build()) {
            manager.manage(www);
            manager.runDue();
            int port = serve(manager);
            BigInteger first = handshake(port, "www.example.com").getSerialNumber();

            clock.now = manager.nextCheck(www).orElseThrow();
            manager.runDue();

            BigInteger second = handshake(port, "www.example.com").getSerialNumber();
            assertThat(second).isNotEqualTo(first).isEqualTo(serial(store, www));
        }
    }

    @Test
    void aCertificateAnotherManagerRenewedIsPickedUpAtTheNextCheck() throws Exception {
        Certificate www = cert("www", "www.example.com");
        try (CertificateManager serving = CertificateManager.builder().issuer(issuer).store(store).clock(clock).build();
                CertificateManager other = CertificateManager.builder().issuer(issuer).store(store).clock(clock).build()) {
            serving.manage(www);
            serving.runDue();
            int port = serve(serving);

            clock.advance(java.time.Duration.ofDays(10));
            other.renew(www); // another replica renewed early
            clock.now = serving.nextCheck(www).orElseThrow();
            serving.runDue();

            assertThat(issuer.calls).as("the serving manager did not order again").hasValue(2);
            assertThat(handshake(port, "www.example.com").getSerialNumber()).isEqualTo(serial(store, www));
        }
    }

    @Test
    void aCertificateObtainedWithoutManageIsServedUntilItExpiresThenTheDefaultNameIsAndNothingRenewsIt() throws Exception {
        Certificate once = cert("once", "www.example.com");
        Certificate apex = cert("apex", "example.net");
        try (CertificateManager manager = CertificateManager.builder().issuer(issuer).store(store).clock(clock)
                .defaultServerName("example.net").build()) {
            BigInteger obtained = manager.obtain(once).leaf().getSerialNumber();
            manager.manage(apex);
            manager.runDue();
            int port = serve(manager);
            java.time.Instant notAfter = store.load(once).orElseThrow().leaf().getNotAfter().toInstant();

            clock.now = notAfter.minusSeconds(1);
            manager.runDue(); // renews the managed apex, not the obtained one
            assertThat(handshake(port, "www.example.com").getSerialNumber()).as("served until it expires")
                    .isEqualTo(obtained);

            clock.now = notAfter;
            manager.runDue();
            assertThat(handshake(port, "www.example.com").getSerialNumber()).as("expired: the default name's certificate")
                    .isEqualTo(serial(store, apex));
            assertThat(serial(store, once)).as("never renewed").isEqualTo(obtained);
        }
    }

    @Test
    void anExpiredCertificateObtainedWithoutManageFailsTheHandshakeWhenThereIsNoDefaultName() throws Exception {
        Certificate once = cert("once", "www.example.com");
        try (CertificateManager manager = CertificateManager.builder().issuer(issuer).store(store).clock(clock).build()) {
            manager.obtain(once);
            int port = serve(manager);
            clock.now = store.load(once).orElseThrow().leaf().getNotAfter().toInstant().plusSeconds(1);

            assertThatThrownBy(() -> handshake(port, "www.example.com")).isInstanceOf(SSLException.class)
                    .as("the server had no certificate to offer, rather than offering the expired one")
                    .hasMessageContaining("handshake_failure");
        }
    }
}
