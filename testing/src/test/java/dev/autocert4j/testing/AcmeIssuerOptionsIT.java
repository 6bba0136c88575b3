package dev.autocert4j.testing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.autocert4j.AutocertException;
import dev.autocert4j.Certificate;
import dev.autocert4j.CertificateManager;
import dev.autocert4j.IssuerRef;
import dev.autocert4j.issuer.AcmeIssuer;
import dev.autocert4j.solver.http.Http01Solver;
import dev.autocert4j.store.InMemoryCertificateStore;
import dev.autocert4j.store.StoredCertificate;
import dev.autocert4j.testing.support.KnownSecrets;
import java.security.cert.CertPathValidatorException;
import javax.security.auth.x500.X500Principal;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x500.style.BCStyle;
import org.bouncycastle.asn1.x500.style.IETFUtils;
import org.junit.jupiter.api.Test;

/** AcmeIssuer options that need a specially configured Pebble: external account binding, preferred chain. */
class AcmeIssuerOptionsIT {
    private static final String EAB_KID = "kid-autocert4j";
    private static final String EAB_KEY = KnownSecrets.register("zWNDZM6eQGHWpSRTPal5eIUYFTu7EajVIoguysqZ9wG44nMEtx3MUAsUDkMTQ12W");

    private static Certificate cert(String name) {
        return Certificate.builder(name).dnsNames(name + ".example.test").issuerRef(IssuerRef.clusterIssuer("pebble")).build();
    }

    private static CertificateManager manager(AcmeIssuer issuer, Http01Solver http01) {
        return CertificateManager.builder().issuer(issuer).solver(http01).store(new InMemoryCertificateStore()).build();
    }

    @Test
    void externalAccountBindingRegistersWhereTheCaRequiresIt() throws Exception {
        try (PebbleServer pebble = PebbleServer.builder().externalAccountBinding(EAB_KID, EAB_KEY).start();
                Http01Solver http01 = Http01Solver.builder().standalone("127.0.0.1", pebble.httpPort()).build()) {
            AcmeIssuer.Builder base = AcmeIssuer.builder("pebble").directory(pebble.directoryUrl())
                    .trustedCertificates(pebble.tlsTrustAnchor());

            StoredCertificate issued = manager(base.externalAccountBinding(EAB_KID, EAB_KEY).build(), http01).obtain(cert("eab"));
            Chains.assertChainsUpTo(issued.chain(), pebble.rootCertificate());

            AcmeIssuer withoutBinding = AcmeIssuer.builder("pebble").directory(pebble.directoryUrl())
                    .trustedCertificates(pebble.tlsTrustAnchor()).build();
            assertThatThrownBy(() -> manager(withoutBinding, http01).obtain(cert("no-eab")))
                    .isInstanceOf(AutocertException.class)
                    .hasMessageContaining("externalAccountRequired")
                    .hasMessageNotContaining(EAB_KEY);
        }
    }

    @Test
    void preferredChainSelectsTheAlternateChainIssuedByTheNamedRoot() throws Exception {
        try (PebbleServer pebble = PebbleServer.builder().alternateRoots(1).start();
                Http01Solver http01 = Http01Solver.builder().standalone("127.0.0.1", pebble.httpPort()).build()) {
            String alternateRoot = commonName(pebble.rootCertificate(1).getSubjectX500Principal());

            StoredCertificate preferred = manager(AcmeIssuer.builder("pebble").directory(pebble.directoryUrl())
                    .trustedCertificates(pebble.tlsTrustAnchor()).preferredChain(alternateRoot).build(), http01)
                    .obtain(cert("preferred"));
            StoredCertificate standard = manager(AcmeIssuer.builder("pebble").directory(pebble.directoryUrl())
                    .trustedCertificates(pebble.tlsTrustAnchor()).build(), http01)
                    .obtain(cert("standard"));

            Chains.assertChainsUpTo(preferred.chain(), pebble.rootCertificate(1));
            assertThatThrownBy(() -> Chains.assertChainsUpTo(preferred.chain(), pebble.rootCertificate(0)))
                    .isInstanceOf(CertPathValidatorException.class);
            Chains.assertChainsUpTo(standard.chain(), pebble.rootCertificate(0));
            assertThat(preferred.leaf().getPublicKey()).isEqualTo(preferred.keyPair().getPublic());
        }
    }

    private static String commonName(X500Principal principal) {
        X500Name name = new X500Name(principal.getName());
        return IETFUtils.valueToString(name.getRDNs(BCStyle.CN)[0].getFirst().getValue());
    }
}
