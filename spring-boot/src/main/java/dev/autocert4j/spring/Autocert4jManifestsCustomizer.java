package dev.autocert4j.spring;

import dev.autocert4j.manifests.ManifestOptions;

/**
 * A bean of this type adjusts how {@code autocert4j.manifests.locations} are read, beyond what the properties
 * say: another {@link dev.autocert4j.manifests.SecretResolver}, DNS-01 settings, an HTTP-01 solver factory.
 * Called once at start-up, after the properties were applied, in bean order. Implementations need not be
 * thread-safe.
 */
@FunctionalInterface
public interface Autocert4jManifestsCustomizer {
    /** @param options the options the manifests are read with */
    void customize(ManifestOptions.Builder options);
}
