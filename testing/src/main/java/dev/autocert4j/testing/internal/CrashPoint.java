package dev.autocert4j.testing.internal;

import dev.autocert4j.Certificate;
import dev.autocert4j.CertificateEvent;
import dev.autocert4j.CertificateListener;
import dev.autocert4j.solver.SolverException;
import dev.autocert4j.solver.dns.DeletableByContent;
import dev.autocert4j.solver.dns.DnsProvider;
import dev.autocert4j.solver.dns.FindableByContent;
import dev.autocert4j.solver.dns.TxtRecord;
import dev.autocert4j.store.CertificateMetadata;
import dev.autocert4j.store.CertificateStore;
import dev.autocert4j.store.StoreException;
import dev.autocert4j.store.StoredCertificate;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.HashSet;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.function.Supplier;

/**
 * Crash tests' hooks: a child JVM stops dead at one named instant of an order, prints {@code STAGE <instant>},
 * and waits to be killed; the parent waits for that line and kills it with SIGKILL. So every run hits the
 * window it means to, however fast or slow the machine is. Thread-safe.
 */
public final class CrashPoint {
    /** The instants of a DNS-01 order, in order. */
    public enum Instant {
        /** The intent is in the journal; the provider was not called yet. */
        INTENT_WRITTEN,
        /** The provider created the record; its handle is not in the journal yet. */
        CREATE_RETURNED,
        /** The record's confirmed handle is in the journal (the PRESENTED event). */
        HANDLE_CONFIRMED,
        /** The challenge was triggered and the CA validated it (the DOMAIN_VERIFIED event). */
        CHALLENGE_TRIGGERED,
        /** The order was finalised and the certificate issued, not yet downloaded or stored (ORDER_COMPLETE). */
        ORDER_FINALISED
    }

    private static final String MARKER = "STAGE ";

    private CrashPoint() {
    }

    /**
     * Prints the marker and blocks this thread for ever.
     *
     * @param instant the instant reached
     */
    public static void reached(String instant) {
        System.out.println(MARKER + instant);
        System.out.flush();
        try {
            new CountDownLatch(1).await(); // nobody counts it down: the parent kills this process here
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted at " + instant, e);
        }
    }

    /**
     * The crash tests' {@code STORE} instant: prints {@code STAGE STORE} and saves the stored certificate again and
     * again, each time as the next revision, so that a kill lands in the middle of a save. Never returns normally.
     *
     * @param store the store that holds the certificate
     * @param spec the certificate
     * @throws StoreException when loading or saving fails (the test then sees the child exit)
     */
    public static void saveOverAndOver(CertificateStore store, Certificate spec) throws StoreException {
        StoredCertificate stored = store.load(spec).orElseThrow(() -> new IllegalStateException(spec.id() + " is not stored"));
        System.out.println(MARKER + "STORE");
        System.out.flush();
        CertificateMetadata m = stored.metadata();
        for (int revision = m.revision() + 1; ; revision++) {
            store.save(spec, new StoredCertificate(stored.chain(), stored.keyPair(),
                    new CertificateMetadata(m.specFingerprint(), m.issuerName(), revision, m.issuedAt())));
        }
    }

    /**
     * Waits until a child in {@link #saveOverAndOver} has printed its marker and what it stores has changed a few
     * times, so that the kill lands inside one save, then kills it (SIGKILL).
     *
     * @param child the child JVM
     * @param revision reads what identifies the stored revision now (a Secret's resourceVersion, a link's target)
     * @param timeout how long each of the two waits may take
     * @throws IllegalStateException when it exits before it saves, or does not save in time; the message holds its log
     */
    public static void killDuringSaves(ChildProcess child, Supplier<String> revision, Duration timeout) {
        try {
            child.awaitReady(timeout, () -> child.log().contains(MARKER + "STORE"));
            Set<String> seen = new HashSet<>();
            Poll.until(timeout, () -> {
                seen.add(revision.get());
                return seen.size() >= 4 || !child.isAlive();
            }, () -> "the child saved within " + timeout + "; its log:\n" + child.logTail(20));
        } finally {
            child.kill();
        }
    }

    /**
     * @param pemFile a PEM file the parent wrote (Pebble's TLS certificate)
     * @return the first certificate in it
     * @throws IOException when it cannot be read
     * @throws CertificateException when it holds no certificate
     */
    public static X509Certificate trustAnchor(Path pemFile) throws IOException, CertificateException {
        return (X509Certificate) CertificateFactory.getInstance("X.509").generateCertificate(new ByteArrayInputStream(Files.readAllBytes(pemFile)));
    }

    /**
     * @param delegate the provider, which can delete by content
     * @param instant where to block
     * @return a provider that blocks before the delegate creates a record ({@link Instant#INTENT_WRITTEN}) or
     *     after ({@link Instant#CREATE_RETURNED}); otherwise it only delegates
     */
    public static DnsProvider provider(DnsProvider delegate, Instant instant) {
        return new Blocking(delegate, instant);
    }

    /**
     * @param instant where to block
     * @return a listener that blocks on the event that marks the instant, if it is marked by one
     */
    public static CertificateListener listener(Instant instant) {
        CertificateEvent.Type type = switch (instant) {
            case HANDLE_CONFIRMED -> CertificateEvent.Type.PRESENTED;
            case CHALLENGE_TRIGGERED -> CertificateEvent.Type.DOMAIN_VERIFIED;
            case ORDER_FINALISED -> CertificateEvent.Type.ORDER_COMPLETE;
            default -> null;
        };
        return event -> {
            if (event.type() == type) {
                reached(instant.name());
            }
        };
    }

    /**
     * Waits until the child printed the marker of {@code instant}, then kills it (SIGKILL).
     *
     * @param child the child JVM
     * @param instant the instant it is to reach
     * @param timeout how long it may take to get there
     * @throws IllegalStateException when it exits or does not get there in time; the message holds its log
     */
    public static void killAt(ChildProcess child, String instant, Duration timeout) {
        try {
            child.awaitReady(timeout, () -> child.log().contains(MARKER + instant));
        } finally {
            child.kill();
        }
    }

    private static final class Blocking implements DnsProvider, DeletableByContent, FindableByContent {
        private final DnsProvider delegate;
        private final Instant instant;

        Blocking(DnsProvider delegate, Instant instant) {
            this.delegate = delegate;
            this.instant = instant;
        }

        @Override
        public String id() {
            return delegate.id();
        }

        @Override
        public String createTxtRecord(TxtRecord record) throws SolverException {
            if (instant == Instant.INTENT_WRITTEN) {
                reached(instant.name());
            }
            String handle = delegate.createTxtRecord(record);
            if (instant == Instant.CREATE_RETURNED) {
                reached(instant.name());
            }
            return handle;
        }

        @Override
        public void deleteTxtRecord(String handle) throws SolverException {
            delegate.deleteTxtRecord(handle);
        }

        /** The delegate's answer; false (nothing known, so an intent is journalled) when it cannot find by content. */
        @Override
        public boolean hasTxtRecord(String zone, String fqdn, String value) throws SolverException {
            return delegate instanceof FindableByContent finder && finder.hasTxtRecord(zone, fqdn, value);
        }

        @Override
        public void deleteTxtRecords(String zone, String fqdn, String value) throws SolverException {
            ((DeletableByContent) delegate).deleteTxtRecords(zone, fqdn, value);
        }

        @Override
        public String toString() {
            return "CrashPoint.provider(" + delegate + ", " + instant.name().toLowerCase(Locale.ROOT) + ")";
        }
    }
}
