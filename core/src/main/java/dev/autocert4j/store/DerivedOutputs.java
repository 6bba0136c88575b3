package dev.autocert4j.store;

import dev.autocert4j.Certificate;

/**
 * An optional ability of a {@link CertificateStore}: it writes, beside the chain and the key, outputs that
 * follow from the certificate's spec alone (labels and annotations of a {@link Certificate#secretTemplate()},
 * {@link Certificate#additionalOutputFormats()}, {@link Certificate#keystores()}), and can bring them up to
 * date without a new certificate, as cert-manager's post-issuance policies do
 * ({@code internal/controller/certificates/policies/policies.go NewSecretPostIssuancePolicyChain}). The
 * manager calls it, when the ability is there, whenever it finds a usable certificate stored: in
 * {@code obtain} and at each background check (at once after {@code manage} with a changed spec).
 *
 * <p>Implementations MUST derive the outputs from what they hold at the time of the write (not from an
 * earlier read), make the comparison and the write one atomic step, leave the chain and the key as they are,
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
}
