package dev.autocert4j.issuer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsParameters;
import com.sun.net.httpserver.HttpsServer;
import dev.autocert4j.AutocertException;
import dev.autocert4j.PrivateKeySpec;
import dev.autocert4j.internal.x509.KeyPairs;
import dev.autocert4j.lock.LockProvider;
import dev.autocert4j.solver.SolverSet;
import dev.autocert4j.store.CertificateMetadata;
import dev.autocert4j.store.InMemoryCertificateStore;
import dev.autocert4j.store.StoredCertificate;
import java.math.BigInteger;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.security.KeyPair;
import java.security.KeyStore;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Instant;
import java.util.Base64;
import java.util.Date;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509ExtensionUtils;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * {@link AcmeIssuer#renewalWindow}: ACME Renewal Information (RFC 9773). Pebble 2.4 has no ARI, so
 * this test serves a small fake directory and {@code renewalInfo} endpoint on loopback instead.
 */
class AcmeRenewalInfoTest {
    private final List<String> requests = new CopyOnWriteArrayList<>();
    private HttpsServer server;
    private X509Certificate serverCertificate;
    private volatile int ariStatus = 200;
    private final AtomicInteger connections = new AtomicInteger();

    @AfterEach
    void stop() {
        if (server != null) {
            server.stop(0);
        }
    }

    private URI start(boolean offerRenewalInfo) throws Exception {
        server = HttpsServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.setHttpsConfigurator(new HttpsConfigurator(serverTls()) {
            @Override
            public void configure(HttpsParameters params) { // called once for each TLS connection the server accepts
                connections.incrementAndGet();
                super.configure(params);
            }
        });
        String base = "https://127.0.0.1:" + server.getAddress().getPort();
        server.createContext("/dir", exchange -> {
            String body = "{\"newNonce\":\"" + base + "/nonce\",\"newAccount\":\"" + base + "/account\",\"newOrder\":\""
                    + base + "/order\"" + (offerRenewalInfo ? ",\"renewalInfo\":\"" + base + "/ari\"" : "") + "}";
            respond(exchange, 200, body);
        });
        server.createContext("/ari/", exchange -> {
            requests.add(exchange.getRequestMethod() + " " + exchange.getRequestURI().getPath());
            respond(exchange, ariStatus, "{\"suggestedWindow\":{\"start\":\"2026-03-01T00:00:00Z\",\"end\":\"2026-03-02T12:00:00Z\"}}");
        });
        server.start();
        return URI.create(base + "/dir");
    }

    /** A self-signed certificate for 127.0.0.1, which the issuer is told to trust. */
    private SSLContext serverTls() throws Exception {
        KeyPair key = KeyPairs.generate(PrivateKeySpec.ecdsa(256));
        Instant now = Instant.now();
        var builder = new JcaX509v3CertificateBuilder(new X500Name("CN=127.0.0.1"), BigInteger.ONE,
                Date.from(now.minusSeconds(60)), Date.from(now.plusSeconds(3600)), new X500Name("CN=127.0.0.1"), key.getPublic());
        builder.addExtension(Extension.subjectAlternativeName, false,
                new GeneralNames(new GeneralName(GeneralName.iPAddress, "127.0.0.1")));
        serverCertificate = new JcaX509CertificateConverter().getCertificate(
                builder.build(new JcaContentSignerBuilder("SHA256withECDSA").build(key.getPrivate())));
        KeyStore keyStore = KeyStore.getInstance("PKCS12");
        keyStore.load(null, null);
        keyStore.setKeyEntry("server", key.getPrivate(), new char[0], new X509Certificate[] {serverCertificate});
        KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
        kmf.init(keyStore, new char[0]);
        SSLContext context = SSLContext.getInstance("TLS");
        context.init(kmf.getKeyManagers(), null, null);
        return context;
    }

    private AcmeIssuer issuer(URI directory) {
        return AcmeIssuer.builder("ca").directory(directory).trustedCertificates(serverCertificate).build();
    }

    private static void respond(com.sun.net.httpserver.HttpExchange exchange, int status, String body) throws java.io.IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().add("Content-Type", "application/json");
        exchange.sendResponseHeaders(status, bytes.length);
        exchange.getResponseBody().write(bytes);
        exchange.close();
    }

    /** A leaf with an authority key identifier, which the ARI certificate id is made of. */
    private static StoredCertificate leafWithAuthorityKeyId(BigInteger serial) throws Exception {
        KeyPair ca = KeyPairs.generate(PrivateKeySpec.ecdsa(256));
        KeyPair leafKey = KeyPairs.generate(PrivateKeySpec.ecdsa(256));
        Instant now = Instant.parse("2026-01-01T00:00:00Z");
        var builder = new JcaX509v3CertificateBuilder(new X500Name("CN=Test CA"), serial, Date.from(now),
                Date.from(now.plusSeconds(90 * 86400L)), new X500Name("CN=www.example.com"), leafKey.getPublic());
        builder.addExtension(Extension.authorityKeyIdentifier, false,
                new JcaX509ExtensionUtils().createAuthorityKeyIdentifier(ca.getPublic()));
        X509Certificate leaf = new JcaX509CertificateConverter().getCertificate(
                builder.build(new JcaContentSignerBuilder("SHA256withECDSA").build(ca.getPrivate())));
        return new StoredCertificate(List.of(leaf), leafKey, new CertificateMetadata("f", "ca", 1, now));
    }

    private static IssuanceContext context() {
        return new IssuanceContext(new SolverSet(List.of()), new InMemoryCertificateStore(), LockProvider.inJvm(),
                Clock.systemUTC(), e -> { });
    }

    @Test
    void fetchesTheSuggestedWindowByTheCertificatesId() throws Exception {
        AcmeIssuer issuer = issuer(start(true));
        StoredCertificate stored = leafWithAuthorityKeyId(new BigInteger("87654321abcdef", 16));

        RenewalWindow window = issuer.renewalWindow(stored, context()).orElseThrow();

        assertThat(window).isEqualTo(new RenewalWindow(Instant.parse("2026-03-01T00:00:00Z"), Instant.parse("2026-03-02T12:00:00Z")));
        byte[] keyId = org.bouncycastle.asn1.x509.AuthorityKeyIdentifier.getInstance(
                org.bouncycastle.asn1.ASN1OctetString.getInstance(stored.leaf().getExtensionValue("2.5.29.35")).getOctets())
                .getKeyIdentifierOctets();
        String certId = Base64.getUrlEncoder().withoutPadding().encodeToString(keyId) + "."
                + Base64.getUrlEncoder().withoutPadding().encodeToString(stored.leaf().getSerialNumber().toByteArray());
        assertThat(requests).containsExactly("GET /ari/" + certId);
    }

    @Test
    void askingAgainReusesTheIssuersHttpClientAndItsConnection() throws Exception {
        AcmeIssuer issuer = issuer(start(true));
        StoredCertificate stored = leafWithAuthorityKeyId(BigInteger.valueOf(7));
        issuer.renewalWindow(stored, context()).orElseThrow();
        int afterFirst = connections.get();

        for (int i = 0; i < 3; i++) {
            issuer.renewalWindow(stored, context()).orElseThrow();
        }

        assertThat(requests).hasSize(4);
        assertThat(connections.get()).as("TLS connections opened by the later calls (a new HTTP client each would open one each)")
                .isEqualTo(afterFirst);
    }

    @Test
    void aDirectoryWithoutRenewalInfoGivesNoWindowAndNoRequest() throws Exception {
        AcmeIssuer issuer = issuer(start(false));

        assertThat(issuer.renewalWindow(leafWithAuthorityKeyId(BigInteger.TEN), context())).isEmpty();
        assertThat(requests).isEmpty();
    }

    @Test
    void anErrorAnswerIsARetryableFailure() throws Exception {
        AcmeIssuer issuer = issuer(start(true));
        ariStatus = 503;

        assertThatThrownBy(() -> issuer.renewalWindow(leafWithAuthorityKeyId(BigInteger.TWO), context()))
                .isInstanceOf(AutocertException.class).hasMessageContaining("answered HTTP 503")
                .satisfies(e -> assertThat(((AutocertException) e).isRetryable()).isTrue());
    }
}
