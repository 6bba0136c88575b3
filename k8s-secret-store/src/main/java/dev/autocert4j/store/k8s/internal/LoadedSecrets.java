package dev.autocert4j.store.k8s.internal;

import dev.autocert4j.store.StoredCertificate;
import io.fabric8.kubernetes.api.model.Secret;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;

/**
 * The Secret read behind the certificate each Secret last loaded as, so that the sync of its derived parts right
 * after the load writes from that read instead of reading the Secret again: one read per look at a current
 * certificate. Safe because that write still carries the read's {@code resourceVersion}: a Secret changed
 * meanwhile fails it with a conflict, and the sync reads again. One entry per Secret, replaced by the next load,
 * dropped when the sync takes it or the store writes the Secret. Thread-safe.
 */
public final class LoadedSecrets {
    /** Compared by identity: a read belongs to the very object its load returned. */
    private static final class Read {
        private final StoredCertificate loaded;
        private final Secret secret;

        private Read(StoredCertificate loaded, Secret secret) {
            this.loaded = loaded;
            this.secret = secret;
        }
    }

    private final ConcurrentMap<String, Read> reads = new ConcurrentHashMap<>();

    /**
     * @param id the Secret as {@code namespace/name}
     * @param loaded what the load returns
     * @param secret the Secret it was read from
     * @return {@code loaded}
     */
    public StoredCertificate remember(String id, StoredCertificate loaded, Secret secret) {
        reads.put(id, new Read(loaded, secret));
        return loaded;
    }

    /**
     * @param id the Secret as {@code namespace/name}
     * @param loaded what the caller's load returned
     * @return the Secret that very load read, once; null when it is not the Secret's last load or was taken
     */
    public Secret take(String id, StoredCertificate loaded) {
        Read read = reads.get(id);
        if (read == null || read.loaded != loaded) {
            return null;
        }
        return reads.remove(id, read) ? read.secret : null;
    }

    /** @param id the Secret as {@code namespace/name}, just written: what was read before is out of date */
    public void forget(String id) {
        reads.remove(id);
    }
}
