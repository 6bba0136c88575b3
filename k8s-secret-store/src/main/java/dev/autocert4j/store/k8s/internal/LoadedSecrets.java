package dev.autocert4j.store.k8s.internal;

import dev.autocert4j.store.StoredCertificate;
import io.fabric8.kubernetes.api.model.Secret;

/**
 * The Secret read behind the certificate a load just returned, so that the sync of its derived parts right after
 * the load, on the same thread, writes from that read instead of reading the Secret again: one read per look at a
 * current certificate. Safe because that write still carries the read's {@code resourceVersion}: a Secret changed
 * meanwhile fails it with a conflict, and the sync reads again. One read per thread (the engine syncs on the
 * thread that loaded), so the memory kept is bounded by the threads that load, not by the certificates managed.
 */
public final class LoadedSecrets {
    /** The load compared by identity: a read belongs to the very object its load returned. */
    private record Read(String id, StoredCertificate loaded, Secret secret) {
    }

    private final ThreadLocal<Read> lastRead = new ThreadLocal<>();

    /**
     * @param id the Secret as {@code namespace/name}
     * @param loaded what the load returns
     * @param secret the Secret it was read from
     * @return {@code loaded}
     */
    public StoredCertificate remember(String id, StoredCertificate loaded, Secret secret) {
        lastRead.set(new Read(id, loaded, secret));
        return loaded;
    }

    /**
     * @param id the Secret as {@code namespace/name}
     * @param loaded what the caller's load returned
     * @return the Secret that very load read on this thread, once; null when it is not this thread's last load
     */
    public Secret take(String id, StoredCertificate loaded) {
        Read read = lastRead.get();
        if (read == null || !read.id().equals(id) || read.loaded() != loaded) {
            return null;
        }
        lastRead.remove();
        return read.secret();
    }

    /** @param id the Secret as {@code namespace/name}, just written: this thread's read of it is out of date */
    public void forget(String id) {
        Read read = lastRead.get();
        if (read != null && read.id().equals(id)) {
            lastRead.remove();
        }
    }
}
