package dev.autocert4j.internal.dns;

import static java.util.Objects.requireNonNull;

import java.util.Optional;
import java.util.regex.Pattern;

/**
 * The cleanup handle {@code Dns01Solver} stores for one TXT record: the record's zone, name and value, and once
 * the provider created it, the provider's own handle. An intent ({@code dns-01:intent:v1:zone:fqdn:value}) is
 * stored before the provider is called; the confirmed record ({@code dns-01:record:v1:zone:fqdn:value:handle})
 * after. Handles of earlier versions are the provider's handle alone and are not parsed here. Immutable.
 *
 * @param zone the zone, without the trailing dot
 * @param fqdn the owner name, without the trailing dot
 * @param value the TXT value
 * @param providerHandle the provider's handle, empty for an intent
 */
public record TxtCleanupHandle(String zone, String fqdn, String value, Optional<String> providerHandle) {
    private static final String INTENT = "dns-01:intent:v1:";
    private static final String RECORD = "dns-01:record:v1:";
    private static final Pattern NAME = Pattern.compile("[a-z0-9_]([a-z0-9_-]{0,62})(\\.[a-z0-9_]([a-z0-9_-]{0,62}))*");
    /** A DNS-01 value: base64url of a SHA-256 digest, unpadded. */
    private static final Pattern DIGEST = Pattern.compile("[A-Za-z0-9_-]{43}");
    private static final String CHALLENGE_LABEL = "_acme-challenge.";

    /**
     * Validates the components.
     *
     * @param zone see the record description
     * @param fqdn see the record description
     * @param value see the record description
     * @param providerHandle see the record description
     */
    public TxtCleanupHandle {
        requireNonNull(zone, "zone");
        requireNonNull(fqdn, "fqdn");
        requireNonNull(value, "value");
        requireNonNull(providerHandle, "providerHandle");
    }

    /**
     * @param handle a stored cleanup handle
     * @return whether it is in one of this class's formats (else it is an earlier version's provider handle)
     */
    public static boolean hasOurFormat(String handle) {
        return handle.startsWith(INTENT) || handle.startsWith(RECORD);
    }

    /**
     * @param handle a handle for which {@link #hasOurFormat} holds
     * @return its parts
     * @throws IllegalArgumentException when it is damaged or forged: a part is missing or not a DNS name or
     *     DNS-01 value, or the name is not inside the zone
     */
    public static TxtCleanupHandle parse(String handle) {
        boolean intent = handle.startsWith(INTENT);
        String rest = handle.substring((intent ? INTENT : RECORD).length());
        String[] parts = rest.split(":", intent ? 3 : 4);
        if (parts.length != (intent ? 3 : 4) || !intent && parts[3].isEmpty()) {
            throw new IllegalArgumentException("a part is missing");
        }
        if (!NAME.matcher(parts[0]).matches() || !NAME.matcher(parts[1]).matches()) {
            throw new IllegalArgumentException("zone or name is not a lower-case DNS name");
        }
        if (!parts[1].equals(parts[0]) && !parts[1].endsWith("." + parts[0])) {
            throw new IllegalArgumentException(parts[1] + " is not inside the zone " + parts[0]);
        }
        if (!DIGEST.matcher(parts[2]).matches()) {
            throw new IllegalArgumentException("the value is not a DNS-01 digest");
        }
        return new TxtCleanupHandle(parts[0], parts[1], parts[2], intent ? Optional.empty() : Optional.of(parts[3]));
    }

    /**
     * The check a provider makes on a handle of its own format that came from a journal: a DNS-01 record has
     * the {@code _acme-challenge} label or (at a CNAME target) a DNS-01 value.
     *
     * @param fqdn the record's name
     * @param value the record's value, unquoted
     * @return whether the record may be a DNS-01 challenge record
     */
    public static boolean looksLikeChallenge(String fqdn, String value) {
        return fqdn.toLowerCase(java.util.Locale.ROOT).startsWith(CHALLENGE_LABEL) || DIGEST.matcher(value).matches();
    }

    /**
     * @param zone the zone
     * @param fqdn the owner name
     * @param value the TXT value
     * @return the handle of the intent to create this record
     */
    public static String intent(String zone, String fqdn, String value) {
        return INTENT + zone + ":" + fqdn + ":" + value;
    }

    /**
     * @param zone the zone
     * @param fqdn the owner name
     * @param value the TXT value
     * @param providerHandle what the provider returned for the created record
     * @return the handle of the created record
     */
    public static String record(String zone, String fqdn, String value, String providerHandle) {
        return RECORD + zone + ":" + fqdn + ":" + value + ":" + providerHandle;
    }

    /**
     * Whether a solver may delete this record: its name's first label is {@code _acme-challenge}, unless CNAMEs
     * are followed (a delegation target may have any name); zone, name and value were checked by {@link #parse}.
     *
     * @param followsCnames whether the solver writes records at CNAME targets
     * @return why the record is outside the solver's scope, or empty when it is inside
     */
    public Optional<String> scopeProblem(boolean followsCnames) {
        if (!followsCnames && !fqdn.startsWith(CHALLENGE_LABEL)) {
            return Optional.of(fqdn + " does not start with " + CHALLENGE_LABEL + " and CNAMEs are not followed");
        }
        return Optional.empty();
    }
}
