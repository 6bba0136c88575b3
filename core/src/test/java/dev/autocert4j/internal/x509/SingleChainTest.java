package dev.autocert4j.internal.x509;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.security.KeyPair;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The cases of cert-manager's {@code pkg/util/pki/parse_certificate_chain_test.go} ({@code
 * TestParseSingleCertificateChainPEM}, {@code TestParseSingleCertificateChain}), transcribed: the certificates are
 * made as its {@code mustCreateBundle} makes them ({@link ChainCertificates}). Comments between PEM blocks and the PEM size limit are
 * PEM decoding, not chain building, so they have no case here.
 */
class SingleChainTest {
    private static Bundle root;
    private static Bundle intA1;
    private static Bundle intA2;
    private static Bundle intB1;
    private static Bundle intB2;
    private static Bundle leaf;
    private static Bundle leafInterCn;
    private static Bundle random;

    /** A certificate and its key, as the Go test's {@code testBundle}. */
    private record Bundle(X509Certificate cert, KeyPair key) {
        ChainCertificates.Issued asIssued() {
            return new ChainCertificates.Issued(cert, key);
        }
    }

    @BeforeAll
    static void makeTheCertificates() throws Exception {
        root = bundle(null, "root");
        intA1 = bundle(root, "intA-1");
        intA2 = bundle(intA1, "intA-2");
        intB1 = bundle(root, "intB-1");
        intB2 = bundle(intB1, "intB-2");
        leaf = bundle(intA2, "leaf");
        leafInterCn = bundle(intA2, "intA-2");
        random = bundle(null, "random");
    }

    private static Bundle bundle(Bundle issuer, String name) throws Exception {
        ChainCertificates.Issued issued = ChainCertificates.ca(issuer == null ? null : issuer.asIssued(), name);
        return new Bundle(issued.certificate(), issued.key());
    }

    private static List<X509Certificate> certs(Bundle... bundles) {
        List<X509Certificate> list = new ArrayList<>();
        for (Bundle b : bundles) {
            list.add(b.cert());
        }
        return list;
    }

    private static void expect(List<X509Certificate> input, List<X509Certificate> chain, Bundle ca) {
        SingleChain.Bundle parsed = SingleChain.parse(input);
        assertThat(parsed.chain()).as("ChainPEM").containsExactlyElementsOf(chain);
        assertThat(parsed.ca()).as("CAPEM").isEqualTo(Optional.ofNullable(ca).map(Bundle::cert));
    }

    private static void expectBroken(List<X509Certificate> input) {
        assertThatThrownBy(() -> SingleChain.parse(input)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("certificate chain is malformed or broken");
    }

    @Test
    void aTwoCertificateChainInOrderGivesTheIntermediateAsChainAndTheRootAsCa() {
        expect(certs(intA1, root), certs(intA1), root);
    }

    @Test
    void aLeafAndItsIntermediateAreBothTheChainWithTheIntermediateAsCa() {
        expect(certs(leaf, intA2), certs(leaf, intA2), intA2);
    }

    @Test
    void aTwoCertificateChainOutOfOrderGivesTheSame() {
        expect(certs(root, intA1), certs(intA1), root);
    }

    @Test
    void aThreeCertificateChainOutOfOrderComesBackInOrder() {
        expect(certs(root, intA2, intA1), certs(intA2, intA1), root);
    }

    @Test
    void aFourCertificateChainInGivenOrderComesBackFromTheLeafUp() {
        expect(certs(leaf, intA1, intA2, root), certs(leaf, intA2, intA1), root);
    }

    @Test
    void twoCertificatesWithTheSameCommonNameDoNotAffectTheOutput() {
        // cert-manager issue 4142
        expect(certs(leafInterCn, intA1, intA2, root), certs(leafInterCn, intA2, intA1), root);
    }

    @Test
    void aFourCertificateChainOutOfOrderComesBackInOrder() {
        expect(certs(root, intA1, leaf, intA2), certs(leaf, intA2, intA1), root);
    }

    @Test
    void aChainWithAGapIsRefused() {
        expectBroken(certs(root, intA1, leaf));
    }

    @Test
    void aChainWithARandomCertificateIsRefused() {
        expectBroken(certs(root, intA1, leaf, intA2, random));
    }

    @Test
    void duplicatesAreRemoved() {
        expect(certs(intA2, intA1, root, leaf, intA1, root), certs(leaf, intA2, intA1), root);
    }

    @Test
    void duplicatesInAnotherOrderAreRemovedToo() {
        expect(certs(root, intA1, intA2, leaf, root, intA1), certs(leaf, intA2, intA1), root);
    }

    @Test
    void aChainWithBranchesIsRefused() {
        expectBroken(certs(root, intA1, intA2, intB1, intB2));
    }

    @Test
    void withoutARootEveryCertificateIsTheChainAndTheTopMostIsTheCa() {
        expect(certs(intA1, intA2, leaf), certs(leaf, intA2, intA1), intA1);
    }

    @Test
    void aLoneLeafIsTheChainWithoutCa() {
        expect(certs(leaf), certs(leaf), null);
    }

    @Test
    void aLoneIntermediateIsTheChainWithoutCa() {
        expect(certs(intA1), certs(intA1), null);
    }

    @Test
    void aLoneRootIsTheChainAndItsOwnCa() {
        expect(certs(root), certs(root), root);
    }

    @Test
    void aLongAcceptableChainIsOrdered() throws Exception {
        Bundle bigRoot = bundle(null, "root");
        List<X509Certificate> chain = new ArrayList<>();
        Bundle cert = bigRoot;
        for (int i = 0; i < 100; i++) {
            cert = bundle(cert, "int-" + i);
            chain.add(cert.cert());
        }
        Collections.reverse(chain);
        List<X509Certificate> input = new ArrayList<>(chain);
        input.add(bigRoot.cert());

        expect(input, chain, bigRoot);
    }

    @Test
    void moreThanAThousandDifferentCertificatesAreRefused() throws Exception {
        List<X509Certificate> input = new ArrayList<>();
        for (int i = 0; i < 1001; i++) {
            input.add(bundle(null, "cert-" + i).cert());
        }

        assertThatThrownBy(() -> SingleChain.parse(input)).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("certificate chain is too long, must be less than 1000 certificates");
    }
}
