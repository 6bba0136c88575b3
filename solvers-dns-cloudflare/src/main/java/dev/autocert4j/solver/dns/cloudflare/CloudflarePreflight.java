package dev.autocert4j.solver.dns.cloudflare;

import com.fasterxml.jackson.databind.JsonNode;
import dev.autocert4j.PreflightException;
import dev.autocert4j.solver.SolverException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.Set;

/**
 * {@link CloudflareDnsProvider}'s check before an order: the credentials are valid ({@code GET
 * /user/tokens/verify} for a token, {@code GET /user} for a global API key; a success is remembered for
 * {@link #REMEMBERED}), and the account has a zone that holds each of the order's zones. Thread-safe.
 */
final class CloudflarePreflight {
    /** How long a successful credential check is remembered: renewals of many certificates verify once. */
    static final Duration REMEMBERED = Duration.ofMinutes(10);

    /** The provider's zone search: the account's zone that holds a name, if any. */
    @FunctionalInterface
    interface Zones {
        Optional<String> holding(String name) throws SolverException;
    }

    private final CloudflareApi api;
    private final CloudflareApi.Credentials dnsAuth;
    private final CloudflareApi.Credentials zoneAuth;
    private final Clock clock;
    private volatile Instant verifiedUntil = Instant.MIN;

    CloudflarePreflight(CloudflareApi api, CloudflareApi.Credentials dnsAuth, CloudflareApi.Credentials zoneAuth, Clock clock) {
        this.api = api;
        this.dnsAuth = dnsAuth;
        this.zoneAuth = zoneAuth;
        this.clock = clock;
    }

    void check(Set<String> zones, Zones lookup) throws PreflightException {
        Instant now = clock.instant();
        if (now.isAfter(verifiedUntil)) {
            verify(dnsAuth, "");
            if (zoneAuth != dnsAuth) {
                verify(zoneAuth, "zone ");
            }
            verifiedUntil = now.plus(REMEMBERED);
        }
        for (String zone : zones) {
            Optional<String> found;
            try {
                found = lookup.holding(zone);
            } catch (SolverException e) {
                throw new PreflightException("Cloudflare: cannot look up the zone " + zone + ": " + e.getMessage(),
                        e.isRetryable(), e);
            }
            if (found.isEmpty()) {
                throw new PreflightException("No Cloudflare zone holds " + zone + " for these credentials: add the zone "
                        + "to the account, or give the token Zone → Zone → Read on it; nothing was ordered", false);
            }
        }
    }

    private void verify(CloudflareApi.Credentials auth, String role) throws PreflightException {
        boolean token = auth.email() == null;
        String what = "verifying the " + role + auth.kind();
        JsonNode envelope;
        try {
            envelope = api.call("GET", token ? "user/tokens/verify" : "user", null, auth,
                    "Zone → Zone → Read and Zone → DNS → Edit", what, false).orElseThrow();
        } catch (SolverException e) {
            throw new PreflightException("Cloudflare does not accept the " + role + auth.kind() + ": " + e.getMessage()
                    + "; nothing was ordered", e.isRetryable(), e);
        }
        String status = envelope.path("result").path("status").asText("active");
        if (token && !"active".equals(status)) {
            throw new PreflightException("The Cloudflare " + role + "API token is " + status + ", not active: activate it "
                    + "or create a new one in the Cloudflare dashboard; nothing was ordered", false);
        }
    }
}
