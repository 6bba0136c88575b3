package dev.autocert4j.store.k8s.internal;

import dev.autocert4j.store.CorruptStoreException;
import dev.autocert4j.store.StoreException;
import dev.autocert4j.store.k8s.KubernetesSecretStore;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Sets damaged certificate Secrets aside: keeps a copy without private keys, marks the original so
 * that the next load finds nothing and the manager issues anew over it (which replaces its key).
 * Thread-safe.
 */
public final class SecretQuarantine {
    /** The store's category, so that one logger setting covers every store message. */
    private static final Logger LOG = LoggerFactory.getLogger(KubernetesSecretStore.class);
    private static final DateTimeFormatter STAMP = DateTimeFormatter.ofPattern("yyyyMMdd't'HHmmss'z'")
            .withZone(ZoneOffset.UTC);

    /** Entries that hold a private key: never copied, so no key outlives the Secret it was issued into. */
    static final List<String> PRIVATE_KEY_ENTRIES = List.of(SecretCodec.TLS_KEY, "keystore.p12", "keystore.jks");
    /** Annotation on the copy listing the entries left out of it. */
    static final String LEFT_OUT = KubernetesSecretStore.PREFIX + "left-out";

    private final SecretWriter secrets;

    /** @param secrets writes the copy and the mark */
    public SecretQuarantine(SecretWriter secrets) {
        this.secrets = secrets;
    }

    /**
     * Keeps a copy of a damaged Secret as {@code <name>.damaged-<UTC time>} (type Opaque, its data
     * without the entries that hold a private key: {@code tls.key}, {@code keystore.p12},
     * {@code keystore.jks}; annotation {@value #LEFT_OUT} lists those left out),
     * marks the original with {@value SecretCodec#DAMAGED} so that the next load finds nothing and the
     * manager issues anew over it, and reports both.
     *
     * @param secret the damaged Secret as read
     * @param id the Secret as {@code namespace/name}
     * @param problem what is wrong with it
     * @param cause the failure that found the damage, kept as the cause of what is thrown
     * @return the exception to throw, naming the copy
     * @throws StoreException when no copy could be made: then the original is left as it is
     */
    public CorruptStoreException setAside(Secret secret, String id, String problem, Throwable cause) throws StoreException {
        String namespace = secret.getMetadata().getNamespace();
        String name = secret.getMetadata().getName();
        String stamp = STAMP.format(Instant.now());
        Map<String, String> data = new LinkedHashMap<>(secret.getData() == null ? Map.of() : secret.getData());
        List<String> leftOut = PRIVATE_KEY_ENTRIES.stream().filter(k -> data.remove(k) != null).toList();
        Map<String, String> copyAnnotations = new LinkedHashMap<>();
        copyAnnotations.put(KubernetesSecretStore.PREFIX + "damaged-copy-of", id);
        if (!leftOut.isEmpty()) {
            copyAnnotations.put(LEFT_OUT, String.join(",", leftOut));
        }
        String copyName = null;
        for (int i = 1; i <= 20 && copyName == null; i++) {
            String candidate = (name.length() > 200 ? name.substring(0, 200) : name) + ".damaged-" + stamp + (i == 1 ? "" : "-" + i);
            try {
                secrets.create(namespace, new SecretBuilder().withNewMetadata().withName(candidate)
                        .withNamespace(namespace).withAnnotations(copyAnnotations)
                        .endMetadata().withType("Opaque").withData(data).build());
                copyName = candidate;
            } catch (KubernetesClientException e) {
                if (e.getCode() != 409) {
                    StoreException failure = new StoreException(problem + "; it could not be copied aside ("
                            + KubernetesFailures.describe(e) + "): delete Secret " + id + " to have the certificate issued anew",
                            false, e);
                    if (cause != null) {
                        failure.addSuppressed(cause);
                    }
                    throw failure;
                }
            }
        }
        if (copyName == null) {
            throw new StoreException(problem + "; it could not be copied aside: delete Secret " + id
                    + " to have the certificate issued anew", false, cause);
        }
        Map<String, String> marked = new LinkedHashMap<>(SecretCodec.annotations(secret));
        marked.put(SecretCodec.DAMAGED, stamp);
        try {
            secrets.update(namespace, new SecretBuilder(secret).editMetadata().withAnnotations(marked).endMetadata().build());
        } catch (KubernetesClientException e) {
            // 409: someone rewrote it meanwhile; the next load reads what they wrote.
            LOG.debug("Could not mark Secret {} as damaged: {}", id, KubernetesFailures.describe(e));
        }
        String copy = namespace + "/" + copyName;
        LOG.warn("{}: kept a copy without private keys in Secret {}; the certificate is issued anew into Secret {}", problem, copy, id);
        return new CorruptStoreException(problem + ". A copy without private keys is kept in Secret " + copy
                + "; the next load finds no certificate, so the manager issues a new one into Secret " + id, id,
                List.of(copy), cause);
    }
}
