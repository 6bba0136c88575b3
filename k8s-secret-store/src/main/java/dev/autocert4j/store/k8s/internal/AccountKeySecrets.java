package dev.autocert4j.store.k8s.internal;

import dev.autocert4j.KeyEncoding;
import dev.autocert4j.issuer.AccountKeyRef;
import dev.autocert4j.store.Pem;
import dev.autocert4j.store.StoreException;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.security.KeyPair;
import java.util.Map;
import java.util.Optional;

/**
 * Account keys in the Secret named by the issuer's {@code privateKeySecretRef} (key
 * {@code tls.key}, as cert-manager), in the issuer's namespace or, for cluster issuers, the
 * cluster resource namespace. Thread-safe.
 */
public final class AccountKeySecrets {
    private final SecretWriter secrets;
    private final String clusterResourceNamespace;

    /**
     * @param secrets reads and writes the Secrets
     * @param clusterResourceNamespace where cluster issuers' account key Secrets live
     */
    public AccountKeySecrets(SecretWriter secrets, String clusterResourceNamespace) {
        this.secrets = secrets;
        this.clusterResourceNamespace = clusterResourceNamespace;
    }

    /**
     * @param ref the issuer's account key reference
     * @return the key pair, or empty when the Secret does not exist
     * @throws StoreException when it cannot be read
     */
    public Optional<KeyPair> load(AccountKeyRef ref) throws StoreException {
        Secret secret = secrets.get(namespace(ref), ref.name());
        return secret == null ? Optional.empty() : Optional.of(accountKey(secret, ref));
    }

    /**
     * Creates the Secret with the candidate unless it exists; a rival that creates it first wins.
     *
     * @param ref the issuer's account key reference
     * @param candidate the key pair to store when there is none
     * @return the stored key pair: the candidate, or the one found
     * @throws StoreException when it cannot be read or created
     */
    public KeyPair saveIfAbsent(AccountKeyRef ref, KeyPair candidate) throws StoreException {
        String namespace = namespace(ref);
        for (int attempt = 1; attempt <= SecretWriter.MAX_ATTEMPTS; attempt++) {
            Secret existing = secrets.get(namespace, ref.name());
            if (existing != null) {
                return accountKey(existing, ref);
            }
            try {
                // As pkg/issuer/acme/setup.go createAccountPrivateKey: PKCS#1 under tls.key, cert-manager's label.
                secrets.create(namespace, new SecretBuilder().withNewMetadata()
                        .withName(ref.name()).withNamespace(namespace)
                        .withLabels(Map.of("app.kubernetes.io/managed-by", "cert-manager")).endMetadata().withType("Opaque")
                        .withData(Map.of(SecretCodec.TLS_KEY,
                                SecretCodec.encode(Pem.encodePrivateKey(candidate.getPrivate(), KeyEncoding.PKCS1))))
                        .build());
                return candidate;
            } catch (KubernetesClientException e) {
                if (e.getCode() != 409) {
                    throw new StoreException("cannot create account key Secret " + namespace + "/" + ref.name()
                            + ": " + KubernetesFailures.describe(e), true, e);
                }
            }
        }
        throw new StoreException("account key Secret " + namespace + "/" + ref.name() + " could not be created", true, null);
    }

    private KeyPair accountKey(Secret secret, AccountKeyRef ref) throws StoreException {
        String data = secret.getData() == null ? null : secret.getData().get(SecretCodec.TLS_KEY);
        try {
            return Pem.decodeKeyPair(SecretCodec.decode(data));
        } catch (Pem.InvalidPemException | RuntimeException e) {
            throw new StoreException("account key Secret " + namespace(ref) + "/" + ref.name()
                    + " holds no readable tls.key", false, e);
        }
    }

    private String namespace(AccountKeyRef ref) {
        return ref.namespace().orElse(clusterResourceNamespace);
    }
}
