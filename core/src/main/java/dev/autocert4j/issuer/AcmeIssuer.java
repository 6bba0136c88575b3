package dev.autocert4j.issuer;

import static java.util.Objects.requireNonNull;

import dev.autocert4j.AutocertException;
import dev.autocert4j.Certificate;
import dev.autocert4j.Preflight;
import dev.autocert4j.PreflightException;
import dev.autocert4j.PreflightRequest;
import dev.autocert4j.PrivateKeySpec;
import dev.autocert4j.RevocationReason;
import dev.autocert4j.internal.acme.AcmeErrors;
import dev.autocert4j.internal.acme.AcmeOrderFlow;
import dev.autocert4j.internal.acme.AcmeSessions;
import dev.autocert4j.internal.acme.BadNonceRetry;
import dev.autocert4j.internal.acme.ExternalAccountBinding;
import dev.autocert4j.internal.text.Arguments;
import dev.autocert4j.internal.text.Messages;
import dev.autocert4j.solver.SolverSet;
import dev.autocert4j.store.StoredCertificate;
import java.net.URI;
import java.security.KeyStore;
import java.security.KeyStoreException;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;
import org.shredzone.acme4j.Login;
import org.shredzone.acme4j.exception.AcmeException;

/**
 * An issuer backed by an RFC 8555 ACME CA (Let's Encrypt, ZeroSSL, a private step-ca, Pebble),
 * on acme4j. cert-manager's ACME Issuer: a directory URL, a contact email, an account key kept in
 * the store under {@code privateKeySecretRef} (generated on first use, then reused: one account
 * registration per issuer, not one per certificate), optional external account binding and
 * preferred chain, and the solvers of the manager.
 *
 * <pre>{@code
 * Issuer le = AcmeIssuer.builder("letsencrypt")
 *         .letsEncrypt()
 *         .email("ops@example.com")
 *         .build();
 * }</pre>
 *
 * <p>Before every order ({@link Preflight}) it checks that its directory answers as an ACME directory
 * ({@code newNonce}, {@code newAccount}, {@code newOrder}; read once, then remembered) and runs the preflight of
 * every solver selected for the certificate's names.
 *
 * <p>Immutable and thread-safe; one instance serves any number of concurrent issuances.
 */
public final class AcmeIssuer implements Issuer, Preflight {
    /** Let's Encrypt's production directory. */
    public static final URI LETS_ENCRYPT = URI.create("https://acme-v02.api.letsencrypt.org/directory");
    /** Let's Encrypt's staging directory: untrusted certificates, generous rate limits. */
    public static final URI LETS_ENCRYPT_STAGING = URI.create("https://acme-staging-v02.api.letsencrypt.org/directory");

    private static final Pattern EMAIL = Pattern.compile("[^@\\s]+@[^@\\s]+\\.[^@\\s]+");

    private final String name;
    private final IssuerScope scope;
    private final URI directory;
    private final String email;
    private final AccountKeyRef accountKeyRef;
    private final AcmeSessions sessions;
    private final AcmeOrderFlow flow;

    private AcmeIssuer(Builder b) {
        this.name = b.name;
        this.scope = b.scope;
        this.directory = b.directory;
        this.email = b.email;
        this.accountKeyRef = AccountKeyRef.of(b.privateKeySecretRef == null ? name + "-account-key" : b.privateKeySecretRef, scope);
        this.sessions = new AcmeSessions(directory, b.trustStore, email, b.eab, b.accountKey);
        this.flow = new AcmeOrderFlow(name, b.preferredChain, b.orderTimeout);
    }

    /**
     * @param name the issuer's name, as certificates reference it in their {@code issuerRef}
     * @return a builder; {@link Builder#directory(URI)} (or a shortcut) is required
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

    /** @return the CA's directory URL */
    public URI directory() {
        return directory;
    }

    /** @return the contact email given to the CA, if any */
    public Optional<String> email() {
        return Optional.ofNullable(email);
    }

    /** @return where the account key is stored */
    public AccountKeyRef accountKeyRef() {
        return accountKeyRef;
    }

    /**
     * Refuses, before any order is placed: a certificate with a name none of the manager's solvers
     * can serve (for example a wildcard when only HTTP-01 is configured); one with
     * {@link Certificate#isCA()} (ACME CAs issue no CA certificates); URI or email SANs (ACME orders
     * carry DNS and IP identifiers only, and Let's Encrypt refuses CSRs with them); no DNS name or IP
     * address; a common name that is not one of them (as cert-manager's
     * {@code pkg/controller/certificaterequests/acme/acme.go} refuses it).
     */
    @Override
    public void checkCanIssue(Certificate certificate, SolverSet solvers) {
        String refusal = AcmeCertificateRules.refusal(certificate);
        if (refusal != null) {
            throw new IllegalArgumentException("certificate " + certificate.id() + " cannot be issued by ACME issuer " + name
                    + ": " + refusal);
        }
        solvers.requireSolverForEveryIdentifier(certificate);
    }

    /**
     * Checks the directory, then the preflight of each solver the certificate's names would use.
     *
     * @throws PreflightException when the CA cannot be reached, or a solver's check fails
     * @throws IllegalArgumentException when the directory URL answers, but not as an ACME directory
     */
    @Override
    public void preflight(PreflightRequest request) throws PreflightException, InterruptedException {
        requireNonNull(request, "request");
        try {
            sessions.requireDirectory();
        } catch (AutocertException e) {
            throw new PreflightException("The ACME directory " + directory + " of issuer " + name + " cannot be read ("
                    + Messages.describe(e) + "): check the URL and that the CA is reachable from here", e.isRetryable(), e);
        }
        request.solvers().preflight(request);
    }

    @Override
    public List<X509Certificate> issue(IssuanceRequest request, IssuanceContext context)
            throws AutocertException, InterruptedException {
        return flow.run(sessions.login(accountKeyRef, context), request, context);
    }

    /** Asks the CA's ACME Renewal Information, when its directory offers it; empty otherwise (Pebble 2.4). */
    @Override
    public Optional<RenewalWindow> renewalWindow(StoredCertificate stored, IssuanceContext context)
            throws AutocertException, InterruptedException {
        return sessions.renewalWindow(stored.leaf());
    }

    /** Revokes with the account that ordered the certificate (RFC 8555 §7.6). */
    @Override
    public void revoke(StoredCertificate stored, RevocationReason reason, IssuanceContext context)
            throws AutocertException, InterruptedException {
        Login login = sessions.login(accountKeyRef, context);
        try {
            BadNonceRetry.call(() -> {
                org.shredzone.acme4j.Certificate.revoke(login, stored.leaf(),
                        org.shredzone.acme4j.RevocationReason.code(reason.code()));
                return null;
            });
        } catch (AcmeException e) {
            throw AcmeErrors.translate(e, "revoking serial " + stored.leaf().getSerialNumber().toString(16) + " at " + directory);
        }
    }

    @Override
    public String toString() {
        return "AcmeIssuer[" + name + ", " + scope.kind().manifestName() + ", " + directory + "]";
    }

    /**
     * Builds an {@link AcmeIssuer}. Each setter checks its argument at once and may be called
     * once. Not thread-safe.
     */
    public static final class Builder {
        private final String name;
        private final List<String> set = new ArrayList<>();
        private IssuerScope scope = IssuerScope.cluster();
        private URI directory;
        private String email;
        private String privateKeySecretRef;
        private ExternalAccountBinding eab;
        private String preferredChain;
        private KeyStore trustStore;
        private PrivateKeySpec accountKey;
        private Duration orderTimeout = Duration.ofMinutes(5);

        private Builder(String name) {
            requireNonNull(name, "name");
            if (name.isBlank()) {
                throw new IllegalArgumentException("issuer name must not be blank: give the name certificates use in issuerRef");
            }
            this.name = name;
        }

        private void once(String field) {
            if (set.contains(field)) {
                throw new IllegalStateException(field + " was already set on this builder: set it once");
            }
            set.add(field);
        }

        /**
         * @param directory the CA's ACME directory URL; must be https
         * @return this builder
         */
        public Builder directory(URI directory) {
            once("directory");
            requireNonNull(directory, "directory");
            if (!"https".equalsIgnoreCase(directory.getScheme())) {
                throw new IllegalArgumentException("directory " + directory
                        + " is not an https URL: ACME requires TLS; use the CA's https directory URL");
            }
            this.directory = directory;
            return this;
        }

        /** @return this builder, pointed at Let's Encrypt's production directory */
        public Builder letsEncrypt() {
            return directory(LETS_ENCRYPT);
        }

        /** @return this builder, pointed at Let's Encrypt's staging directory */
        public Builder letsEncryptStaging() {
            return directory(LETS_ENCRYPT_STAGING);
        }

        /**
         * @param email the contact address the CA sends expiry and incident notices to
         * @return this builder
         */
        public Builder email(String email) {
            once("email");
            requireNonNull(email, "email");
            if (!EMAIL.matcher(email).matches()) {
                throw new IllegalArgumentException("email '" + email + "' is not an email address: use the form ops@example.com");
            }
            this.email = email;
            return this;
        }

        /**
         * @param namespace the namespace whose certificates this issuer serves (cert-manager's
         *     Issuer); without it the issuer is cluster-wide (a ClusterIssuer)
         * @return this builder
         */
        public Builder namespace(String namespace) {
            once("namespace");
            this.scope = IssuerScope.namespaced(requireNonNull(namespace, "namespace"));
            return this;
        }

        /**
         * @param secretName where the account key is stored (cert-manager's
         *     {@code privateKeySecretRef.name}); {@code <issuer name>-account-key} if unset
         * @return this builder
         */
        public Builder privateKeySecretRef(String secretName) {
            once("privateKeySecretRef");
            AccountKeyRef.of(requireNonNull(secretName, "privateKeySecretRef"), IssuerScope.cluster());
            this.privateKeySecretRef = secretName;
            return this;
        }

        /**
         * @param spec the account key's algorithm (Ed25519 is not accepted by ACME CAs); if unset, the
         *     store's choice ({@link dev.autocert4j.store.AccountKeys#newAccountKeySpec()}): RSA 2048 in the
         *     Kubernetes store, which cert-manager's ACME issuer requires, ECDSA P-256 elsewhere
         * @return this builder
         */
        public Builder accountKey(PrivateKeySpec spec) {
            once("accountKey");
            requireNonNull(spec, "accountKey");
            if (spec.algorithm() == dev.autocert4j.KeyAlgorithm.ED25519) {
                throw new IllegalArgumentException("accountKey Ed25519 is not supported by ACME CAs: use ECDSA P-256 or RSA");
            }
            this.accountKey = spec;
            return this;
        }

        /**
         * External account binding, as ZeroSSL, Google and most commercial CAs require.
         *
         * @param keyId the key identifier the CA gave you
         * @param base64UrlHmacKey the HMAC key the CA gave you, base64url encoded (never logged): strict
         *     base64url ({@code -} and {@code _}; trailing {@code =} tolerated), at least 32 bytes once
         *     decoded; the binding is always signed with HS256, as cert-manager signs it
         * @return this builder
         */
        public Builder externalAccountBinding(String keyId, String base64UrlHmacKey) {
            once("externalAccountBinding");
            this.eab = ExternalAccountBinding.parse(keyId, base64UrlHmacKey);
            return this;
        }

        /**
         * @param issuerCommonName the common name of the root (or any issuer) of the chain to
         *     prefer when the CA offers alternates, e.g. {@code ISRG Root X1}; the default chain
         *     is used when no alternate matches
         * @return this builder
         */
        public Builder preferredChain(String issuerCommonName) {
            once("preferredChain");
            requireNonNull(issuerCommonName, "preferredChain");
            if (issuerCommonName.isBlank()) {
                throw new IllegalArgumentException("preferredChain must not be blank: name the issuer common name, or leave it unset");
            }
            this.preferredChain = issuerCommonName;
            return this;
        }

        /**
         * Trusts exactly these anchors for the CA's TLS certificate (a private CA, Pebble) instead
         * of the JVM's default trust store. There is deliberately no way to switch verification off.
         *
         * @param anchors the CA certificates to trust
         * @return this builder
         */
        public Builder trustedCertificates(X509Certificate... anchors) {
            List<X509Certificate> list = Arguments.noNulls("trustedCertificates", anchors);
            if (list.isEmpty()) {
                throw new IllegalArgumentException("trustedCertificates needs at least one certificate, or leave it unset for the JVM default");
            }
            try {
                KeyStore ks = KeyStore.getInstance(KeyStore.getDefaultType());
                ks.load(null, null);
                for (int i = 0; i < list.size(); i++) {
                    ks.setCertificateEntry("anchor-" + i, list.get(i));
                }
                return trustStore(ks);
            } catch (java.io.IOException | java.security.GeneralSecurityException e) {
                throw new IllegalArgumentException("trustedCertificates could not be loaded: " + Messages.describe(e), e);
            }
        }

        /**
         * @param trustStore the trust store for the CA's TLS certificate, instead of the JVM default
         * @return this builder
         */
        public Builder trustStore(KeyStore trustStore) {
            once("trustStore");
            requireNonNull(trustStore, "trustStore");
            try {
                if (trustStore.size() == 0) {
                    throw new IllegalArgumentException("trustStore is empty: add the CA certificate that signed the ACME server's TLS certificate");
                }
            } catch (KeyStoreException e) {
                throw new IllegalArgumentException("trustStore is not loaded: call load() on it first", e);
            }
            this.trustStore = trustStore;
            return this;
        }

        /**
         * @param timeout how long one order may take from creation to download; 5 minutes if unset
         * @return this builder
         */
        public Builder orderTimeout(Duration timeout) {
            once("orderTimeout");
            requireNonNull(timeout, "orderTimeout");
            if (timeout.isNegative() || timeout.isZero()) {
                throw new IllegalArgumentException("orderTimeout must be positive, was " + timeout);
            }
            this.orderTimeout = timeout;
            return this;
        }

        /**
         * @return the issuer
         * @throws IllegalStateException when no directory was set
         */
        public AcmeIssuer build() {
            if (directory == null) {
                throw new IllegalStateException("AcmeIssuer " + name + " has no directory: call letsEncrypt(), "
                        + "letsEncryptStaging() or directory(URI) with your CA's ACME directory URL");
            }
            return new AcmeIssuer(this);
        }
    }
}
