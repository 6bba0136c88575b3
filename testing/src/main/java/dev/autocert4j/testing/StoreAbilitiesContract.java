package dev.autocert4j.testing;

import static org.assertj.core.api.Assertions.assertThat;

import dev.autocert4j.Certificate;
import dev.autocert4j.PrivateKeySpec;
import dev.autocert4j.issuer.AccountKeyRef;
import dev.autocert4j.issuer.IssuerScope;
import dev.autocert4j.store.AccountKeys;
import dev.autocert4j.store.CertificateStore;
import dev.autocert4j.store.CleanupJournal;
import dev.autocert4j.store.FailureRecords;
import dev.autocert4j.store.IssuanceFailures;
import dev.autocert4j.store.PendingCleanup;
import java.security.KeyPair;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The store, and the tests of its optional abilities ({@link AccountKeys}, {@link CleanupJournal},
 * {@link FailureRecords}): each is skipped for a store without that ability. Extend
 * {@link CertificateStoreContract}, which adds the tests every store must pass.
 */
public abstract class StoreAbilitiesContract {
    private static final int THREADS = 8;

    private CertificateStore store;

    /** For subclasses. */
    protected StoreAbilitiesContract() {
    }

    /**
     * @return a new, empty store; called before each test
     * @throws Exception when the store cannot be created
     */
    protected abstract CertificateStore newStore() throws Exception;

    /**
     * Creates the store for the next test.
     *
     * @throws Exception when {@link #newStore()} fails
     */
    @BeforeEach
    public final void createStore() throws Exception {
        store = newStore();
    }

    /** @return the store of the running test */
    protected final CertificateStore store() {
        return store;
    }

    /** @return the store as {@link AccountKeys}; tests of a store without that ability are skipped */
    protected final AccountKeys accountKeys() {
        Assumptions.assumeTrue(store instanceof AccountKeys, "the store keeps no account keys");
        return (AccountKeys) store;
    }

    /** @return the store as {@link CleanupJournal}; tests of a store without that ability are skipped */
    protected final CleanupJournal journal() {
        Assumptions.assumeTrue(store instanceof CleanupJournal, "the store keeps no cleanup journal");
        return (CleanupJournal) store;
    }

    /** @return the store as {@link FailureRecords}; tests of a store without that ability are skipped */
    protected final FailureRecords failureRecords() {
        Assumptions.assumeTrue(store instanceof FailureRecords, "the store records no issuance failures");
        return (FailureRecords) store;
    }

    /**
     * A stored account key loads back unchanged; an unknown one is empty.
     *
     * @throws Exception on failure
     */
    @Test
    public void accountKeyLoadsBackUnchanged() throws Exception {
        AccountKeyRef ref = AccountKeyRef.of("letsencrypt-account-key", IssuerScope.cluster());
        KeyPair key = TestCertificates.keyPair(PrivateKeySpec.ecdsa(256));
        assertThat(accountKeys().loadAccountKey(ref)).isEmpty();

        assertSameKey(accountKeys().saveAccountKeyIfAbsent(ref, key), key);

        assertSameKey(accountKeys().loadAccountKey(ref).orElseThrow(), key);
    }

    /**
     * The second {@code saveAccountKeyIfAbsent} keeps the first key and returns it.
     *
     * @throws Exception on failure
     */
    @Test
    public void saveAccountKeyIfAbsentKeepsTheFirstKey() throws Exception {
        AccountKeyRef ref = AccountKeyRef.of("account", IssuerScope.cluster());
        KeyPair first = TestCertificates.keyPair(PrivateKeySpec.rsa(2048));
        KeyPair second = TestCertificates.keyPair(PrivateKeySpec.rsa(2048));

        accountKeys().saveAccountKeyIfAbsent(ref, first);
        KeyPair returned = accountKeys().saveAccountKeyIfAbsent(ref, second);

        assertSameKey(returned, first);
        assertSameKey(accountKeys().loadAccountKey(ref).orElseThrow(), first);
    }

    /**
     * When eight threads store an account key at once, all of them get the same key back.
     *
     * @throws Exception on failure
     */
    @Test
    public void concurrentSaveAccountKeyIfAbsentGivesEveryoneTheSameKey() throws Exception {
        AccountKeyRef ref = AccountKeyRef.of("raced", IssuerScope.namespaced("default"));
        List<KeyPair> candidates = new ArrayList<>();
        for (int i = 0; i < THREADS; i++) {
            candidates.add(TestCertificates.keyPair(PrivateKeySpec.ecdsa(256)));
        }
        CountDownLatch start = new CountDownLatch(1);
        ExecutorService pool = Executors.newFixedThreadPool(THREADS);
        List<KeyPair> results = new ArrayList<>();
        try {
            List<Future<KeyPair>> futures = new ArrayList<>();
            for (KeyPair candidate : candidates) {
                futures.add(pool.submit(() -> {
                    start.await();
                    return accountKeys().saveAccountKeyIfAbsent(ref, candidate);
                }));
            }
            start.countDown();
            for (Future<KeyPair> future : futures) {
                results.add(future.get(60, TimeUnit.SECONDS));
            }
        } finally {
            pool.shutdownNow();
            assertThat(pool.awaitTermination(30, TimeUnit.SECONDS)).isTrue();
        }

        KeyPair stored = accountKeys().loadAccountKey(ref).orElseThrow();
        assertThat(candidates).anySatisfy(candidate -> assertSameKey(stored, candidate));
        assertThat(results).allSatisfy(result -> assertSameKey(result, stored));
    }

    /**
     * The account key of a namespaced issuer and that of a cluster issuer with the same name are
     * kept apart.
     *
     * @throws Exception on failure
     */
    @Test
    public void namespacedAndClusterAccountKeysAreSeparate() throws Exception {
        AccountKeyRef cluster = AccountKeyRef.of("account", IssuerScope.cluster());
        AccountKeyRef namespaced = AccountKeyRef.of("account", IssuerScope.namespaced("default"));
        KeyPair clusterKey = TestCertificates.keyPair(PrivateKeySpec.ecdsa(256));
        KeyPair namespacedKey = TestCertificates.keyPair(PrivateKeySpec.ecdsa(256));

        assertSameKey(accountKeys().saveAccountKeyIfAbsent(cluster, clusterKey), clusterKey);
        assertSameKey(accountKeys().saveAccountKeyIfAbsent(namespaced, namespacedKey), namespacedKey);

        assertSameKey(accountKeys().loadAccountKey(cluster).orElseThrow(), clusterKey);
        assertSameKey(accountKeys().loadAccountKey(namespaced).orElseThrow(), namespacedKey);
    }

    /**
     * A recorded pending cleanup is listed, exactly as recorded, until it is removed; handles
     * with separators, line breaks and non-ASCII text survive.
     *
     * @throws Exception on failure
     */
    @Test
    public void pendingCleanupsAreListedUntilRemoved() throws Exception {
        PendingCleanup dns = new PendingCleanup("default/www", "dns-01/rfc2136/127.0.0.1:53", "rfc2136:v1:example.com|_acme-challenge.www.example.com|abc");
        PendingCleanup odd = new PendingCleanup("team-a/api", "dns-01/custom", "line one\nline two = ü|#!");
        assertThat(journal().pendingCleanups()).isEmpty();

        journal().recordPendingCleanup(dns);
        journal().recordPendingCleanup(odd);
        assertThat(journal().pendingCleanups()).containsExactlyInAnyOrder(dns, odd);

        journal().removePendingCleanup(dns);
        assertThat(journal().pendingCleanups()).containsExactly(odd);
    }

    /**
     * A DNS-01 record's intent and its confirmed handle (which starts like the intent and ends with the
     * provider's handle, colons and all) are two entries of one certificate and solver: both are listed, and
     * forgetting the intent keeps the confirmed one.
     *
     * @throws Exception on failure
     */
    @Test
    public void anIntentAndItsConfirmedHandleAreSeparateEntries() throws Exception {
        String value = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQ";
        PendingCleanup intent = new PendingCleanup("default/www", "dns-01/cloudflare/api.cloudflare.com",
                "dns-01:intent:v1:example.com:_acme-challenge.www.example.com:" + value);
        PendingCleanup confirmed = new PendingCleanup("default/www", "dns-01/cloudflare/api.cloudflare.com",
                "dns-01:record:v1:example.com:_acme-challenge.www.example.com:" + value + ":cloudflare:v1:0123abcd:4567ef");

        journal().recordPendingCleanup(intent);
        journal().recordPendingCleanup(confirmed);
        assertThat(journal().pendingCleanups()).containsExactlyInAnyOrder(intent, confirmed);

        journal().removePendingCleanup(intent);
        assertThat(journal().pendingCleanups()).containsExactly(confirmed);
    }

    /**
     * Recording the same entry twice keeps one; removing an unknown entry does nothing.
     *
     * @throws Exception on failure
     */
    @Test
    public void recordingACleanupTwiceKeepsOneAndRemovingAnUnknownOneDoesNothing() throws Exception {
        PendingCleanup cleanup = new PendingCleanup("default/www", "dns-01/x", "handle-1");

        journal().recordPendingCleanup(cleanup);
        journal().recordPendingCleanup(cleanup);
        journal().removePendingCleanup(new PendingCleanup("default/www", "dns-01/x", "handle-2"));

        assertThat(journal().pendingCleanups()).containsExactly(cleanup);
    }

    /**
     * Recorded issuance failures load back until cleared, per certificate. A store that is not
     * {@link FailureRecords} skips this test.
     *
     * @throws Exception on failure
     */
    @Test
    public void issuanceFailuresLoadBackUntilCleared() throws Exception {
        Certificate www = TestCertificates.certificate("default", "www", "www.example.com");
        Certificate api = TestCertificates.certificate("default", "api", "api.example.com");
        Instant failed = Instant.parse("2026-01-02T03:04:05Z");
        IssuanceFailures first = new IssuanceFailures(www.specFingerprint(), 1, failed, failed.plusSeconds(3600),
                "urn:ietf:params:acme:error:connection: no route = 10.0.0.1");
        IssuanceFailures second = new IssuanceFailures(www.specFingerprint(), 2, failed.plusSeconds(3600),
                failed.plusSeconds(3 * 3600), "second: \u00e9\n\"quoted\"");
        assertThat(failureRecords().loadFailures(www)).isEmpty();

        failureRecords().saveFailures(www, first);
        assertThat(failureRecords().loadFailures(www)).contains(first);
        failureRecords().saveFailures(www, second);
        assertThat(failureRecords().loadFailures(www)).contains(second);
        assertThat(failureRecords().loadFailures(api)).as("another certificate").isEmpty();

        failureRecords().clearFailures(www);
        failureRecords().clearFailures(api);
        assertThat(failureRecords().loadFailures(www)).isEmpty();
    }

    /**
     * @param actual what the store returned
     * @param expected what was saved
     */
    protected static void assertSameKey(KeyPair actual, KeyPair expected) {
        assertThat(actual.getPublic().getEncoded()).as("public key").isEqualTo(expected.getPublic().getEncoded());
        // Only a yes/no: an assertion message must not print the private key.
        assertThat(java.util.Arrays.equals(actual.getPrivate().getEncoded(), expected.getPrivate().getEncoded()))
                .as("private key equals the saved one").isTrue();
    }
}
