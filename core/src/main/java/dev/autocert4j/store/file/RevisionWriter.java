package dev.autocert4j.store.file;

import static dev.autocert4j.store.file.DurableFiles.TEMP_PREFIX;
import static dev.autocert4j.store.file.DurableFiles.deleteQuietly;
import static dev.autocert4j.store.file.DurableFiles.random;
import static dev.autocert4j.store.file.Revisions.CERTIFICATE_FILE;
import static dev.autocert4j.store.file.Revisions.DATA_LINK;
import static dev.autocert4j.store.file.Revisions.FILES;
import static dev.autocert4j.store.file.Revisions.KEY_FILE;
import static dev.autocert4j.store.file.Revisions.METADATA_FILE;
import static dev.autocert4j.store.file.Revisions.REVISION_PREFIX;

import dev.autocert4j.Certificate;
import dev.autocert4j.KeyEncoding;
import dev.autocert4j.internal.text.Messages;
import dev.autocert4j.internal.x509.SelfSigned;
import dev.autocert4j.lock.LockProvider;
import dev.autocert4j.store.CertificateMetadata;
import dev.autocert4j.store.Pem;
import dev.autocert4j.store.StoreException;
import dev.autocert4j.store.StoredCertificate;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.cert.CertificateEncodingException;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.Properties;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Saves a certificate as a new revision, as Kubernetes' AtomicWriter does for mounted Secrets:
 * the three files go into a fresh {@code ..rev-<revision>-<random>} directory (each written to a
 * temporary file, forced to disk, renamed into place; then the directory is forced), and one
 * atomic rename of a new symbolic link switches {@code ..data} to it. A reader sees the old set or
 * the new set, never a mix, also after a crash at any point. Saves of one certificate are
 * serialised with the directory's lock file, across threads and processes. Thread-safe.
 */
final class RevisionWriter {
    // Logged under the store's name, as before the split, so users' logging configuration still applies.
    private static final Logger LOG = LoggerFactory.getLogger(FileCertificateStore.class);
    private static final int FORMAT = 1;

    private final DurableFiles files;
    private final DamageQuarantine quarantine;
    private final FileCertificateStore.SaveHook beforeSwitch;

    /** @param beforeSwitch runs after the new revision is complete and before the switch (tests inject failures) */
    RevisionWriter(DurableFiles files, DamageQuarantine quarantine, FileCertificateStore.SaveHook beforeSwitch) {
        this.files = files;
        this.quarantine = quarantine;
        this.beforeSwitch = beforeSwitch;
    }

    /** Saves {@code stored} as the next revision in {@code directory}; the previous one stays intact on failure. */
    void save(Certificate certificate, StoredCertificate stored, Path directory) throws StoreException {
        String algorithm = stored.keyPair().getPrivate().getAlgorithm();
        KeyEncoding encoding = "RSA".equals(algorithm) || "EC".equals(algorithm)
                ? certificate.privateKey().encoding() : KeyEncoding.PKCS8;
        byte[] chainPem;
        byte[] keyPem;
        byte[] metadata;
        try {
            chainPem = Pem.encodeChain(stored.chain()).getBytes(StandardCharsets.US_ASCII);
            keyPem = Pem.encodePrivateKey(stored.keyPair().getPrivate(), encoding).getBytes(StandardCharsets.US_ASCII);
            metadata = metadataBytes(stored, algorithm, encoding);
        } catch (RuntimeException | CertificateEncodingException e) {
            throw new StoreException("Cannot encode certificate " + certificate.id() + " as PEM: " + Messages.describe(e), false, e);
        }

        try {
            files.createDirectories(directory);
        } catch (IOException e) {
            throw new StoreException("Cannot create directory " + directory + ": " + e, true, e);
        }
        LockProvider.Lock lock = Revisions.lock(directory, "save of certificate " + certificate.id(),
                "Interrupted while waiting to save certificate " + certificate.id());
        try {
            saveLocked(directory, stored.metadata().revision(), chainPem, keyPem, metadata);
        } catch (IOException e) {
            throw new StoreException("Cannot save certificate " + certificate.id() + " in " + directory
                    + " (the previous certificate is intact): " + e, true, e);
        } finally {
            lock.close();
        }
    }

    private void saveLocked(Path directory, int revisionNumber, byte[] chain, byte[] key, byte[] metadata)
            throws IOException, StoreException {
        Path dataLink = directory.resolve(DATA_LINK);
        Path previous;
        try {
            previous = Revisions.readDataLink(dataLink);
        } catch (Damage damage) {
            List<Path> moved = quarantine.moveAsideLocked(directory, null);
            LOG.warn("{}; moved it aside to {} and saving a new revision", damage.describe(), moved);
            previous = null;
        }
        removeLeftovers(directory, previous);

        String revisionName = REVISION_PREFIX + revisionNumber + "-" + random();
        Path revision = directory.resolve(revisionName);
        boolean switched = false;
        try {
            files.createDirectory(revision);
            writeInto(directory, revision, CERTIFICATE_FILE, chain, "rw-r--r--");
            writeInto(directory, revision, KEY_FILE, key, "rw-------");
            writeInto(directory, revision, METADATA_FILE, metadata, "rw-r--r--");
            files.forceDirectory(revision);
            beforeSwitch.run(revision);

            Path newLink = directory.resolve(TEMP_PREFIX + random() + ".link");
            Files.createSymbolicLink(newLink, Path.of(revisionName));
            try {
                Files.move(newLink, dataLink, StandardCopyOption.ATOMIC_MOVE);
            } catch (IOException e) {
                Files.deleteIfExists(newLink);
                throw e;
            }
            switched = true;
        } finally {
            if (!switched) {
                deleteQuietly(revision);
            }
        }
        // The new set is live from here: the save has succeeded, what follows only tidies up, so
        // a failure is logged rather than reported as a failed save.
        try {
            for (String file : FILES) {
                Path link = directory.resolve(file);
                if (!Files.isSymbolicLink(link)) {
                    Path newLink = directory.resolve(TEMP_PREFIX + random() + ".link");
                    Files.createSymbolicLink(newLink, Path.of(DATA_LINK, file));
                    Files.move(newLink, link, StandardCopyOption.ATOMIC_MOVE);
                }
            }
            files.forceDirectory(directory);
        } catch (IOException e) {
            LOG.warn("Saved {} in {}, but could not update the links to it: {}", revisionName, directory, e.toString());
        }
        if (previous != null && !previous.toString().equals(revisionName)) {
            deleteQuietly(directory.resolve(previous));
        }
    }

    /** Temporary files and revision directories that {@code ..data} does not point at: left by a crashed save. */
    private static void removeLeftovers(Path directory, Path current) throws IOException {
        List<Path> leftovers = new ArrayList<>();
        try (DirectoryStream<Path> entries = Files.newDirectoryStream(directory)) {
            for (Path entry : entries) {
                String name = entry.getFileName().toString();
                boolean staleRevision = name.startsWith(REVISION_PREFIX)
                        && (current == null || !name.equals(current.toString()));
                if (staleRevision || name.startsWith(TEMP_PREFIX)) {
                    leftovers.add(entry);
                }
            }
        }
        for (Path leftover : leftovers) {
            LOG.debug("Removing leftover {} of an interrupted save", leftover);
            deleteQuietly(leftover);
        }
    }

    private void writeInto(Path directory, Path revision, String name, byte[] content, String mode) throws IOException {
        Path temp = directory.resolve(TEMP_PREFIX + random() + "-" + name);
        try {
            files.writeDurably(temp, content, mode);
            Files.move(temp, revision.resolve(name), StandardCopyOption.ATOMIC_MOVE);
        } finally {
            Files.deleteIfExists(temp);
        }
    }

    private static byte[] metadataBytes(StoredCertificate stored, String keyAlgorithm, KeyEncoding encoding)
            throws CertificateEncodingException {
        CertificateMetadata metadata = stored.metadata();
        Properties properties = new Properties();
        properties.setProperty("format", Integer.toString(FORMAT));
        properties.setProperty("specFingerprint", metadata.specFingerprint());
        properties.setProperty("issuerName", metadata.issuerName());
        properties.setProperty("revision", Integer.toString(metadata.revision()));
        properties.setProperty("issuedAt", metadata.issuedAt().toString());
        metadata.revokedAt().ifPresent(at -> properties.setProperty("revokedAt", at.toString()));
        properties.setProperty("keyAlgorithm", keyAlgorithm);
        properties.setProperty("keyEncoding", encoding.name());
        // The CA the issuer named, unless the chain shows it (its self-signed root), as one property: the three files
        // of a revision stay as they are.
        Optional<X509Certificate> ca = stored.ca().filter(c -> !SelfSigned.isTopOf(stored.chain(), c));
        if (ca.isPresent()) {
            properties.setProperty(RevisionReader.CA_PROPERTY, Base64.getEncoder().encodeToString(ca.get().getEncoded()));
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try {
            properties.store(out, "autocert4j certificate metadata");
        } catch (IOException e) {
            throw new IllegalStateException("writing to memory failed", e);
        }
        // Drop the date comment Properties.store adds, so the file depends on the content only.
        String text = out.toString(StandardCharsets.ISO_8859_1);
        StringBuilder kept = new StringBuilder();
        text.lines().filter(line -> !line.startsWith("#") || line.contains("autocert4j"))
                .sorted(Comparator.comparing((String line) -> !line.startsWith("#")).thenComparing(Comparator.naturalOrder()))
                .forEach(line -> kept.append(line).append('\n'));
        return kept.toString().getBytes(StandardCharsets.ISO_8859_1);
    }
}
