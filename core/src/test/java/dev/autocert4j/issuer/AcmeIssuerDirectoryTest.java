package dev.autocert4j.issuer;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import org.junit.jupiter.api.Test;

/** The directory URLs that the README's {@code letsEncrypt()} and {@code letsEncryptStaging()} stand for. */
class AcmeIssuerDirectoryTest {
    @Test
    void letsEncryptStagingPointsAtTheStagingDirectory() {
        AcmeIssuer issuer = AcmeIssuer.builder("staging").letsEncryptStaging().email("ops@example.com").build();

        assertThat(issuer.directory()).isEqualTo(URI.create("https://acme-staging-v02.api.letsencrypt.org/directory"));
    }

    @Test
    void letsEncryptPointsAtTheProductionDirectory() {
        AcmeIssuer issuer = AcmeIssuer.builder("letsencrypt").letsEncrypt().email("ops@example.com").build();

        assertThat(issuer.directory()).isEqualTo(URI.create("https://acme-v02.api.letsencrypt.org/directory"));
    }
}
