package dev.autocert4j.testing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.autocert4j.Certificate;
import dev.autocert4j.IssuerRef;
import dev.autocert4j.KeyEncoding;
import dev.autocert4j.PrivateKeySpec;
import dev.autocert4j.store.CertificateStore;
import dev.autocert4j.store.StoreException;
import dev.autocert4j.store.StoredCertificate;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

/**
 * The behaviour every {@link CertificateStore} must show. Extend it in a test of your store and
 * return a fresh, empty store from {@link #newStore()}:
 *
 * <pre>{@code
 * class MyStoreTest extends CertificateStoreContract {
 *     protected CertificateStore newStore() {
 *         return new MyStore(...);
 *     }
 * }
 * }</pre>
 *
 * Keys are compared by their encodings, so a store must give back keys whose
 * {@code getEncoded()} equals that of the JDK key it was given (stores built on the JDK's
 * {@code KeyFactory} do). Each test gets its own store; JUnit runs the tests of one instance one
 * after the other. The tests of the optional abilities (account keys, cleanup journal, failure records) are
 * inherited from {@link StoreAbilitiesContract}.
 */
public abstract class CertificateStoreContract extends StoreAbilitiesContract {
    private static final int THREADS = 8;

    /** For subclasses. */
    protected CertificateStoreContract() {
    }

    /**
     * Whether two certificates of different names that name one secretName share one entry (the
     * file and in-memory stores: the second save replaces the first), or the store refuses the
     * second with a {@link StoreException} that names both (the Kubernetes
     * Secret store, which knows a Secret's owner from {@code cert-manager.io/certificate-name}).
     * Override to return {@code false} for a store that refuses.
     *
     * @return true unless overridden
     */
    protected boolean sharesOneEntryPerSecretName() {
        return true;
    }


    /**
     * A saved certificate loads back with the same chain, key pair and metadata, for every key
     * algorithm and encoding.
     *
     * @throws Exception on failure
     */
    @Test
    public void savedCertificateLoadsBackUnchanged() throws Exception {
        List<PrivateKeySpec> specs = List.of(PrivateKeySpec.rsa(2048), PrivateKeySpec.rsa(2048).withEncoding(KeyEncoding.PKCS8),
                PrivateKeySpec.ecdsa(256), PrivateKeySpec.ecdsa(384).withEncoding(KeyEncoding.PKCS8),
                PrivateKeySpec.ed25519());
        int i = 0;
        for (PrivateKeySpec spec : specs) {
            Certificate certificate = TestCertificates.certificate("default", "www-" + i++, spec, "www.example.com");
            StoredCertificate saved = TestCertificates.issue(certificate, 1);

            store().save(certificate, saved);
            Optional<StoredCertificate> loaded = store().load(certificate);

            assertThat(loaded).as("certificate with %s", spec).isPresent();
            assertSameCertificate(loaded.get(), saved);
        }
    }

    /**
     * Loading a certificate that was never saved gives an empty result, not an exception.
     *
     * @throws Exception on failure
     */
    @Test
    public void loadOfUnknownCertificateIsEmpty() throws Exception {
        assertThat(store().load(TestCertificates.certificate("default", "unknown", "unknown.example.com"))).isEmpty();
    }

    /**
     * A second save replaces the first: the later revision is what loads.
     *
     * @throws Exception on failure
     */
    @Test
    public void saveReplacesThePreviousCertificate() throws Exception {
        Certificate certificate = TestCertificates.certificate("default", "www", "www.example.com");
        store().save(certificate, TestCertificates.issue(certificate, 1));
        StoredCertificate second = TestCertificates.issue(certificate, 2);

        store().save(certificate, second);

        StoredCertificate loaded = store().load(certificate).orElseThrow();
        assertThat(loaded.metadata().revision()).isEqualTo(2);
        assertSameCertificate(loaded, second);
    }

    /**
     * The revoked mark is kept: a revoked certificate loads back revoked (so the manager does not
     * serve it again), and a new revision saved after it loads back unrevoked.
     *
     * @throws Exception on failure
     */
    @Test
    public void theRevokedMarkLoadsBackAndANewRevisionIsUnrevoked() throws Exception {
        Certificate certificate = TestCertificates.certificate("default", "www", "www.example.com");
        StoredCertificate first = TestCertificates.issue(certificate, 1);
        store().save(certificate, first);
        java.time.Instant revokedAt = java.time.Instant.parse("2026-03-01T10:15:30Z");
        StoredCertificate revoked = new StoredCertificate(first.chain(), first.keyPair(), first.metadata().withRevokedAt(revokedAt));

        store().save(certificate, revoked);

        StoredCertificate loaded = store().load(certificate).orElseThrow();
        assertThat(loaded.metadata().revokedAt()).contains(revokedAt);
        assertSameCertificate(loaded, revoked);

        StoredCertificate second = TestCertificates.issue(certificate, 2);
        store().save(certificate, second);
        assertThat(store().load(certificate).orElseThrow().metadata().isRevoked()).isFalse();
    }

    /**
     * Certificates of the same name in different namespaces do not overwrite each other.
     *
     * @throws Exception on failure
     */
    @Test
    public void certificatesOfDifferentNamespacesAreSeparate() throws Exception {
        Certificate a = TestCertificates.certificate("team-a", "www", "a.example.com");
        Certificate b = TestCertificates.certificate("team-b", "www", "b.example.com");
        StoredCertificate storedA = TestCertificates.issue(a, 1);
        StoredCertificate storedB = TestCertificates.issue(b, 1);

        store().save(a, storedA);
        store().save(b, storedB);

        assertSameCertificate(store().load(a).orElseThrow(), storedA);
        assertSameCertificate(store().load(b).orElseThrow(), storedB);
    }

    /**
     * The store key is namespace and secretName (cert-manager's rule: the Secret is the unit): two certificates
     * of different names with one secretName share an entry, and the second save replaces the first; for
     * stores that {@linkplain #sharesOneEntryPerSecretName() share entries}.
     *
     * @throws Exception on failure
     */
    @Test
    public void certificatesSharingASecretNameShareOneEntry() throws Exception {
        Assumptions.assumeTrue(sharesOneEntryPerSecretName(), "this store refuses a second certificate per secretName");
        Certificate first = Certificate.builder("www").namespace("default").secretName("shared-tls")
                .dnsNames("www.example.com").issuerRef(IssuerRef.clusterIssuer("test")).build();
        Certificate second = Certificate.builder("api").namespace("default").secretName("shared-tls")
                .dnsNames("api.example.com").issuerRef(IssuerRef.clusterIssuer("test")).build();
        Certificate otherNamespace = Certificate.builder("www").namespace("other").secretName("shared-tls")
                .dnsNames("www.example.com").issuerRef(IssuerRef.clusterIssuer("test")).build();
        StoredCertificate storedFirst = TestCertificates.issue(first, 1);
        StoredCertificate storedSecond = TestCertificates.issue(second, 1);

        store().save(first, storedFirst);
        assertSameCertificate(store().load(second).orElseThrow(), storedFirst);
        store().save(second, storedSecond);

        assertSameCertificate(store().load(first).orElseThrow(), storedSecond);
        assertThat(store().load(otherNamespace)).as("the same secretName in another namespace").isEmpty();
    }

    /**
     * For stores that do not {@linkplain #sharesOneEntryPerSecretName() share entries}: the second certificate
     * with one secretName is refused on load and on save with a message naming both certificates, and the first
     * keeps its entry; the same secretName in another namespace is another entry.
     *
     * @throws Exception on failure
     */
    @Test
    public void certificatesSharingASecretNameAreRefusedByStoresThatDoNotShare() throws Exception {
        Assumptions.assumeFalse(sharesOneEntryPerSecretName(), "this store shares one entry per secretName");
        Certificate first = Certificate.builder("www").namespace("default").secretName("shared-tls")
                .dnsNames("www.example.com").issuerRef(IssuerRef.clusterIssuer("test")).build();
        Certificate second = Certificate.builder("api").namespace("default").secretName("shared-tls")
                .dnsNames("api.example.com").issuerRef(IssuerRef.clusterIssuer("test")).build();
        Certificate otherNamespace = Certificate.builder("api").namespace("other").secretName("shared-tls")
                .dnsNames("api.example.com").issuerRef(IssuerRef.clusterIssuer("test")).build();
        StoredCertificate storedFirst = TestCertificates.issue(first, 1);

        store().save(first, storedFirst);

        assertThatThrownBy(() -> store().load(second)).isInstanceOf(StoreException.class)
                .hasMessageContaining("default/www").hasMessageContaining("default/api");
        assertThatThrownBy(() -> store().save(second, TestCertificates.issue(second, 1))).isInstanceOf(StoreException.class)
                .hasMessageContaining("default/www").hasMessageContaining("default/api");
        assertSameCertificate(store().load(first).orElseThrow(), storedFirst);
        store().save(otherNamespace, TestCertificates.issue(otherNamespace, 1));
        assertThat(store().load(otherNamespace)).isPresent();
    }

    /**
     * The secretName, not the name, locates the entry: a certificate whose secretName differs from its name is not
     * found under its name.
     *
     * @throws Exception on failure
     */
    @Test
    public void certificatesOfOneNameWithDifferentSecretNamesAreSeparate() throws Exception {
        Certificate before = Certificate.builder("www").namespace("default").secretName("www-tls")
                .dnsNames("www.example.com").issuerRef(IssuerRef.clusterIssuer("test")).build();
        Certificate renamed = Certificate.builder("www").namespace("default").secretName("www-tls-v2")
                .dnsNames("www.example.com").issuerRef(IssuerRef.clusterIssuer("test")).build();

        store().save(before, TestCertificates.issue(before, 1));

        assertThat(store().load(renamed)).isEmpty();
    }

    /**
     * {@code StoredCertificate.toString()} of a loaded certificate shows no private key material.
     *
     * @throws Exception on failure
     */
    @Test
    public void toStringShowsNoPrivateKey() throws Exception {
        Certificate certificate = TestCertificates.certificate("default", "www", PrivateKeySpec.rsa(2048), "www.example.com");
        store().save(certificate, TestCertificates.issue(certificate, 1));

        StoredCertificate loaded = store().load(certificate).orElseThrow();

        String encodedKey = Base64.getEncoder().encodeToString(loaded.keyPair().getPrivate().getEncoded());
        for (String text : List.of(loaded.toString(), store().toString())) {
            assertThat(text).doesNotContain("PRIVATE KEY").doesNotContain(encodedKey.substring(0, 40))
                    .doesNotContain(encodedKey.substring(encodedKey.length() / 2, encodedKey.length() / 2 + 40));
        }
    }

    /**
     * Saves from several threads at once leave one complete certificate whose key belongs to its
     * leaf, and readers meanwhile never see a mix of two saves.
     *
     * @throws Exception on failure
     */
    @Test
    public void concurrentSavesLeaveAConsistentCertificate() throws Exception {
        Certificate certificate = TestCertificates.certificate("default", "busy", "busy.example.com");
        List<StoredCertificate> candidates = new ArrayList<>();
        for (int i = 1; i <= THREADS * 2; i++) {
            candidates.add(TestCertificates.issue(certificate, i));
        }
        store().save(certificate, candidates.get(0));
        AtomicBoolean writing = new AtomicBoolean(true);
        // The writers start once the reader reads: on a busy machine a late reader saw no save at all.
        CountDownLatch reading = new CountDownLatch(1);
        ExecutorService pool = Executors.newFixedThreadPool(THREADS + 1);
        try {
            Future<Integer> reader = pool.submit(() -> {
                int reads = 0;
                while (writing.get()) {
                    assertKeyMatchesLeaf(store().load(certificate).orElseThrow());
                    reads++;
                    reading.countDown();
                }
                return reads;
            });
            List<Callable<Void>> writers = new ArrayList<>();
            for (int t = 0; t < THREADS; t++) {
                int first = t * 2;
                writers.add(() -> {
                    assertThat(reading.await(60, TimeUnit.SECONDS)).as("the reader started").isTrue();
                    store().save(certificate, candidates.get(first));
                    store().save(certificate, candidates.get(first + 1));
                    return null;
                });
            }
            for (Future<Void> writer : pool.invokeAll(writers)) {
                writer.get();
            }
            writing.set(false);
            assertThat(reader.get(60, TimeUnit.SECONDS)).isPositive();
        } finally {
            writing.set(false);
            pool.shutdownNow();
            assertThat(pool.awaitTermination(30, TimeUnit.SECONDS)).isTrue();
        }

        StoredCertificate loaded = store().load(certificate).orElseThrow();
        assertKeyMatchesLeaf(loaded);
        assertThat(candidates).anySatisfy(candidate -> assertSameCertificate(loaded, candidate));
    }

    /**
     * @param actual what the store returned
     * @param expected what was saved
     */
    protected static void assertSameCertificate(StoredCertificate actual, StoredCertificate expected) {
        assertThat(actual.chain()).isEqualTo(expected.chain());
        assertSameKey(actual.keyPair(), expected.keyPair());
        assertThat(actual.metadata()).isEqualTo(expected.metadata());
    }

    /** @param stored a loaded certificate, whose key must belong to its leaf */
    protected static void assertKeyMatchesLeaf(StoredCertificate stored) {
        assertThat(stored.keyPair().getPublic().getEncoded()).as("key pair belongs to the leaf")
                .isEqualTo(stored.leaf().getPublicKey().getEncoded());
    }
}
