package dev.autocert4j.store.k8s;

import static java.util.Objects.requireNonNull;

import dev.autocert4j.Certificate;
import dev.autocert4j.Preflight;
import dev.autocert4j.PreflightException;
import dev.autocert4j.PreflightRequest;
import dev.autocert4j.PrivateKeySpec;
import dev.autocert4j.issuer.AccountKeyRef;
import dev.autocert4j.lock.LockProvider;
import dev.autocert4j.lock.k8s.KubernetesLeaseLockProvider;
import dev.autocert4j.store.AccountKeys;
import dev.autocert4j.store.CertificateStore;
import dev.autocert4j.store.ClusterResourceNamespace;
import dev.autocert4j.store.CleanupJournal;
import dev.autocert4j.store.ConditionalSave;
import dev.autocert4j.store.DerivedOutputs;
import dev.autocert4j.store.FailureRecords;
import dev.autocert4j.store.IssuanceFailures;
import dev.autocert4j.store.JksKeystore;
import dev.autocert4j.store.PendingCleanup;
import dev.autocert4j.store.Pkcs12Keystore;
import dev.autocert4j.store.StoreException;
import dev.autocert4j.store.StoredCertificate;
import dev.autocert4j.store.k8s.internal.AccountKeySecrets;
import dev.autocert4j.store.k8s.internal.BookkeepingSecrets;
import dev.autocert4j.store.k8s.internal.CertificateSecretLoader;
import dev.autocert4j.store.k8s.internal.CertificateSecretSaver;
import dev.autocert4j.store.k8s.internal.DerivedSecretParts;
import dev.autocert4j.store.k8s.internal.KeystorePasswords;
import dev.autocert4j.store.k8s.internal.KeystoreSettings;
import dev.autocert4j.store.k8s.internal.LoadedSecrets;
import dev.autocert4j.store.k8s.internal.SecretQuarantine;
import dev.autocert4j.store.k8s.internal.SecretWriter;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.security.KeyPair;
import java.util.List;
import java.util.Optional;

/**
 * A {@link CertificateStore} that keeps each certificate in the Secret named by its
 * {@code secretName}, in its namespace, as cert-manager writes it
 * ({@code pkg/controller/certificates/issuing/internal/secret.go}): type {@code kubernetes.io/tls};
 * {@code tls.crt} with the chain as the issuer returned it, except that a self-signed root at its end
 * goes into {@code ca.crt} only, as cert-manager's CA issuer does; {@code ca.crt} also for a
 * self-signed certificate (the certificate itself), none for other chains (as cert-manager's ACME
 * issuer), and a {@code ca.crt} we did not write (a user's bundle) kept byte for byte while the issuer names no CA
 * or one that it holds ({@code CaCrtEntry}); {@code tls.key}; the {@code cert-manager.io/*} annotations computed from the issued
 * certificate (common name, subject, DNS/IP/URI/email SANs), the certificate's name and the issuer
 * that issued it; the label {@code controller.cert-manager.io/fao: "true"}; the annotations and labels
 * of {@link Certificate#secretTemplate()}, not the Certificate's own labels ({@code SecretTemplates}). Other people's
 * annotations, labels and data entries stay, also other {@code cert-manager.io/*} annotations such
 * as {@code allow-direct-injection}. Our own state (spec fingerprint, issuer, revision, issue time)
 * lives in annotations under {@value #PREFIX}.
 *
 * <p>{@link Certificate#additionalOutputFormats()}, as cert-manager's {@code additionalOutputFormats}:
 * {@code tls-combined.pem} (key PEM, a line break, chain PEM) and {@code key.der} (the key's DER),
 * rewritten with every save and removed when the certificate no longer asks for them.
 *
 * <p>Keystores, as cert-manager's {@code keystores}: a certificate's own {@link Certificate#keystores()}
 * ({@code pkcs12} with its {@link dev.autocert4j.store.Pkcs12Profile}, {@code jks} with its alias; the
 * password from a Secret in the certificate's namespace or literal), and for a format the certificate
 * leaves unset the store's default ({@link Builder#pkcs12Keystore}, {@link Builder#jksKeystore}), add
 * {@code keystore.p12} + {@code truststore.p12} and/or {@code keystore.jks} + {@code truststore.jks}
 * (the truststores only when {@code ca.crt} is known), in the same update as the PEM keys. PKCS#12 files
 * are laid out as cert-manager's go-pkcs12 writes them: no friendly name on the key (Java lists it as
 * {@code 1}), {@code localKeyId} = SHA-1 of the leaf, the rest of the chain and {@code ca.crt} as plain
 * certificate bags; in {@code truststore.p12} the CA is trusted for any usage and named by its subject.
 *
 * <p>Every write carries the {@code resourceVersion} it read; on a conflict (HTTP 409) the store
 * re-reads and tries again. A Secret that carries neither our annotations nor cert-manager's is
 * never read or written: {@link ForeignSecretException}. A Secret whose
 * {@code cert-manager.io/certificate-name} names another certificate is never read or written for
 * this one either: two certificates with one {@code secretName} get a
 * {@link SecretNameConflictException} naming both, not Secrets that flip between them.
 *
 * <p>Adoption: a Secret that cert-manager issued (it carries {@code cert-manager.io/certificate-name}
 * but no annotations of ours) loads as the certificate when the certificate in it passes the checks
 * cert-manager itself makes before it re-issues: the key in {@code tls.key} belongs to it, the issuer
 * annotations name the certificate's issuer (an empty kind is an Issuer, an empty group
 * {@code cert-manager.io}), the key has the spec's algorithm and size, the common name and DNS names
 * are the spec's as a set (a CA may promote the first SAN to the common name), the IP addresses are
 * the spec's in any text form and order, and it allows every requested usage. The store then reports
 * the certificate's own spec fingerprint, so that {@code CertificateManager.obtain} uses it until its
 * renewal time and orders nothing. Otherwise it loads as absent (the reason is logged) and the next
 * save replaces it.
 *
 * <p>Account keys live in the Secret named by the issuer's {@code privateKeySecretRef} (key
 * {@code tls.key}, PKCS#1, as cert-manager writes them), in the issuer's namespace, or for cluster
 * issuers in the cluster resource namespace (default {@code cert-manager}). New ones are RSA 2048
 * unless the issuer asks for another algorithm, because cert-manager's ACME issuer accepts no other;
 * an account Secret that cert-manager created is used as it is: the same account, no new registration.
 *
 * <p>Replicas that share the cluster coordinate through {@link #defaultLockProvider()}: Leases in
 * the cluster resource namespace ({@link dev.autocert4j.lock.k8s.KubernetesLeaseLockProvider}).
 *
 * <p>Before every order ({@link Preflight}) it reads the keystore password Secrets the certificate's
 * keystores need, in its namespace, so that a missing one fails before the CA is asked, not after it issued. Whether the
 * client may write Secrets is not checked: fabric8's mock API, which the tests run against, answers no
 * SelfSubjectAccessReview.
 *
 * <p>Thread-safe; several stores (replicas) may share one cluster.
 */
public final class KubernetesSecretStore implements CertificateStore, AccountKeys, CleanupJournal, FailureRecords,
        Preflight, ConditionalSave, ClusterResourceNamespace, DerivedOutputs {
    /** Prefix of the annotations that hold autocert4j's own state. */
    public static final String PREFIX = "autocert4j.dev/";
    /** The namespace that holds cluster issuers' account keys unless told otherwise. */
    public static final String DEFAULT_CLUSTER_RESOURCE_NAMESPACE = "cert-manager";

    private final KubernetesClient client;
    private final String clusterResourceNamespace;
    private final KeystoreSettings keystores;
    private final CertificateSecretLoader loader;
    private final CertificateSecretSaver saver;
    private final AccountKeySecrets accountKeys;
    private final BookkeepingSecrets bookkeeping;
    private final DerivedSecretParts derived;
    private final LoadedSecrets lastLoads = new LoadedSecrets();
    private volatile KubernetesLeaseLockProvider lockProvider;
    /** Test seam: runs between the read and the write of {@link #save}; a no-op in production. */
    volatile Runnable betweenReadAndWrite = () -> { };

    private KubernetesSecretStore(KubernetesClient client, String clusterResourceNamespace, SecretKeyRef pkcs12Password,
            SecretKeyRef jksPassword) {
        this.client = client;
        this.clusterResourceNamespace = clusterResourceNamespace;
        SecretWriter secrets = new SecretWriter(client);
        this.keystores = new KeystoreSettings(new KeystorePasswords(secrets),
                pkcs12Password == null ? null : Pkcs12Keystore.create(pkcs12Password.toKeystorePassword()),
                jksPassword == null ? null : JksKeystore.create(jksPassword.toKeystorePassword()));
        this.loader = new CertificateSecretLoader(secrets, new SecretQuarantine(secrets), lastLoads);
        this.saver = new CertificateSecretSaver(secrets, keystores, lastLoads);
        this.accountKeys = new AccountKeySecrets(secrets, clusterResourceNamespace);
        this.bookkeeping = new BookkeepingSecrets(secrets, clusterResourceNamespace);
        this.derived = new DerivedSecretParts(secrets, keystores);
    }

    /**
     * @param client the client to talk to the API server with; the caller keeps and closes it
     * @return a store whose cluster issuers keep their account keys in {@code cert-manager}
     */
    public static KubernetesSecretStore of(KubernetesClient client) {
        return builder(client).build();
    }

    /**
     * @param client the client to talk to the API server with; the caller keeps and closes it
     * @param clusterResourceNamespace where cluster issuers' account key Secrets live
     * @return a new store
     */
    public static KubernetesSecretStore of(KubernetesClient client, String clusterResourceNamespace) {
        return builder(client).clusterResourceNamespace(clusterResourceNamespace).build();
    }

    /**
     * @param client the client to talk to the API server with; the caller keeps and closes it
     * @return a builder for a store with options: cluster resource namespace, keystores
     */
    public static Builder builder(KubernetesClient client) {
        return new Builder(requireNonNull(client, "client"));
    }

    @Override
    public Optional<StoredCertificate> load(Certificate certificate) throws StoreException {
        return loader.load(requireNonNull(certificate, "certificate"));
    }

    @Override
    public void save(Certificate certificate, StoredCertificate stored) throws StoreException {
        saver.save(requireNonNull(certificate, "certificate"), requireNonNull(stored, "stored"), null, betweenReadAndWrite);
    }

    /**
     * {@inheritDoc}
     *
     * <p>The check runs on the Secret as read for the write, and the write carries that read's
     * {@code resourceVersion}: a Secret another writer changed in between fails the write with a
     * conflict, and the re-read is checked again. Another certificate counts as saved when the Secret
     * holds one of ours ({@value #PREFIX} annotations, not set aside as damaged) whose metadata
     * (fingerprint, issuer, revision, issue time, revocation) differs from {@code expected}'s.
     */
    @Override
    public void saveIfUnchanged(Certificate certificate, Optional<StoredCertificate> expected, StoredCertificate stored)
            throws StoreException {
        saver.save(requireNonNull(certificate, "certificate"), requireNonNull(stored, "stored"),
                requireNonNull(expected, "expected"), betweenReadAndWrite);
    }

    /**
     * Rewrites, without a new certificate, the parts of the certificate's Secret that follow from its spec
     * alone, as cert-manager's post-issuance policies do: {@code secretTemplate} labels and annotations
     * (keys applied before and no longer in the template removed; in a Secret cert-manager wrote, those its
     * field manager owns), {@code additionalOutputFormats} added or removed, keystores added, removed, or
     * re-made when their profile, alias or password changed, the {@code fao} label and the certificate
     * detail annotations. {@code tls.crt}, {@code tls.key} and {@code ca.crt} stay byte for byte. One write,
     * carrying the {@code resourceVersion} it read (re-read on a conflict); none when all is current.
     */
    @Override
    public boolean syncDerivedOutputs(Certificate certificate) throws StoreException {
        return derived.sync(requireNonNull(certificate, "certificate"), null, betweenReadAndWrite);
    }

    /**
     * {@inheritDoc}
     *
     * <p>When {@code loaded} is the very object this store's last load of the Secret returned, the sync starts from
     * the Secret that load read, not from a new read; its write carries that read's {@code resourceVersion}.
     */
    @Override
    public boolean syncDerivedOutputs(Certificate certificate, StoredCertificate loaded) throws StoreException {
        requireNonNull(certificate, "certificate");
        return derived.sync(certificate, lastLoads.take(certificate.namespace() + "/" + certificate.secretName(),
                requireNonNull(loaded, "loaded")), betweenReadAndWrite);
    }

    /**
     * Checks that each keystore password Secret the certificate needs (its own keystores, else the store's)
     * exists in its namespace and holds a non-empty password (read only; the password is cleared at once).
     *
     * @throws PreflightException naming the missing Secret or key, and what to create
     */
    @Override
    public void preflight(PreflightRequest request) throws PreflightException {
        try {
            keystores.check(requireNonNull(request, "request").certificate());
        } catch (StoreException e) {
            throw new PreflightException(e.getMessage(), e.isRetryable(), e);
        }
    }

    @Override
    public Optional<KeyPair> loadAccountKey(AccountKeyRef ref) throws StoreException {
        return accountKeys.load(requireNonNull(ref, "ref"));
    }

    /**
     * @return RSA 2048, PKCS#1: the only account key cert-manager's ACME issuer accepts
     *     ({@code pkg/issuer/acme/setup.go}), so that switching back to cert-manager keeps the account
     */
    @Override
    public PrivateKeySpec newAccountKeySpec() {
        return PrivateKeySpec.rsa(2048);
    }

    @Override
    public KeyPair saveAccountKeyIfAbsent(AccountKeyRef ref, KeyPair candidate) throws StoreException {
        requireNonNull(ref, "ref");
        requireNonNull(candidate, "candidate");
        return accountKeys.saveIfAbsent(ref, candidate);
    }

    /**
     * Journals a cleanup in the Secret {@code autocert4j-pending-cleanups} of the cluster resource
     * namespace, one data entry per cleanup, written with resourceVersion and retried on conflict.
     */
    @Override
    public void recordPendingCleanup(PendingCleanup cleanup) throws StoreException {
        bookkeeping.recordPendingCleanup(requireNonNull(cleanup, "cleanup"));
    }

    @Override
    public void removePendingCleanup(PendingCleanup cleanup) throws StoreException {
        bookkeeping.removePendingCleanup(requireNonNull(cleanup, "cleanup"));
    }

    @Override
    public List<PendingCleanup> pendingCleanups() throws StoreException {
        return bookkeeping.pendingCleanups();
    }

    /**
     * Reads the failures from the annotation {@code autocert4j.dev/failures.<name>} of the Secret
     * {@code autocert4j-issuance-failures} in the certificate's namespace: in annotations, not data,
     * and outside the certificate's own Secret, which may not exist yet when the first issuance
     * fails. For a name over 54 characters the key holds the name's first 37 characters, '-' and 16
     * hex digits of its SHA-256, within Kubernetes' 63-character limit for the key's name part. A damaged entry counts as none (only a backoff is lost) and is logged.
     */
    @Override
    public Optional<IssuanceFailures> loadFailures(Certificate certificate) throws StoreException {
        return bookkeeping.loadFailures(requireNonNull(certificate, "certificate"));
    }

    @Override
    public void saveFailures(Certificate certificate, IssuanceFailures failures) throws StoreException {
        requireNonNull(certificate, "certificate");
        requireNonNull(failures, "failures");
        bookkeeping.saveFailures(certificate, failures);
    }

    @Override
    public void clearFailures(Certificate certificate) throws StoreException {
        bookkeeping.clearFailures(requireNonNull(certificate, "certificate"));
    }

    /**
     * A {@link KubernetesLeaseLockProvider} with Leases in this store's cluster resource namespace
     * (where the store already keeps its cleanup journal), with a fresh holder identity and the
     * default lease duration. Created on the first call; later calls return the same provider, so
     * managers sharing this store object share its renewal thread.
     *
     * @return the store's Lease lock provider
     */
    @Override
    public LockProvider defaultLockProvider() {
        KubernetesLeaseLockProvider provider = lockProvider;
        if (provider == null) {
            synchronized (this) {
                provider = lockProvider;
                if (provider == null) {
                    provider = KubernetesLeaseLockProvider.builder(client).namespace(clusterResourceNamespace).build();
                    lockProvider = provider;
                }
            }
        }
        return provider;
    }

    /** @return where cluster issuers' account keys, the cleanup journal and the default Leases are kept */
    @Override
    public String clusterResourceNamespace() {
        return clusterResourceNamespace;
    }

    @Override
    public String toString() {
        return "KubernetesSecretStore[clusterResourceNamespace=" + clusterResourceNamespace + keystores + "]";
    }

    /**
     * Builds a {@link KubernetesSecretStore}. Each setter checks its argument at once and may be
     * called once. Not thread-safe.
     */
    public static final class Builder {
        private final KubernetesClient client;
        private String clusterResourceNamespace;
        private SecretKeyRef pkcs12Password;
        private SecretKeyRef jksPassword;

        private Builder(KubernetesClient client) {
            this.client = client;
        }

        /**
         * @param clusterResourceNamespace where cluster issuers' account key Secrets, the cleanup
         *     journal and the default lock provider's Leases live; {@code cert-manager}
         *     if unset
         * @return this builder
         */
        public Builder clusterResourceNamespace(String clusterResourceNamespace) {
            if (this.clusterResourceNamespace != null) {
                throw new IllegalStateException("clusterResourceNamespace was already set on this builder: set it once");
            }
            requireNonNull(clusterResourceNamespace, "clusterResourceNamespace");
            if (clusterResourceNamespace.isBlank()) {
                throw new IllegalArgumentException("clusterResourceNamespace must not be blank");
            }
            this.clusterResourceNamespace = clusterResourceNamespace;
            return this;
        }

        /**
         * Also writes {@code keystore.p12} (the key and chain) and, when {@code ca.crt} is known,
         * {@code truststore.p12} into the Secret of every certificate that sets no {@code keystores.pkcs12}
         * of its own, in the same update as {@code tls.crt} and {@code tls.key}, as cert-manager's
         * {@code keystores.pkcs12} with its default profile {@code LegacyRC2}. Saving fails, and writes
         * nothing, while the password Secret is missing.
         *
         * @param passwordSecretRef the Secret key, in each certificate's namespace, holding the
         *     keystore password
         * @return this builder
         */
        public Builder pkcs12Keystore(SecretKeyRef passwordSecretRef) {
            if (pkcs12Password != null) {
                throw new IllegalStateException("pkcs12Keystore was already set on this builder: set it once");
            }
            this.pkcs12Password = requireNonNull(passwordSecretRef, "passwordSecretRef");
            return this;
        }

        /**
         * Also writes {@code keystore.jks} (the key and chain, alias {@code certificate}, key
         * password equal to the store password, plus the CA as {@code ca} when known) and, when
         * {@code ca.crt} is known, {@code truststore.jks} into the Secret of every certificate that sets
         * no {@code keystores.jks} of its own, in the same update as {@code tls.crt} and {@code tls.key},
         * as cert-manager's {@code keystores.jks}. Saving fails, and writes nothing, while the password
         * Secret is missing.
         *
         * @param passwordSecretRef the Secret key, in each certificate's namespace, holding the
         *     keystore password
         * @return this builder
         */
        public Builder jksKeystore(SecretKeyRef passwordSecretRef) {
            if (jksPassword != null) {
                throw new IllegalStateException("jksKeystore was already set on this builder: set it once");
            }
            this.jksPassword = requireNonNull(passwordSecretRef, "passwordSecretRef");
            return this;
        }

        /** @return a new store */
        public KubernetesSecretStore build() {
            return new KubernetesSecretStore(client,
                    clusterResourceNamespace == null ? DEFAULT_CLUSTER_RESOURCE_NAMESPACE : clusterResourceNamespace,
                    pkcs12Password, jksPassword);
        }
    }
}
