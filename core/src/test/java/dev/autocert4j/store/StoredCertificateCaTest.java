package dev.autocert4j.store;

import static org.assertj.core.api.Assertions.assertThat;

import java.security.KeyPair;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class StoredCertificateCaTest {
    private static final CertificateMetadata METADATA = new CertificateMetadata("fp", "issuer", 1, Instant.EPOCH);

    @Test
    void theSelfSignedRootAtTheEndOfTheChainIsFoundOnceNotAtEveryCallOfCa() throws Exception {
        KeyPair key = TestChains.ec("secp256r1");
        CountingCertificate root = new CountingCertificate(TestChains.selfSigned(key, "root.example"));
        StoredCertificate stored = new StoredCertificate(List.of(root), key, METADATA);
        StoredCertificate renamed = stored.withMetadata(new CertificateMetadata("fp", "issuer", 2, Instant.EPOCH));

        for (int i = 0; i < 5; i++) {
            assertThat(stored.ca()).containsSame(root);
            assertThat(renamed.ca()).containsSame(root);
        }

        assertThat(root.verifications()).as("signature checks for one certificate and its copy").isEqualTo(1);
    }

    @Test
    void aCertificateEqualsItselfWhetherItsSelfSignedRootWasNamedAsCaOrNot() throws Exception {
        KeyPair key = TestChains.ec("secp256r1");
        CountingCertificate root = new CountingCertificate(TestChains.selfSigned(key, "root.example"));

        assertThat(new StoredCertificate(List.of(root), key, METADATA, Optional.of(root)))
                .isEqualTo(new StoredCertificate(List.of(root), key, METADATA));
    }
}
