package dev.autocert4j.store;

import dev.autocert4j.PrivateKeySpec;
import dev.autocert4j.issuer.AccountKeyRef;
import java.security.KeyPair;
import java.util.Optional;

/**
 * An optional ability of a {@link CertificateStore}: it keeps ACME account keys, so that every replica and every
 * restart uses one ACME account. Implementations MUST be safe for concurrent use and MUST NOT put key material
 * in exceptions or logs.
 */
public interface AccountKeys {
    /**
     * @param ref the account key's reference
     * @return the stored account key pair, if any
     * @throws StoreException when reading fails or the content is damaged
     */
    Optional<KeyPair> loadAccountKey(AccountKeyRef ref) throws StoreException;

    /**
     * Stores an account key unless one is already stored, atomically: when two processes race,
     * both get the same key back, so both use one ACME account.
     *
     * @param ref the account key's reference
     * @param candidate the key to store if none exists
     * @return the key now stored: {@code candidate}, or the one that was there first
     * @throws StoreException when writing fails
     */
    KeyPair saveAccountKeyIfAbsent(AccountKeyRef ref, KeyPair candidate) throws StoreException;

    /**
     * The algorithm of a new account key when its issuer names none
     * ({@code AcmeIssuer.Builder.accountKey} unset). A store whose keys other software reads SHOULD
     * return what that software accepts: the Kubernetes store returns RSA 2048, because
     * cert-manager's ACME issuer refuses any other account key.
     *
     * @return ECDSA P-256 unless a store needs another
     */
    default PrivateKeySpec newAccountKeySpec() {
        return PrivateKeySpec.ecdsa(256);
    }
}
