package dev.autocert4j;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.autocert4j.issuer.IssuerScope;
import dev.autocert4j.store.CertificateStore;
import dev.autocert4j.store.InMemoryCertificateStore;
import dev.autocert4j.testing.support.MovableClock;
import java.math.BigInteger;
import java.net.InetAddress;
import java.net.Socket;
import java.security.KeyStore;
import java.security.Principal;
import java.security.PrivateKey;
import java.security.cert.PKIXBuilderParameters;
import java.security.cert.X509CertSelector;
import java.security.cert.X509Certificate;
import java.util.Date;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import javax.net.ssl.CertPathTrustManagerParameters;
import javax.net.ssl.KeyManager;
import javax.net.ssl.SNIHostName;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLException;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLServerSocket;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManagerFactory;
import javax.net.ssl.X509ExtendedKeyManager;
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
        return serve(manager.sslContext());
    }

    private int serve(SSLContext context) throws Exception {
        server = (SSLServerSocket) context.getServerSocketFactory().createServerSocket(0, 50,
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
        return handshake(client(), port, sni);
    }

    /** @return a client that trusts the test CA at the test clock's time; it resumes its own earlier sessions */
    private SSLContext client() throws Exception {
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
        return client;
    }

    private static X509Certificate handshake(SSLContext client, int port, String sni) throws Exception {
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

            clock.set(manager.nextCheck(www).orElseThrow());
            manager.runDue();

            BigInteger second = handshake(port, "www.example.com").getSerialNumber();
            assertThat(second).isNotEqualTo(first).isEqualTo(serial(store, www));
        }
    }

    @Test
    void afterCloseTheKeyManagerKeepsServingWhatItServed() throws Exception {
        Certificate www = cert("www", "www.example.com");
        CertificateManager manager = CertificateManager.builder().issuer(issuer).store(store).clock(clock).build();
        manager.manage(www);
        manager.runDue();
        int port = serve(manager);
        BigInteger served = handshake(port, "www.example.com").getSerialNumber();

        manager.close();

        assertThat(handshake(port, "www.example.com").getSerialNumber()).isEqualTo(served);
        assertThat(handshake(port, "www.example.com").getSerialNumber()).as("and again").isEqualTo(served);
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
            clock.set(serving.nextCheck(www).orElseThrow());
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

            clock.set(notAfter.minusSeconds(1));
            manager.runDue(); // renews the managed apex, not the obtained one
            assertThat(handshake(port, "www.example.com").getSerialNumber()).as("served until it expires")
                    .isEqualTo(obtained);

            clock.set(notAfter);
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
            clock.set(store.load(once).orElseThrow().leaf().getNotAfter().toInstant().plusSeconds(1));

            assertThatThrownBy(() -> handshake(port, "www.example.com")).isInstanceOf(SSLException.class)
                    .as("the server had no certificate to offer, rather than offering the expired one")
                    .hasMessageContaining("handshake_failure");
        }
    }

    @Test
    void aHandshakeUnderWayWhileARenewalSwapsTheCertificateFinishesWithTheRevisionItChose() throws Exception {
        Certificate www = cert("www", "www.example.com");
        try (CertificateManager manager = CertificateManager.builder().issuer(issuer).store(store).clock(clock).build()) {
            manager.manage(www);
            manager.runDue();
            BigInteger first = serial(store, www);
            PausingKeyManager paused = new PausingKeyManager(manager.keyManager());
            SSLContext serverContext = SSLContext.getInstance("TLS");
            serverContext.init(new KeyManager[] {paused}, null, null);
            int port = serve(serverContext);
            ExecutorService clientThread = Executors.newSingleThreadExecutor();
            try {
                Future<X509Certificate> underWay = clientThread.submit(() -> handshake(port, "www.example.com"));
                assertThat(paused.chosen.await(30, TimeUnit.SECONDS)).as("the server chose its certificate").isTrue();

                // The server has chosen the certificate (its alias) but not yet read its key and chain.
                clock.set(manager.nextCheck(www).orElseThrow());
                assertThat(manager.runDue()).isEqualTo(1);
                BigInteger renewed = serial(store, www);
                assertThat(renewed).isNotEqualTo(first);
                paused.proceed.countDown();

                assertThat(underWay.get(30, TimeUnit.SECONDS).getSerialNumber())
                        .as("the handshake under way got the key and chain of the revision it chose").isEqualTo(first);
                assertThat(handshake(port, "www.example.com").getSerialNumber()).as("the next handshake").isEqualTo(renewed);
            } finally {
                paused.proceed.countDown();
                clientThread.shutdownNow();
            }
        }
    }

    @Test
    void aResumedSessionKeepsItsCertificateAfterARenewalWhileNewSessionsGetTheNewOne() throws Exception {
        Certificate www = cert("www", "www.example.com");
        try (CertificateManager manager = CertificateManager.builder().issuer(issuer).store(store).clock(clock).build()) {
            manager.manage(www);
            manager.runDue();
            int port = serve(manager);
            SSLContext returning = client();
            BigInteger first = handshake(returning, port, "www.example.com").getSerialNumber();

            clock.set(manager.nextCheck(www).orElseThrow());
            manager.runDue();
            BigInteger renewed = serial(store, www);
            assertThat(renewed).isNotEqualTo(first);

            assertThat(handshake(returning, port, "www.example.com").getSerialNumber())
                    .as("a client resuming its session from before the renewal").isEqualTo(first);
            assertThat(handshake(client(), port, "www.example.com").getSerialNumber())
                    .as("a new session").isEqualTo(renewed);
        }
    }

    /**
     * The manager's key manager, with one pause: the first time it has chosen a certificate for a
     * handshake, it waits for {@link #proceed} before the TLS stack reads that certificate's key and
     * chain, so that a renewal can land in between.
     */
    private static final class PausingKeyManager extends X509ExtendedKeyManager {
        final CountDownLatch chosen = new CountDownLatch(1);
        final CountDownLatch proceed = new CountDownLatch(1);
        private final X509ExtendedKeyManager delegate;
        private final AtomicBoolean armed = new AtomicBoolean(true);

        PausingKeyManager(X509ExtendedKeyManager delegate) {
            this.delegate = delegate;
        }

        private String pauseOnce(String alias) {
            if (alias != null && armed.compareAndSet(true, false)) {
                chosen.countDown();
                try {
                    proceed.await(30, TimeUnit.SECONDS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
            return alias;
        }

        @Override
        public String chooseServerAlias(String keyType, Principal[] issuers, Socket socket) {
            return pauseOnce(delegate.chooseServerAlias(keyType, issuers, socket));
        }

        @Override
        public String chooseEngineServerAlias(String keyType, Principal[] issuers, SSLEngine engine) {
            return pauseOnce(delegate.chooseEngineServerAlias(keyType, issuers, engine));
        }

        @Override
        public String[] getServerAliases(String keyType, Principal[] issuers) {
            return delegate.getServerAliases(keyType, issuers);
        }

        @Override
        public X509Certificate[] getCertificateChain(String alias) {
            return delegate.getCertificateChain(alias);
        }

        @Override
        public PrivateKey getPrivateKey(String alias) {
            return delegate.getPrivateKey(alias);
        }

        @Override
        public String[] getClientAliases(String keyType, Principal[] issuers) {
            return delegate.getClientAliases(keyType, issuers);
        }

        @Override
        public String chooseClientAlias(String[] keyType, Principal[] issuers, Socket socket) {
            return delegate.chooseClientAlias(keyType, issuers, socket);
        }
    }
}
