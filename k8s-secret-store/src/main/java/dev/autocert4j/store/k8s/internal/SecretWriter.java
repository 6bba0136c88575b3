package dev.autocert4j.store.k8s.internal;

import dev.autocert4j.store.StoreException;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;

/**
 * Reads and writes Secrets, never blindly: each write carries the {@code resourceVersion} it read,
 * and a conflict (HTTP 409) reads again and recomputes the change. Thread-safe.
 */
public final class SecretWriter {
    /** How often a write is tried while others keep changing the Secret. */
    public static final int MAX_ATTEMPTS = 20;

    private final KubernetesClient client;

    /**
     * A change of one Secret, computed from what was read.
     */
    @FunctionalInterface
    public interface Change {
        /**
         * @param current the Secret as read, or null when it does not exist
         * @return the Secret to create (when {@code current} is null) or to update; null to write nothing
         * @throws StoreException to stop without writing
         */
        Secret apply(Secret current) throws StoreException;
    }

    /** @param client the client to talk to the API server with */
    public SecretWriter(KubernetesClient client) {
        this.client = client;
    }

    /**
     * @param namespace the Secret's namespace
     * @param name the Secret's name
     * @return the Secret, or null when it does not exist
     * @throws StoreException (retryable) when the API server refuses
     */
    public Secret get(String namespace, String name) throws StoreException {
        try {
            return client.secrets().inNamespace(namespace).withName(name).get();
        } catch (KubernetesClientException e) {
            throw new StoreException("cannot read Secret " + namespace + "/" + name + ": " + KubernetesFailures.describe(e), true, e);
        }
    }

    /**
     * Reads the Secret, applies the change and writes the result: created when the Secret did not
     * exist, else updated with the resourceVersion read. A conflict starts again with a new read.
     *
     * @param namespace the Secret's namespace
     * @param name the Secret's name
     * @param betweenReadAndWrite runs after each read (a test seam; a no-op in production)
     * @param change computes what to write from what was read
     * @return whether it wrote; false when the change returned null
     * @throws StoreException from the change, when the API server refuses, or after
     *     {@value #MAX_ATTEMPTS} conflicts
     */
    public boolean write(String namespace, String name, Runnable betweenReadAndWrite, Change change) throws StoreException {
        return write(namespace, name, null, betweenReadAndWrite, change);
    }

    /**
     * As {@link #write(String, String, Runnable, Change)}, with the first read already made: the first attempt
     * applies the change to {@code read} and updates with its resourceVersion; a conflict reads again.
     *
     * @param namespace the Secret's namespace
     * @param name the Secret's name
     * @param read the Secret as read just before, or null to read it now
     * @param betweenReadAndWrite runs after each read (a test seam; a no-op in production)
     * @param change computes what to write from what was read
     * @return whether it wrote; false when the change returned null
     * @throws StoreException from the change, when the API server refuses, or after
     *     {@value #MAX_ATTEMPTS} conflicts
     */
    public boolean write(String namespace, String name, Secret read, Runnable betweenReadAndWrite, Change change)
            throws StoreException {
        String id = namespace + "/" + name;
        for (int attempt = 1; attempt <= MAX_ATTEMPTS; attempt++) {
            Secret current = attempt == 1 && read != null ? read : get(namespace, name);
            betweenReadAndWrite.run();
            try {
                Secret next = change.apply(current);
                if (next == null) {
                    return false;
                }
                if (current == null) {
                    create(namespace, next);
                } else {
                    // update() sends the resourceVersion we read: a concurrent change gives 409.
                    update(namespace, next);
                }
                return true;
            } catch (KubernetesClientException e) {
                if (e.getCode() != 409) {
                    throw new StoreException("cannot write Secret " + id + ": " + KubernetesFailures.describe(e), true, e);
                }
            }
        }
        throw new StoreException("Secret " + id + " kept changing; gave up after " + MAX_ATTEMPTS + " attempts", true, null);
    }

    /**
     * @param namespace the namespace
     * @param secret the Secret to create
     * @throws KubernetesClientException when the API server refuses; code 409 when it exists
     */
    public void create(String namespace, Secret secret) {
        client.secrets().inNamespace(namespace).resource(secret).create();
    }

    /**
     * @param namespace the namespace
     * @param secret the Secret to update, with the resourceVersion it was read with
     * @throws KubernetesClientException when the API server refuses; code 409 on a conflict
     */
    public void update(String namespace, Secret secret) {
        client.secrets().inNamespace(namespace).resource(secret).update();
    }
}
