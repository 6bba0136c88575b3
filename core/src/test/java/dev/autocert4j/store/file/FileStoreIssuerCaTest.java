package dev.autocert4j.store.file;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.autocert4j.Certificate;
import dev.autocert4j.IssuerRef;
import dev.autocert4j.store.CertificateMetadata;
import dev.autocert4j.store.CorruptStoreException;
import dev.autocert4j.store.StoredCertificate;
import dev.autocert4j.store.TestChains;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The CA an issuer named is kept by the file store, in the revision's metadata, and read back. */
class FileStoreIssuerCaTest {
    @TempDir
    Path root;

    private final Certificate certificate = Certificate.builder("www").namespace("shop")
            .issuerRef(IssuerRef.clusterIssuer("internal-ca")).dnsNames("www.example.com").build();

    private StoredCertificate issued(Optional<X509Certificate> ca) throws Exception {
        KeyPair key = TestChains.ec("secp256r1");
        return new StoredCertificate(List.of(TestChains.selfSigned(key, "www.example.com")), key,
                new CertificateMetadata(certificate.specFingerprint(), "internal-ca", 1, Instant.now()), ca);
    }

    @Test
    void theCaTheIssuerNamedIsReadBackAndTheFilesStayAsTheyWere() throws Exception {
        X509Certificate ca = TestChains.selfSigned(TestChains.ec("secp256r1"), "Some CA");
        FileCertificateStore store = FileCertificateStore.of(root);

        store.save(certificate, issued(Optional.of(ca)));

        assertThat(store.load(certificate).orElseThrow().ca()).contains(ca);
        assertThat(Files.readString(store.certificateDirectory(certificate).resolve("metadata.properties")))
                .contains("caCertificate=");
        try (var entries = Files.list(store.certificateDirectory(certificate).resolve("..data"))) {
            assertThat(entries.map(p -> p.getFileName().toString())).containsExactlyInAnyOrder("tls.crt", "tls.key",
                    "metadata.properties");
        }
    }

    @Test
    void aSelfSignedCertificateIsReadBackAsItsOwnCaWithoutAPropertyForIt() throws Exception {
        FileCertificateStore store = FileCertificateStore.of(root);
        StoredCertificate saved = issued(Optional.empty());

        store.save(certificate, saved);

        assertThat(store.load(certificate).orElseThrow().ca()).contains(saved.leaf());
        assertThat(Files.readString(store.certificateDirectory(certificate).resolve("metadata.properties")))
                .doesNotContain("caCertificate");
    }

    @Test
    void aGarbledCaPropertyIsDamageOfTheMetadataFileNamedInTheErrorAndMovedAside() throws Exception {
        X509Certificate ca = TestChains.selfSigned(TestChains.ec("secp256r1"), "Some CA");
        FileCertificateStore store = FileCertificateStore.of(root);
        store.save(certificate, issued(Optional.of(ca)));
        Path metadata = store.certificateDirectory(certificate).resolve("metadata.properties").toRealPath();
        Files.writeString(metadata, Files.readString(metadata).replaceFirst("caCertificate=.*", "caCertificate=MIIB!!"));

        assertThatThrownBy(() -> store.load(certificate)).isInstanceOf(CorruptStoreException.class)
                .hasMessageContaining("metadata.properties").hasMessageContaining("caCertificate");
        try (var entries = Files.walk(store.certificateDirectory(certificate))) { // kept for inspection, not deleted
            assertThat(entries.map(p -> p.getFileName().toString())).anyMatch(name -> name.contains(".damaged-"));
        }
        assertThat(store.load(certificate)).isEmpty();
    }
}
