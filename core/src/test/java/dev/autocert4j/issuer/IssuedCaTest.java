package dev.autocert4j.issuer;

import static dev.autocert4j.issuer.IssuerTestSupport.NOW;
import static dev.autocert4j.issuer.IssuerTestSupport.context;
import static dev.autocert4j.issuer.IssuerTestSupport.leaf;
import static dev.autocert4j.issuer.IssuerTestSupport.request;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.autocert4j.Certificate;
import dev.autocert4j.CertificateManager;
import dev.autocert4j.IssuerRef;
import dev.autocert4j.store.CertificateMetadata;
import dev.autocert4j.store.InMemoryCertificateStore;
import dev.autocert4j.store.StoredCertificate;
import java.security.KeyPair;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.time.ZoneOffset;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The CA an issuer names beside the chain, as cert-manager's issuers return it ({@code IssueResponse.CA}): the
 * CA issuer names the top of its chain ({@code pkg/util/pki/parse_certificate_chain.go toBundleAndCA}), the
 * self-signed issuer the certificate itself, an ACME-like issuer none.
 */
class IssuedCaTest {
    private static X509Certificate root;
    private static X509Certificate intermediate;
    private static KeyPair intermediateKey;

    @BeforeAll
    static void rootAndIntermediate() throws Exception {
        IssuanceRequest rootRequest = request(IssuerTestSupport.ca("selfsigned").duration(Duration.ofDays(3650)).build());
        root = SelfSignedIssuer.builder("selfsigned").build().issue(rootRequest, context(NOW.minus(Duration.ofDays(1)))).get(0);
        IssuanceRequest intermediateRequest = request(Certificate.builder("intermediate").commonName("intermediate.example.test")
                .dnsNames("intermediate.example.test").isCA(true).duration(Duration.ofDays(365))
                .issuerRef(IssuerRef.clusterIssuer("root")).build());
        intermediate = CaIssuer.builder("root").signingKey(rootRequest.keyPair(), List.of(root)).build()
                .issue(intermediateRequest, context(NOW.minus(Duration.ofHours(1)))).get(0);
        intermediateKey = intermediateRequest.keyPair();
    }

    @Test
    void aCaIssuerWhoseCaIsAnIntermediateWithoutItsRootNamesTheIntermediate() throws Exception {
        CaIssuer issuer = CaIssuer.builder("intermediate").signingKey(intermediateKey, List.of(intermediate)).build();

        IssuedCertificate issued = issuer.issueCertificate(request(leaf("intermediate").build()), context(NOW));

        assertThat(issued.chain()).hasSize(2).endsWith(intermediate);
        assertThat(issued.ca()).contains(intermediate);
    }

    @Test
    void aCaIssuerWhoseChainEndsInTheRootNamesTheRoot() throws Exception {
        CaIssuer issuer = CaIssuer.builder("intermediate").signingKey(intermediateKey, List.of(intermediate, root)).build();

        IssuedCertificate issued = issuer.issueCertificate(request(leaf("intermediate").build()), context(NOW));

        assertThat(issued.chain()).hasSize(3).endsWith(intermediate, root);
        assertThat(issued.ca()).contains(root);
    }

    @Test
    void theSelfSignedIssuerNamesTheCertificateItself() throws Exception {
        IssuedCertificate issued = SelfSignedIssuer.builder("selfsigned").build()
                .issueCertificate(request(leaf("selfsigned").build()), context(NOW));

        assertThat(issued.ca()).contains(issued.chain().get(0));
    }

    @Test
    void anIssuerThatOnlyImplementsIssueNamesNoCa() throws Exception {
        Issuer acmeLike = new Issuer() {
            @Override
            public String name() {
                return "acme-like";
            }

            @Override
            public IssuerScope scope() {
                return IssuerScope.cluster();
            }

            @Override
            public List<X509Certificate> issue(IssuanceRequest request, IssuanceContext context) throws dev.autocert4j.AutocertException {
                return CaIssuer.builder("inner").signingKey(intermediateKey, List.of(intermediate)).build().issue(request, context);
            }
        };

        IssuedCertificate issued = acmeLike.issueCertificate(request(leaf("acme-like").build()), context(NOW));

        assertThat(issued.chain()).hasSize(2);
        assertThat(issued.ca()).isEmpty();
    }

    @Test
    void theManagerStoresTheCaTheIssuerNamed() throws Exception {
        InMemoryCertificateStore store = new InMemoryCertificateStore();
        Certificate spec = leaf("intermediate").build();
        CertificateManager manager = CertificateManager.builder().store(store).clock(Clock.fixed(NOW, ZoneOffset.UTC))
                .issuer(CaIssuer.builder("intermediate").signingKey(intermediateKey, List.of(intermediate)).build()).build();

        StoredCertificate stored = manager.obtain(spec);

        assertThat(stored.ca()).contains(intermediate);
        assertThat(store.load(spec).orElseThrow().ca()).contains(intermediate);
        assertThat(stored.withMetadata(stored.metadata().withRevokedAt(NOW)).ca()).as("kept with new metadata")
                .contains(intermediate);
    }

    @Test
    void aStoredSelfSignedRootIsItsOwnCaAndEqualsItselfStoredWithoutANamedCa() throws Exception {
        IssuanceRequest request = request(leaf("selfsigned").build());
        IssuedCertificate issued = SelfSignedIssuer.builder("selfsigned").build().issueCertificate(request, context(NOW));
        CertificateMetadata metadata = new CertificateMetadata("fingerprint", "selfsigned", 1, NOW);

        StoredCertificate named = new StoredCertificate(issued.chain(), request.keyPair(), metadata, issued.ca());
        StoredCertificate unnamed = new StoredCertificate(issued.chain(), request.keyPair(), metadata);

        assertThat(named).isEqualTo(unnamed);
        assertThat(unnamed.ca()).contains(issued.chain().get(0));
        assertThat(new StoredCertificate(List.of(intermediate), intermediateKey, metadata).ca()).as("not self-signed")
                .isEmpty();
    }

    @Test
    void anIssuedCertificateNeedsAChainAndNamesItsCaInToString() {
        assertThatThrownBy(() -> IssuedCertificate.of(List.of())).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("leaf");
        assertThat(IssuedCertificate.of(List.of(intermediate), root).toString()).contains("intermediate.example.test")
                .contains("ca CN=ca.example.test");
    }
}
