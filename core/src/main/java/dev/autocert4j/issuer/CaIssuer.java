package dev.autocert4j.issuer;

import static java.util.Objects.requireNonNull;

import dev.autocert4j.AutocertException;
import dev.autocert4j.Certificate;
import dev.autocert4j.internal.text.Arguments;
import dev.autocert4j.internal.text.Messages;
import dev.autocert4j.internal.x509.CertificateSigner;
import dev.autocert4j.solver.SolverSet;
import dev.autocert4j.store.StoredCertificate;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import org.bouncycastle.asn1.x500.X500Name;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * cert-manager's {@code ca} issuer: signs certificates with the key of a CA certificate, a private
 * CA inside the application. The CA certificate and its key come either from the manager's store
 * ({@link Builder#secret(Certificate)}, cert-manager's {@code ca.secretName}: typically a
 * certificate with {@link Certificate#isCA()} that a {@link SelfSignedIssuer} issued), or are given
 * directly ({@link Builder#signingKey(KeyPair, List)}).
 *
 * <pre>{@code
 * Certificate root = Certificate.builder("root-ca").commonName("ca.internal").dnsNames("ca.internal")
 *         .isCA(true).duration(Duration.ofDays(3650)).issuerRef(IssuerRef.clusterIssuer("selfsigned")).build();
 * CertificateManager manager = CertificateManager.builder()
 *         .issuer(SelfSignedIssuer.builder("selfsigned").build())
 *         .issuer(CaIssuer.builder("internal-ca").secret(root).build())
 *         .store(store).build();
 * manager.obtain(root);   // the CA, stored
 * manager.obtain(leaf);   // a leaf whose issuerRef names "internal-ca"
 * }</pre>
 *
 * <p>The certificate gets the subject and subject alternative names of the CSR, and from the spec
 * its duration, key usages, extended key usages and {@link Certificate#isCA()} (an intermediate
 * CA), as {@link SelfSignedIssuer} describes, with the CA as issuer name and authority key
 * identifier. <strong>notAfter is capped at the CA certificate's notAfter</strong>, as cert-manager
 * does: a CA that expires in 30 days issues certificates of at most 30 days, whatever their
 * {@code duration}, and the manager renews them by their actual lifetime. A CA certificate that has
 * expired signs nothing.
 *
 * <p>The chain returned is the new certificate, then the CA certificate, then the CA's own chain as
 * stored or given (cert-manager also puts the CA into {@code tls.crt}).
 *
 * <p>A CA certificate is refused unless its basic constraints say {@code CA:true} and its key
 * usage, when present, includes {@code keyCertSign}, and unless the key belongs to it. A CA given
 * directly is checked when the issuer is built (IllegalArgumentException); a CA in the store is
 * read and checked at each issuance, so a renewed CA is used at once, and a missing or unsuitable
 * one fails that issuance with an {@link AutocertException} naming the CA certificate.
 *
 * <p>Immutable and thread-safe. The CA key never appears in {@code toString()}, logs or exceptions.
 */
public final class CaIssuer implements Issuer {
    private static final Logger LOG = LoggerFactory.getLogger(CaIssuer.class);

    private final String name;
    private final IssuerScope scope;
    private final Certificate secret;
    private final KeyPair keyPair;
    private final List<X509Certificate> chain;

    private CaIssuer(Builder b) {
        this.name = b.name;
        this.scope = b.scope;
        this.secret = b.secret;
        this.keyPair = b.keyPair;
        this.chain = b.chain;
    }

    /**
     * @param name the issuer's name, as certificates reference it in their {@code issuerRef}
     * @return a builder; exactly one of {@link Builder#secret(Certificate)} and
     *     {@link Builder#signingKey(KeyPair, List)} is required
     */
    public static Builder builder(String name) {
        return new Builder(name);
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public IssuerScope scope() {
        return scope;
    }

    /** @return the certificate whose stored chain and key sign, when the CA is read from the store */
    public Optional<Certificate> secret() {
        return Optional.ofNullable(secret);
    }

    /**
     * @return the CA certificate given to the builder, when the CA was given directly; the one in the
     *     store may change with every issuance and is not shown here
     */
    public Optional<X509Certificate> caCertificate() {
        return chain == null ? Optional.empty() : Optional.of(chain.get(0));
    }

    /** Accepts every certificate: no solver is needed. */
    @Override
    public void checkCanIssue(Certificate certificate, SolverSet solvers) {
        requireNonNull(certificate, "certificate");
    }

    /**
     * @return the new certificate, the CA certificate, and the CA's own chain
     * @throws AutocertException as {@link #issueCertificate(IssuanceRequest, IssuanceContext)}
     */
    @Override
    public List<X509Certificate> issue(IssuanceRequest request, IssuanceContext context) throws AutocertException {
        return issueCertificate(request, context).chain();
    }

    /**
     * @return the new certificate, the CA certificate and the CA's own chain; as CA the top of that chain, as
     *     cert-manager's CA issuer names it ({@code pkg/util/pki/parse_certificate_chain.go toBundleAndCA}): the
     *     self-signed root when the chain ends in one, else the top-most intermediate, which then is both the
     *     chain's last certificate and its CA
     * @throws AutocertException when the CA is missing from the store (retryable: it may be issued
     *     meanwhile), unsuitable or expired, or the CSR is unusable (not retryable)
     */
    @Override
    public IssuedCertificate issueCertificate(IssuanceRequest request, IssuanceContext context) throws AutocertException {
        requireNonNull(request, "request");
        requireNonNull(context, "context");
        String id = request.certificate().id();
        KeyPair caKey;
        List<X509Certificate> caChain;
        if (secret != null) {
            Optional<StoredCertificate> stored = context.store().load(secret);
            if (stored.isEmpty()) {
                throw new AutocertException("Issuer " + name + " cannot sign " + id + ": its CA certificate " + secret.id()
                        + " is not in the store yet; obtain " + secret.id() + " first", true);
            }
            caKey = stored.get().keyPair();
            caChain = stored.get().chain();
            String problem = caProblem(caChain.get(0), caKey);
            if (problem != null) {
                throw new AutocertException("Issuer " + name + " cannot sign " + id + ": the stored CA certificate "
                        + secret.id() + " " + problem, false);
            }
        } else {
            caKey = keyPair;
            caChain = chain;
        }
        X509Certificate ca = caChain.get(0);
        Instant now = context.clock().instant();
        Instant caNotAfter = ca.getNotAfter().toInstant();
        if (!now.isBefore(caNotAfter)) {
            throw new AutocertException("Issuer " + name + " cannot sign " + id + ": its CA certificate "
                    + ca.getSubjectX500Principal().getName() + " expired at " + caNotAfter + "; renew the CA", false);
        }

        CertificateSigner.ParsedCsr csr;
        try {
            csr = CertificateSigner.parse(request.csr());
        } catch (CertificateSigner.InvalidCsrException e) {
            throw new AutocertException("Issuer " + name + " cannot sign " + id + ": " + Messages.describe(e), false, e);
        }
        CertificateSigner.Signer signer = new CertificateSigner.Signer(
                X500Name.getInstance(ca.getSubjectX500Principal().getEncoded()), ca.getPublicKey(), caKey.getPrivate(),
                CertificateSigner.keyIdentifier(ca));
        X509Certificate issued;
        try {
            issued = CertificateSigner.sign(request.certificate(), csr, signer, now, Optional.of(caNotAfter));
        } catch (GeneralSecurityException e) {
            throw new AutocertException("Issuer " + name + " could not sign " + id + ": " + Messages.describe(e), false, e);
        }
        if (issued.getNotAfter().toInstant().equals(caNotAfter)
                && now.plus(request.certificate().duration()).isAfter(caNotAfter)) {
            LOG.info("{}: notAfter capped at {}, when CA certificate {} expires (duration {} asked for more)", id,
                    caNotAfter, ca.getSubjectX500Principal().getName(), request.certificate().duration());
        }
        List<X509Certificate> result = new ArrayList<>(caChain.size() + 1);
        result.add(issued);
        result.addAll(caChain);
        try {
            return IssuedCertificate.of(result, result.get(result.size() - 1));
        } catch (IllegalArgumentException e) {
            // cert-manager's CA issuer fails alike (SignCSRTemplate: ParseSingleCertificateChain).
            throw new AutocertException("Issuer " + name + " cannot sign " + id + " with its CA certificate's chain: "
                    + e.getMessage(), false, e);
        }
    }

    /** @return what makes {@code ca} unfit to sign with {@code key}, or null when it is fit */
    static String caProblem(X509Certificate ca, KeyPair key) {
        if (ca.getBasicConstraints() < 0) {
            return "(" + ca.getSubjectX500Principal().getName()
                    + ") is not a CA certificate: its basic constraints lack CA:true; issue it with isCA(true)";
        }
        boolean[] keyUsage = ca.getKeyUsage();
        if (keyUsage != null && (keyUsage.length <= 5 || !keyUsage[5])) {
            return "(" + ca.getSubjectX500Principal().getName()
                    + ") may not sign certificates: its key usage lacks keyCertSign; issue it with isCA(true) or the "
                    + "cert sign usage";
        }
        if (!Arrays.equals(ca.getPublicKey().getEncoded(), key.getPublic().getEncoded())) {
            return "(" + ca.getSubjectX500Principal().getName() + ") does not belong to the key given with it";
        }
        return null;
    }

    @Override
    public String toString() {
        return "CaIssuer[" + name + ", " + scope.kind().manifestName()
                + scope.namespace().map(n -> ", namespace " + n).orElse("")
                + (secret != null ? ", secret " + secret.id() : ", ca " + chain.get(0).getSubjectX500Principal().getName())
                + "]";
    }

    /**
     * Builds a {@link CaIssuer}. Each setter checks its argument at once and may be called once;
     * exactly one of {@link #secret(Certificate)} and {@link #signingKey(KeyPair, List)} is
     * required. Not thread-safe.
     */
    public static final class Builder {
        private final String name;
        private final List<String> set = new ArrayList<>();
        private IssuerScope scope = IssuerScope.cluster();
        private Certificate secret;
        private KeyPair keyPair;
        private List<X509Certificate> chain;

        private Builder(String name) {
            this.name = Builders.requireIssuerName(name);
        }

        /**
         * @param namespace the namespace whose certificates this issuer serves (cert-manager's
         *     Issuer); without it the issuer is cluster-wide (a ClusterIssuer). A namespaced CA
         *     issuer reads its {@link #secret(Certificate) secret} from its own namespace.
         * @return this builder
         */
        public Builder namespace(String namespace) {
            Builders.once(set, "namespace");
            this.scope = IssuerScope.namespaced(requireNonNull(namespace, "namespace"));
            return this;
        }

        /**
         * cert-manager's {@code ca.secretName}: the CA certificate and key are the ones the
         * manager's store holds for {@code caCertificate}, read at each issuance.
         *
         * @param caCertificate the certificate (usually with {@link Certificate#isCA()}) whose stored
         *     chain and key sign
         * @return this builder
         */
        public Builder secret(Certificate caCertificate) {
            Builders.once(set, "secret");
            this.secret = requireNonNull(caCertificate, "secret");
            return this;
        }

        /**
         * The CA given directly, checked at once.
         *
         * @param caKeyPair the CA's key pair (never printed)
         * @param caChain the CA certificate first, then the certificates that issued it, if any
         * @return this builder
         * @throws IllegalArgumentException when the chain is empty, the first certificate is not a CA
         *     allowed to sign certificates, or the key does not belong to it
         */
        public Builder signingKey(KeyPair caKeyPair, List<X509Certificate> caChain) {
            Builders.once(set, "signingKey");
            requireNonNull(caKeyPair, "caKeyPair");
            List<X509Certificate> copy = Arguments.noNulls("caChain", caChain);
            if (copy.isEmpty()) {
                throw new IllegalArgumentException("signingKey chain is empty: give the CA certificate first");
            }
            String problem = caProblem(copy.get(0), caKeyPair);
            if (problem != null) {
                throw new IllegalArgumentException("signingKey: the CA certificate " + problem);
            }
            this.keyPair = caKeyPair;
            this.chain = copy;
            return this;
        }

        /**
         * The CA given directly as a stored certificate (its chain and key), checked at once.
         *
         * @param ca the CA certificate as a store holds it
         * @return this builder
         * @throws IllegalArgumentException as {@link #signingKey(KeyPair, List)}
         */
        public Builder signingKey(StoredCertificate ca) {
            requireNonNull(ca, "ca");
            return signingKey(ca.keyPair(), ca.chain());
        }

        /**
         * @return the issuer
         * @throws IllegalStateException when neither or both of secret and signingKey are set
         * @throws IllegalArgumentException when a namespaced issuer's secret is in another namespace
         */
        public CaIssuer build() {
            if (secret == null && keyPair == null) {
                throw new IllegalStateException("CA issuer " + name + " has no CA: set secret(caCertificate) to sign with "
                        + "a CA certificate from the store, or signingKey(keyPair, chain)");
            }
            if (secret != null && keyPair != null) {
                throw new IllegalStateException("CA issuer " + name + " has both secret and signingKey: keep one of them");
            }
            if (secret != null && scope.namespace().isPresent() && !scope.namespace().get().equals(secret.namespace())) {
                throw new IllegalArgumentException("CA issuer " + name + " is bound to namespace " + scope.namespace().get()
                        + " but its secret " + secret.id() + " is in another namespace: a namespaced issuer reads its "
                        + "secret from its own namespace; move the CA certificate there or make the issuer cluster-wide");
            }
            return new CaIssuer(this);
        }
    }
}
