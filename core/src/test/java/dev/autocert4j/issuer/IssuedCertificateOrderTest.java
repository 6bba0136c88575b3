package dev.autocert4j.issuer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.autocert4j.internal.x509.ChainCertificates;
import dev.autocert4j.internal.x509.ChainCertificates.Issued;
import java.security.cert.X509Certificate;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * A chain with a named CA is put in order as cert-manager's CA-type issuers put it
 * ({@code pkg/util/pki/parse_certificate_chain.go}; cases after its {@code parse_certificate_chain_test.go}).
 */
class IssuedCertificateOrderTest {
    private static X509Certificate root;
    private static X509Certificate int1;
    private static X509Certificate int2;
    private static X509Certificate leaf;
    private static X509Certificate stranger;

    @BeforeAll
    static void makeTheChain() throws Exception {
        Issued r = ChainCertificates.ca(null, "root");
        Issued i1 = ChainCertificates.ca(r, "intA-1");
        Issued i2 = ChainCertificates.ca(i1, "intA-2");
        root = r.certificate();
        int1 = i1.certificate();
        int2 = i2.certificate();
        leaf = ChainCertificates.ca(i2, "leaf").certificate();
        stranger = ChainCertificates.ca(null, "random").certificate();
    }

    @Test
    void aNamedCaBelowTheTopOfARootlessChainGivesWayToTheTopMostCertificate() {
        IssuedCertificate issued = IssuedCertificate.of(List.of(leaf, int2, int1), int2);

        assertThat(issued.ca()).contains(int1);
        assertThat(issued.chain()).containsExactly(leaf, int2, int1);
    }

    @Test
    void aNamedIntermediateOfAChainEndingInARootGivesWayToTheRoot() {
        IssuedCertificate issued = IssuedCertificate.of(List.of(leaf, int2, int1, root), int1);

        assertThat(issued.ca()).contains(root);
        assertThat(issued.chain()).containsExactly(leaf, int2, int1, root);
    }

    @Test
    void aChainOutOfOrderWithDuplicatesComesBackFromTheLeafUp() {
        IssuedCertificate issued = IssuedCertificate.of(List.of(int2, int1, root, leaf, int1, root), root);

        assertThat(issued.chain()).containsExactly(leaf, int2, int1, root);
        assertThat(issued.ca()).contains(root);
    }

    @Test
    void aCaOfAnotherHierarchyIsRefusedWithWhatToChange() {
        assertThatThrownBy(() -> IssuedCertificate.of(List.of(leaf, int2, int1), stranger))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("certificate chain is malformed or broken")
                .hasMessageContaining("name the CA that signed the chain's top");
    }

    @Test
    void aLoneCertificateNamedAsItsOwnCaStaysSoAsTheSelfSignedIssuerNamesIt() {
        IssuedCertificate issued = IssuedCertificate.of(List.of(leaf), leaf);

        assertThat(issued.chain()).containsExactly(leaf);
        assertThat(issued.ca()).contains(leaf);
    }
}
