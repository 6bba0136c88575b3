package dev.autocert4j.store.k8s.internal;

import io.fabric8.kubernetes.client.KubernetesClientException;

/**
 * Says what went wrong with a Kubernetes API call. fabric8 reports a code below 100 (0 or -1, by
 * version) when no HTTP answer came at all (connection refused, TLS failure, timeout); "HTTP 0"
 * would hide that, so the underlying cause is named instead.
 */
public final class KubernetesFailures {
    private KubernetesFailures() {
    }

    /**
     * @param e the client's exception
     * @return {@code HTTP <code>} for an answer from the API server; otherwise {@code no answer from
     *     the Kubernetes API server: <cause class>: <cause message>}
     */
    public static String describe(KubernetesClientException e) {
        if (e.getCode() >= 100) {
            return "HTTP " + e.getCode();
        }
        // The direct cause is the client's I/O failure, which names the address it tried.
        Throwable cause = e.getCause() != null ? e.getCause() : e;
        return "no answer from the Kubernetes API server: " + cause.getClass().getName()
                + (cause.getMessage() == null ? "" : ": " + cause.getMessage());
    }
}
