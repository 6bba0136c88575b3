package dev.autocert4j.solver.http.ingress.internal;

import dev.autocert4j.solver.http.ingress.IngressHttp01Solver;
import io.fabric8.kubernetes.api.model.networking.v1.Ingress;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.dsl.Informable;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The key authorizations that other replicas presented, answered from a watch of the solver's
 * Ingresses (its labelled temporary ones, or the one existing Ingress it edits): a request for a
 * token costs no API request, whoever sends it, and a token presented elsewhere is answerable as
 * soon as the watch delivers the change. Started on first use, stopped by {@link #close()}; once
 * closed it answers nothing and is not started again. Thread-safe.
 */
public final class IngressTokenCache implements AutoCloseable {
    /** The solver's category, so that one logger setting covers every solver message. */
    private static final Logger LOG = LoggerFactory.getLogger(IngressHttp01Solver.class);
    private static final String BY_ANNOTATION = "autocert4j-http01-annotation";

    private final SharedIndexInformer<Ingress> informer;
    private final String watched;
    private final AtomicBoolean started = new AtomicBoolean();
    private final AtomicBoolean warned = new AtomicBoolean();
    private volatile boolean closed;

    /**
     * Prepares the watch; nothing is sent to the API server before {@link #start()}.
     *
     * @param client the Kubernetes client
     * @param namespace the solver's namespace
     * @param existingIngress the existing Ingress the solver edits, or null when it makes temporary ones
     */
    public IngressTokenCache(KubernetesClient client, String namespace, String existingIngress) {
        var ingresses = client.network().v1().ingresses().inNamespace(namespace);
        Informable<Ingress> source = existingIngress == null
                ? ingresses.withLabel(IngressHttp01Solver.SOLVER_LABEL, "true") : ingresses.withName(existingIngress);
        this.watched = existingIngress == null ? "the Ingresses labelled " + IngressHttp01Solver.SOLVER_LABEL + " in " + namespace
                : "Ingress " + namespace + "/" + existingIngress;
        this.informer = source.runnableInformer(0);
        informer.addIndexers(Map.of(BY_ANNOTATION, IngressTokenCache::ourAnnotationKeys));
        // Keep watching through API outages (the informer backs off): stopping would answer nothing for ever.
        informer.exceptionHandler((isStarted, t) -> {
            if (warned.compareAndSet(false, true)) {
                LOG.warn("Cannot watch {} (retrying; tokens presented by other replicas go unanswered meanwhile): {}", watched,
                        t.toString());
            }
            return !closed;
        });
    }

    /** Starts the watch once, without waiting for it; after {@link #close()}, nothing. */
    public void start() {
        if (started.get()) {
            return; // the path of every request: no lock once started
        }
        synchronized (this) {
            if (closed || !started.compareAndSet(false, true)) {
                return;
            }
            informer.start().whenComplete((done, failure) -> {
                if (failure == null) {
                    LOG.debug("Watching {} for HTTP-01 tokens of other replicas", watched);
                }
            });
        }
    }

    /**
     * Answers from the cache only: never a request to the API server.
     *
     * @param token a syntactically valid token not presented in this process
     * @return its key authorization, or empty when no watched Ingress holds it (yet)
     */
    public Optional<String> find(String token) {
        if (closed) {
            return Optional.empty();
        }
        start();
        String key = IngressObjects.keyAuthorizationAnnotation(token);
        for (Ingress ingress : informer.getIndexer().byIndex(BY_ANNOTATION, key)) {
            String value = IngressObjects.annotationsOf(ingress).get(key);
            if (value != null && value.startsWith(token + ".")) {
                return Optional.of(value);
            }
        }
        return Optional.empty();
    }

    /** @return whether the watch is established: started, listed, watching, and not closed */
    public boolean isWatching() {
        return informer.isRunning() && informer.isWatching();
    }

    /** Stops the watch for good. */
    @Override
    public synchronized void close() {
        closed = true;
        // No wait needed for a watch still being opened: fabric8 (8.0.0) closes it once open (IngressWatchCloseTest).
        informer.stop();
    }

    private static List<String> ourAnnotationKeys(Ingress ingress) {
        return IngressObjects.annotationsOf(ingress).keySet().stream()
                .filter(k -> k.startsWith(IngressHttp01Solver.KEY_AUTHORIZATION_PREFIX)).toList();
    }
}
