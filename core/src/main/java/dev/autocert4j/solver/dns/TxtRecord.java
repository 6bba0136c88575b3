package dev.autocert4j.solver.dns;

import static java.util.Objects.requireNonNull;

import java.time.Duration;

/**
 * One TXT record a {@link DnsProvider} is asked to create.
 *
 * @param fqdn the absolute owner name, lower case, without the trailing dot
 *     ({@code _acme-challenge.www.example.com}); after CNAME delegation it may lie in another zone
 *     than the certificate's name
 * @param zone the zone that holds {@code fqdn}, as found by the SOA walk, without the trailing dot
 *     ({@code example.com}); {@code fqdn} equals it or ends with {@code "." + zone}
 * @param value the TXT value, unquoted (the base64url DNS-01 digest; not a secret)
 * @param ttl the record's time to live, whole seconds, at least one second
 */
public record TxtRecord(String fqdn, String zone, String value, Duration ttl) {
    /**
     * Validates the components.
     *
     * @param fqdn see the record description
     * @param zone see the record description
     * @param value see the record description
     * @param ttl see the record description
     */
    public TxtRecord {
        requireNonNull(fqdn, "fqdn");
        requireNonNull(zone, "zone");
        requireNonNull(value, "value");
        requireNonNull(ttl, "ttl");
        if (fqdn.endsWith(".") || zone.endsWith(".")) {
            throw new IllegalArgumentException("fqdn and zone are written without the trailing dot, were " + fqdn + " and " + zone);
        }
        if (!fqdn.equals(zone) && !fqdn.endsWith("." + zone)) {
            throw new IllegalArgumentException(fqdn + " is not inside the zone " + zone);
        }
        if (ttl.getSeconds() < 1 || ttl.getNano() != 0) {
            throw new IllegalArgumentException("ttl must be a whole number of seconds, at least one, was " + ttl);
        }
    }

    /** @return the owner name relative to the zone ({@code _acme-challenge.www}), or {@code @} at the apex */
    public String relativeName() {
        return fqdn.equals(zone) ? "@" : fqdn.substring(0, fqdn.length() - zone.length() - 1);
    }
}
