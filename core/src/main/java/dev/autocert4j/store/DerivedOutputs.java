package dev.autocert4j.store;

import dev.autocert4j.Certificate;

/**
 * An optional ability of a {@link CertificateStore}: it writes, beside the chain and the key, outputs that
 * follow from the certificate's spec alone (labels and annotations of a {@link Certificate#secretTemplate()},
 * {@link Certificate#additionalOutputFormats()}, {@link Certificate#keystores()}), and can bring them up to
 * date without a new certificate, as cert-manager's post-issuance policies do
 * ({@code internal/controller/certificates/policies/policies.go NewSecretPostIssuancePolicyChain}). The
 * manager calls it, when the ability is there, whenever it finds a usable certificate stored: in
 * {@code obtain} and at each background check (at once after {@code manage} with a changed spec), through
 * {@link #syncDerivedOutputs(Certificate, StoredCertificate)} with what its {@link CertificateStore#load} returned
 * in the same look.
 *
 * <p>Implementations MUST derive the outputs from what they hold at the time of the write (from a read that the
 * write is conditional on, so that a change since that read makes them read again), make the comparison and the
 * write one atomic step, leave the chain and the key as they are,
 * write nothing when everything is current, and be safe for concurrent use.
 */
public interface DerivedOutputs {
    /**
     * Rewrites the outputs of the stored certificate that no longer match the certificate's spec; the
     * certificate itself (chain, key, metadata) stays as it is.
     *
     * @param certificate the certificate, as it is asked for now
     * @return whether anything was rewritten; false also when nothing usable is stored
     * @throws StoreException when the outputs cannot be built (e.g. a keystore password Secret is missing)
     *     or the store cannot be written; what is stored then stays as it was
     */
    boolean syncDerivedOutputs(Certificate certificate) throws StoreException;

    /**
     * As {@link #syncDerivedOutputs(Certificate)}, right after this store's {@link CertificateStore#load} returned
     * {@code loaded} for the certificate: a store MAY take the read behind {@code loaded} as its first read instead
     * of reading again, so that a look at a current certificate costs one read, provided its write stays
     * conditional on that read (a store that finds the stored state changed since then reads again and derives
     * anew). By default it ignores {@code loaded}.
     *
     * @param certificate the certificate, as it is asked for now
     * @param loaded what {@link CertificateStore#load} returned for it just before
     * @return whether anything was rewritten; false also when nothing usable is stored
     * @throws StoreException as {@link #syncDerivedOutputs(Certificate)}
     */
    default boolean syncDerivedOutputs(Certificate certificate, StoredCertificate loaded) throws StoreException {
        return syncDerivedOutputs(certificate);
    }
}
