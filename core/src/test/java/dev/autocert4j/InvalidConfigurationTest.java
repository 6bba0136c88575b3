package dev.autocert4j;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.autocert4j.issuer.AccountKeyRef;
import dev.autocert4j.issuer.AcmeIssuer;
import dev.autocert4j.solver.SolverSelector;
import dev.autocert4j.solver.SolverSet;
import dev.autocert4j.solver.http.Http01Solver;
import dev.autocert4j.store.CertificateStore;
import dev.autocert4j.store.StoredCertificate;
import java.net.URI;
import java.time.Duration;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every configuration mistake is refused at once, with a message that names the field to change.
 */
class InvalidConfigurationTest {
    private static Certificate.Builder cert() {
        return Certificate.builder("www").issuerRef(IssuerRef.clusterIssuer("le"));
    }

    private static Arguments refused(String description, Runnable config, Class<? extends Throwable> type, String fieldNamed) {
        return Arguments.of(description, config, type, fieldNamed);
    }

    static Stream<Arguments> mistakes() {
        String label64 = "a".repeat(64);
        String name254 = String.join(".", "a".repeat(63), "a".repeat(63), "a".repeat(63), "a".repeat(62));
        return Stream.of(
                refused("no identifiers", () -> cert().build(), IllegalArgumentException.class, "dnsNames"),
                refused("no issuerRef", () -> Certificate.builder("www").dnsNames("a.example.com").build(),
                        IllegalArgumentException.class, "issuerRef"),
                refused("blank issuer name", () -> IssuerRef.clusterIssuer(" "), IllegalArgumentException.class, "issuerRef.name"),
                refused("wildcard in the middle", () -> cert().dnsNames("www.*.example.com").build(),
                        IllegalArgumentException.class, "dnsNames"),
                refused("partial wildcard label", () -> cert().dnsNames("w*.example.com").build(),
                        IllegalArgumentException.class, "dnsNames"),
                refused("wildcard over a TLD", () -> cert().dnsNames("*.com").build(), IllegalArgumentException.class, "dnsNames"),
                refused("label of 64 characters", () -> cert().dnsNames(label64 + ".example.com").build(),
                        IllegalArgumentException.class, "dnsNames"),
                refused("name of 254 characters", () -> cert().dnsNames(name254).build(), IllegalArgumentException.class, "dnsNames"),
                refused("empty label", () -> cert().dnsNames("a..example.com").build(), IllegalArgumentException.class, "dnsNames"),
                refused("underscore", () -> cert().dnsNames("my_host.example.com").build(), IllegalArgumentException.class, "dnsNames"),
                refused("hyphen at label start", () -> cert().dnsNames("-a.example.com").build(), IllegalArgumentException.class, "dnsNames"),
                refused("IP address in dnsNames", () -> cert().dnsNames("10.0.0.1").build(), IllegalArgumentException.class, "ipAddresses"),
                refused("name in ipAddresses", () -> cert().ipAddresses("example.com").build(), IllegalArgumentException.class, "ipAddresses"),
                refused("octet above 255", () -> cert().ipAddresses("10.0.0.256").build(), IllegalArgumentException.class, "ipAddresses"),
                refused("commonName and literal subject", () -> cert().commonName("Root").subject(CertificateSubject.literal("CN=Root"))
                        .build(), IllegalArgumentException.class, "commonName"),
                refused("signatureAlgorithm for another key", () -> cert().dnsNames("a.example.com")
                        .signatureAlgorithm(SignatureAlgorithm.SHA256_WITH_RSA).build(), IllegalArgumentException.class, "signatureAlgorithm"),
                refused("email with a display name", () -> cert().emailAddresses("Ops <ops@example.com>").build(),
                        IllegalArgumentException.class, "emailAddresses"),
                refused("relative URI", () -> cert().uris("/just/a/path").build(), IllegalArgumentException.class, "uris"),
                refused("literal subject with an unknown type", () -> CertificateSubject.literal("CN=a,postalCode=1234"),
                        IllegalArgumentException.class, "literalSubject"),
                refused("commonName over 64 characters", () -> cert().dnsNames(label64.substring(1) + ".example.com")
                        .commonName(label64.substring(1) + ".example.com").build(), IllegalArgumentException.class, "commonName"),
                refused("duration under one hour", () -> cert().dnsNames("a.example.com").duration(Duration.ofMinutes(30)).build(),
                        IllegalArgumentException.class, "duration"),
                refused("renewBefore not shorter than duration", () -> cert().dnsNames("a.example.com").duration(Duration.ofDays(10))
                        .renewBefore(Duration.ofDays(10)).build(), IllegalArgumentException.class, "renewBefore"),
                refused("renewBefore and percentage together", () -> cert().dnsNames("a.example.com").renewBefore(Duration.ofDays(1))
                        .renewBeforePercentage(30).build(), IllegalArgumentException.class, "renewBeforePercentage"),
                refused("percentage of 100", () -> cert().renewBeforePercentage(100), IllegalArgumentException.class, "renewBeforePercentage"),
                refused("RSA 1024", () -> PrivateKeySpec.rsa(1024), IllegalArgumentException.class, "privateKey.size"),
                refused("ECDSA on a curve that does not exist", () -> PrivateKeySpec.ecdsa(512), IllegalArgumentException.class, "privateKey.size"),
                refused("Ed25519 with PKCS1", () -> PrivateKeySpec.ed25519().withEncoding(KeyEncoding.PKCS1),
                        IllegalArgumentException.class, "privateKey.encoding"),
                refused("upper-case certificate name", () -> Certificate.builder("WWW").issuerRef(IssuerRef.clusterIssuer("le"))
                        .dnsNames("a.example.com").build(), IllegalArgumentException.class, "name"),
                refused("namespace with a slash", () -> cert().namespace("a/b").dnsNames("a.example.com").build(),
                        IllegalArgumentException.class, "namespace"),
                refused("dnsNames set twice", () -> cert().dnsNames("a.example.com").dnsNames("b.example.com"),
                        IllegalStateException.class, "dnsNames"),
                refused("plain-http ACME directory", () -> AcmeIssuer.builder("le").directory(URI.create("http://ca.example/dir")),
                        IllegalArgumentException.class, "directory"),
                refused("ACME issuer without directory", () -> AcmeIssuer.builder("le").build(), IllegalStateException.class, "directory"),
                refused("malformed email", () -> AcmeIssuer.builder("le").email("ops-at-example.com"), IllegalArgumentException.class, "email"),
                refused("EAB key that is not base64url", () -> AcmeIssuer.builder("le").externalAccountBinding("kid", "not base64!"),
                        IllegalArgumentException.class, "externalAccountBinding"),
                refused("Ed25519 account key", () -> AcmeIssuer.builder("le").accountKey(PrivateKeySpec.ed25519()),
                        IllegalArgumentException.class, "accountKey"),
                refused("CA certificate from an ACME issuer", () -> AcmeIssuer.builder("le").letsEncrypt().build()
                        .checkCanIssue(cert().dnsNames("a.example.com").isCA(true).build(), new SolverSet(java.util.List.of())),
                        IllegalArgumentException.class, "isCA"),
                refused("isCA set twice", () -> cert().isCA(true).isCA(false), IllegalStateException.class, "isCA"),
                refused("CA issuer without a CA", () -> dev.autocert4j.issuer.CaIssuer.builder("ca").build(),
                        IllegalStateException.class, "secret"),
                refused("HTTP-01 port out of range", () -> Http01Solver.builder().standalone("127.0.0.1", 70000),
                        IllegalArgumentException.class, "port"),
                refused("HTTP-01 without a mode", () -> Http01Solver.builder().build(), IllegalStateException.class, "standalone"),
                refused("wildcard selector zone", () -> SolverSelector.dnsZones("*.example.com"), IllegalArgumentException.class,
                        "selector.dnsZones"),
                refused("manager without store", () -> CertificateManager.builder().build(), IllegalStateException.class, "store"),
                refused("manager without issuer", () -> CertificateManager.builder().store(new NoStore()).build(),
                        IllegalStateException.class, "issuer"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("mistakes")
    void refusesWithAMessageNamingTheField(String description, Runnable config, Class<? extends Throwable> type, String field) {
        assertThatThrownBy(config::run).as(description).isInstanceOf(type).hasMessageContaining(field);
    }

    /** A store that is never used: the manager refuses before touching it. */
    private static final class NoStore implements CertificateStore {
        @Override
        public java.util.Optional<StoredCertificate> load(Certificate certificate) {
            throw new AssertionError("not used");
        }

        @Override
        public void save(Certificate certificate, StoredCertificate stored) {
            throw new AssertionError("not used");
        }
    }
}
