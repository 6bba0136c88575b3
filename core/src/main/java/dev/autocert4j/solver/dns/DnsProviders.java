package dev.autocert4j.solver.dns;

import static java.util.Objects.requireNonNull;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.ServiceLoader;

/** Finds {@link DnsProvider.Factory} implementations through {@link ServiceLoader}. Thread-safe. */
public final class DnsProviders {
    private DnsProviders() {
    }

    /**
     * Creates the provider registered under {@code name}, looked up on the class path and module
     * path of this library's class loader.
     *
     * @param name the provider's name, e.g. {@code rfc2136} or {@code cloudflare}
     * @param config the provider's settings
     * @return a new provider
     * @throws IllegalArgumentException when no provider has that name (the message lists those
     *     found), or the configuration is invalid
     */
    public static DnsProvider byName(String name, Map<String, String> config) {
        return byName(name, config, DnsProviders.class.getClassLoader());
    }

    /**
     * Creates the provider registered under {@code name}, looked up through {@code loader}.
     *
     * @param name the provider's name
     * @param config the provider's settings
     * @param loader where to look for providers (e.g. a plugin class loader)
     * @return a new provider
     * @throws IllegalArgumentException when no provider has that name, or the configuration is invalid
     */
    public static DnsProvider byName(String name, Map<String, String> config, ClassLoader loader) {
        requireNonNull(name, "name");
        requireNonNull(config, "config");
        requireNonNull(loader, "loader");
        Optional<DnsProvider.Factory> found = factory(name, loader);
        if (found.isEmpty()) {
            throw new IllegalArgumentException("No DNS provider named '" + name + "'; found " + names(loader)
                    + ". Add the provider's jar (e.g. autocert4j-solvers-dns-cloudflare) or register your "
                    + "DnsProvider.Factory in META-INF/services/dev.autocert4j.solver.dns.DnsProvider$Factory");
        }
        return requireNonNull(found.get().create(Map.copyOf(config)), "factory " + name + " returned null");
    }

    /**
     * @param loader where to look
     * @return the names of every registered provider, in discovery order
     */
    public static List<String> names(ClassLoader loader) {
        List<String> names = new ArrayList<>();
        for (DnsProvider.Factory f : ServiceLoader.load(DnsProvider.Factory.class, requireNonNull(loader, "loader"))) {
            names.add(f.name());
        }
        return names;
    }

    private static Optional<DnsProvider.Factory> factory(String name, ClassLoader loader) {
        for (DnsProvider.Factory f : ServiceLoader.load(DnsProvider.Factory.class, loader)) {
            if (f.name().equalsIgnoreCase(name)) {
                return Optional.of(f);
            }
        }
        return Optional.empty();
    }
}
