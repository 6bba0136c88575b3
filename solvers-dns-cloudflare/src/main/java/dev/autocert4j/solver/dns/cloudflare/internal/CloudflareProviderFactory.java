package dev.autocert4j.solver.dns.cloudflare.internal;

import dev.autocert4j.solver.dns.DnsProvider;
import dev.autocert4j.solver.dns.cloudflare.CloudflareDnsProvider;
import java.net.URI;
import java.util.Map;
import java.util.Set;

/**
 * Registers {@link CloudflareDnsProvider} for {@link java.util.ServiceLoader} as {@code cloudflare},
 * with the settings {@code apiToken}, or {@code apiKey} and {@code email}; optionally
 * {@code zoneToken} and {@code baseUrl}.
 */
public final class CloudflareProviderFactory implements DnsProvider.Factory {
    private static final Set<String> KNOWN = Set.of("apiToken", "apiKey", "email", "zoneToken", "baseUrl");

    /** For ServiceLoader. */
    public CloudflareProviderFactory() {
    }

    @Override
    public String name() {
        return "cloudflare";
    }

    @Override
    public DnsProvider create(Map<String, String> config) {
        for (String key : config.keySet()) {
            if (!KNOWN.contains(key)) {
                throw new IllegalArgumentException("cloudflare: unknown setting '" + key + "'; known: " + KNOWN);
            }
        }
        CloudflareDnsProvider.Builder b = CloudflareDnsProvider.builder();
        String token = config.get("apiToken");
        String key = config.get("apiKey");
        String email = config.get("email");
        if (token != null && (key != null || email != null)) {
            throw new IllegalArgumentException("cloudflare: set either 'apiToken', or 'apiKey' and 'email', not both");
        }
        if (token != null) {
            b.apiToken(token);
        } else if (key != null && email != null) {
            b.apiKey(key, email);
        } else {
            throw new IllegalArgumentException("cloudflare: set 'apiToken' (recommended), or both 'apiKey' and 'email'");
        }
        if (config.containsKey("zoneToken")) {
            b.zoneToken(config.get("zoneToken"));
        }
        if (config.containsKey("baseUrl")) {
            b.baseUrl(URI.create(config.get("baseUrl")));
        }
        return b.build();
    }
}
