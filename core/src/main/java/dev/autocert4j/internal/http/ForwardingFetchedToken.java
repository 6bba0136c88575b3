package dev.autocert4j.internal.http;

/**
 * A presentation that reports the fetches of the token it wraps: the one place where a presentation
 * passes the validation signal on (the HTTP-01 solver's own, and the Ingress solver's around it).
 */
public interface ForwardingFetchedToken extends FetchedToken {
    /** @return the token whose fetches this one reports */
    FetchedToken fetchedToken();

    @Override
    default long lastFetchNanos() {
        return fetchedToken().lastFetchNanos();
    }

    @Override
    default void wakeOnFetch(Thread waiter) {
        fetchedToken().wakeOnFetch(waiter);
    }
}
