package dev.autocert4j.store.file;

import static dev.autocert4j.store.file.StoreProperties.required;

import dev.autocert4j.Certificate;
import dev.autocert4j.internal.text.Messages;
import dev.autocert4j.store.IssuanceFailures;
import dev.autocert4j.store.StoreException;
import java.io.IOException;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.Optional;
import java.util.Properties;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Failed issuance attempts since the last success, as {@code <root>/failures/<namespace>/<name>.properties},
 * written atomically. A damaged file is moved aside: only a backoff is lost. Thread-safe.
 */
final class FailureRecordFiles {
    static final String FAILURES_DIRECTORY = "failures";
    // Logged under the store's name, as before the split, so users' logging configuration still applies.
    private static final Logger LOG = LoggerFactory.getLogger(FileCertificateStore.class);

    private final Path root;
    private final DurableFiles files;
    private final DamageQuarantine quarantine;

    FailureRecordFiles(Path root, DurableFiles files, DamageQuarantine quarantine) {
        this.root = root;
        this.files = files;
        this.quarantine = quarantine;
    }

    /** @return {@code <root>/failures/<namespace>/<name>.properties} */
    private Path file(Certificate certificate) {
        return root.resolve(FAILURES_DIRECTORY).resolve(certificate.namespace()).resolve(certificate.name() + ".properties");
    }

    Optional<IssuanceFailures> load(Certificate certificate) throws StoreException {
        Path file = file(certificate);
        Optional<byte[]> bytes = DurableFiles.readIfPresent(file, "the failure record");
        if (bytes.isEmpty()) {
            return Optional.empty();
        }
        try {
            Properties properties = StoreProperties.parse(bytes.get());
            return Optional.of(new IssuanceFailures(required(properties, "specFingerprint"),
                    Integer.parseInt(required(properties, "attempts")), Instant.parse(required(properties, "lastFailureTime")),
                    Instant.parse(required(properties, "nextAttempt")), properties.getProperty("lastMessage", "")));
        } catch (NoSuchFieldException | IOException | DateTimeParseException | IllegalArgumentException e) {
            // Only a backoff is lost: keep the file for a look, and let the certificate be tried now.
            String reason = e instanceof NoSuchFieldException ? "lacks the property " + Messages.describe(e) : Messages.describe(e);
            try {
                Path aside = quarantine.moveAside(file);
                LOG.warn("Damaged store file {} ({}): moved aside to {}; {} is retried without a backoff", file, reason,
                        aside, certificate.id());
                return Optional.empty();
            } catch (NoSuchFileException gone) {
                return Optional.empty(); // another process moved it first
            } catch (IOException move) {
                throw new StoreException("Damaged store file " + file + " (" + reason + "), and it cannot be moved aside: "
                        + move + ". Delete it: the certificate is then retried at once.", false, move);
            }
        }
    }

    /** Written to a temporary file and renamed over the previous one. */
    void save(Certificate certificate, IssuanceFailures failures) throws StoreException {
        Path file = file(certificate);
        Properties properties = new Properties();
        properties.setProperty("specFingerprint", failures.specFingerprint());
        properties.setProperty("attempts", Integer.toString(failures.attempts()));
        properties.setProperty("lastFailureTime", failures.lastFailureTime().toString());
        properties.setProperty("nextAttempt", failures.nextAttempt().toString());
        properties.setProperty("lastMessage", failures.lastMessage());
        try {
            files.writePropertiesAtomically(file, properties);
        } catch (IOException e) {
            throw new StoreException("Cannot record the failures of " + certificate.id() + " in " + file + ": " + e, true, e);
        }
    }

    void clear(Certificate certificate) throws StoreException {
        Path file = file(certificate);
        try {
            files.deleteDurably(file);
        } catch (IOException e) {
            throw new StoreException("Cannot remove " + file + ": " + e, true, e);
        }
    }
}
