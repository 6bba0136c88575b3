package dev.autocert4j.store.file;

import static dev.autocert4j.store.file.Revisions.CERTIFICATE_FILE;
import static dev.autocert4j.store.file.Revisions.KEY_FILE;
import static dev.autocert4j.store.file.Revisions.METADATA_FILE;
import static dev.autocert4j.store.file.StoreProperties.required;

import dev.autocert4j.internal.text.Messages;
import dev.autocert4j.store.CertificateMetadata;
import dev.autocert4j.store.Pem;
import dev.autocert4j.store.StoredCertificate;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.Optional;
import java.util.Properties;

/** Reads and checks the three files of one revision; damage is reported with the file's name in the certificate directory. */
final class RevisionReader {
    /** The metadata property holding the CA the issuer named, base64 DER; absent when it named none. */
    static final String CA_PROPERTY = "caCertificate";

    private RevisionReader() {
    }

    /**
     * @param directory the certificate directory, for naming damaged files as a user sees them
     * @param revision the revision directory to read
     * @throws java.nio.file.NoSuchFileException when a file (or the revision) is missing
     * @throws Damage when a file does not parse or the key does not belong to the leaf
     */
    static StoredCertificate read(Path directory, Path revision) throws IOException, Damage {
        Path metadataFile = directory.resolve(METADATA_FILE);
        Properties properties = parseProperties(metadataFile, Files.readAllBytes(revision.resolve(METADATA_FILE)));
        CertificateMetadata metadata = parseMetadata(metadataFile, properties);
        Optional<X509Certificate> ca = parseCa(metadataFile, properties);
        String chainPem = new String(Files.readAllBytes(revision.resolve(CERTIFICATE_FILE)), StandardCharsets.ISO_8859_1);
        String keyPem = new String(Files.readAllBytes(revision.resolve(KEY_FILE)), StandardCharsets.ISO_8859_1);
        List<X509Certificate> chain;
        try {
            chain = Pem.decodeChain(chainPem);
        } catch (Pem.InvalidPemException e) {
            throw new Damage(directory.resolve(CERTIFICATE_FILE), Messages.describe(e), e);
        }
        KeyPair keyPair;
        try {
            keyPair = Pem.decodeKeyPair(keyPem);
        } catch (Pem.InvalidPemException e) {
            throw new Damage(directory.resolve(KEY_FILE), Messages.describe(e), e);
        }
        if (!Arrays.equals(chain.get(0).getPublicKey().getEncoded(), keyPair.getPublic().getEncoded())) {
            throw new Damage(directory.resolve(KEY_FILE), "holds a key that does not belong to the leaf certificate in "
                    + CERTIFICATE_FILE, null);
        }
        return new StoredCertificate(chain, keyPair, metadata, ca);
    }

    private static Properties parseProperties(Path file, byte[] bytes) throws Damage {
        try {
            return StoreProperties.parse(bytes);
        } catch (IOException | IllegalArgumentException e) {
            throw new Damage(file, "is not a properties file: " + Messages.describe(e), e);
        }
    }

    private static Optional<X509Certificate> parseCa(Path file, Properties properties) throws Damage {
        String base64 = properties.getProperty(CA_PROPERTY);
        if (base64 == null) {
            return Optional.empty();
        }
        try {
            return Optional.of((X509Certificate) CertificateFactory.getInstance("X.509")
                    .generateCertificate(new ByteArrayInputStream(Base64.getDecoder().decode(base64))));
        } catch (CertificateException | IllegalArgumentException | ClassCastException e) {
            throw new Damage(file, "holds no readable certificate in " + CA_PROPERTY + ": " + Messages.describe(e), e);
        }
    }

    private static CertificateMetadata parseMetadata(Path file, Properties properties) throws Damage {
        try {
            return new CertificateMetadata(required(properties, "specFingerprint"), required(properties, "issuerName"),
                    Integer.parseInt(required(properties, "revision")),
                    Instant.parse(required(properties, "issuedAt")),
                    java.util.Optional.ofNullable(properties.getProperty("revokedAt")).map(Instant::parse));
        } catch (NoSuchFieldException e) {
            throw new Damage(file, "lacks the property " + Messages.describe(e), null);
        } catch (NumberFormatException | DateTimeParseException e) {
            throw new Damage(file, "has an invalid value: " + Messages.describe(e), e);
        } catch (IllegalArgumentException e) {
            throw new Damage(file, Messages.describe(e), e);
        }
    }
}
