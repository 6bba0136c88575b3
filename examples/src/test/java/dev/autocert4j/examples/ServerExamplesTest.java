package dev.autocert4j.examples;

import static org.assertj.core.api.Assertions.assertThat;

import dev.autocert4j.Certificate;
import dev.autocert4j.CertificateManager;
import dev.autocert4j.IssuerRef;
import dev.autocert4j.PrivateKeySpec;
import dev.autocert4j.issuer.IssuanceContext;
import dev.autocert4j.issuer.IssuanceRequest;
import dev.autocert4j.issuer.Issuer;
import dev.autocert4j.issuer.IssuerScope;
import dev.autocert4j.store.InMemoryCertificateStore;
import dev.autocert4j.testing.TestCertificates;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.security.cert.X509Certificate;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The three example servers with certificates from an in-memory test CA: each chooses the
 * certificate by the client's SNI name and serves a renewed one from the next connection on,
 * without a restart. (Their renewal against a real ACME CA is {@link ServerExamplesIT}.)
 */
class ServerExamplesTest {
    /** Signs with the testing module's CA, as fast as a certificate can be had. */
    private static final class TestCa implements Issuer {
        final AtomicInteger issued = new AtomicInteger();

        @Override
        public String name() {
            return "test-ca";
        }

        @Override
        public IssuerScope scope() {
            return IssuerScope.cluster();
        }

        @Override
        public List<X509Certificate> issue(IssuanceRequest request, IssuanceContext context) {
            issued.incrementAndGet();
            return TestCertificates.chain(request.keyPair(), request.certificate().dnsNames());
        }
    }

    private static Certificate spec(String name, String dnsName) {
        return Certificate.builder(name).dnsNames(dnsName).issuerRef(IssuerRef.clusterIssuer("test-ca")).build();
    }

    @ParameterizedTest
    @EnumSource(ServerKind.class)
    void servesTheCertificateForTheSniNameAndARenewedOneWithoutRestart(ServerKind kind) throws Exception {
        X509Certificate testRoot = TestCertificates.chain(TestCertificates.keyPair(PrivateKeySpec.ecdsa(256)),
                List.of("root.example.test")).get(1);
        HttpsProbe client = new HttpsProbe(testRoot);
        TestCa ca = new TestCa();
        Certificate a = spec("a", "a.example.test");
        Certificate b = spec("b", "b.example.test");
        try (CertificateManager manager = CertificateManager.builder().issuer(ca)
                .store(new InMemoryCertificateStore()).build()) {
            manager.obtain(a);
            manager.obtain(b);
            InetSocketAddress address;
            try (ExampleServer server = kind.start(manager, new InetSocketAddress(InetAddress.getLoopbackAddress(), 0))) {
                address = server.address();
                assertThat(address.getPort()).isPositive();

                HttpsProbe.Response first = client.get(address, "a.example.test");
                HttpsProbe.Response other = client.get(address, "b.example.test");
                assertThat(first.status()).isEqualTo(200);
                assertThat(first.body()).isEqualTo("Hello over HTTPS from " + kind.greetingName
                        + "; certificate serial " + first.serialHex() + "\n");
                assertThat(other.status()).isEqualTo(200);
                assertThat(other.body()).contains("certificate serial " + other.serialHex());
                assertThat(other.serial()).as("b.example.test has its own certificate").isNotEqualTo(first.serial());

                manager.renew(a);

                HttpsProbe.Response renewed = client.get(address, "a.example.test");
                assertThat(renewed.serial()).as("the renewed certificate, on the same running server")
                        .isNotEqualTo(first.serial())
                        .isEqualTo(manager.store().load(a).orElseThrow().leaf().getSerialNumber());
                assertThat(renewed.status()).isEqualTo(200);
                assertThat(renewed.body()).contains("certificate serial " + renewed.serialHex());
                assertThat(client.get(address, "b.example.test").serial()).as("b is untouched by a's renewal")
                        .isEqualTo(other.serial());
                assertThat(ca.issued).hasValue(3);
            }
            assertThat(ServerKind.accepts(address)).as("the server stopped listening when closed").isFalse();
        }
    }
}
