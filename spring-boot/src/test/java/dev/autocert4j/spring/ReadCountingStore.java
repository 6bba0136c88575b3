package dev.autocert4j.spring;

import dev.autocert4j.Certificate;
import dev.autocert4j.store.CertificateStore;
import dev.autocert4j.store.FailureRecords;
import dev.autocert4j.store.InMemoryCertificateStore;
import dev.autocert4j.store.IssuanceFailures;
import dev.autocert4j.store.StoreException;
import dev.autocert4j.store.StoredCertificate;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A store in memory that counts its reads (certificates and failure records): what a Kubernetes Secret store would
 * pay for as API requests. Thread-safe.
 */
final class ReadCountingStore implements CertificateStore, FailureRecords {
    /** Reads since the test last reset it. */
    final AtomicInteger reads = new AtomicInteger();
    private final InMemoryCertificateStore delegate = new InMemoryCertificateStore();

    @Override
    public Optional<StoredCertificate> load(Certificate certificate) throws StoreException {
        reads.incrementAndGet();
        return delegate.load(certificate);
    }

    @Override
    public void save(Certificate certificate, StoredCertificate stored) throws StoreException {
        delegate.save(certificate, stored);
    }

    @Override
    public Optional<IssuanceFailures> loadFailures(Certificate certificate) throws StoreException {
        reads.incrementAndGet();
        return delegate.loadFailures(certificate);
    }

    @Override
    public void saveFailures(Certificate certificate, IssuanceFailures failures) throws StoreException {
        delegate.saveFailures(certificate, failures);
    }

    @Override
    public void clearFailures(Certificate certificate) throws StoreException {
        delegate.clearFailures(certificate);
    }
}
