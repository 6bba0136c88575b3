package dev.autocert4j.internal.x509;

import dev.autocert4j.internal.text.Messages;
import java.net.IDN;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.Locale;
import java.util.regex.Pattern;

/** Normalisation and checks for DNS names, IP literals and object names. */
public final class Names {
    private static final Pattern LABEL = Pattern.compile("[a-z0-9]([a-z0-9-]*[a-z0-9])?");
    private static final Pattern OBJECT_NAME = Pattern.compile("[a-z0-9]([a-z0-9.-]*[a-z0-9])?");
    private static final Pattern IPV4 = Pattern.compile("\\d{1,3}(\\.\\d{1,3}){3}");

    private Names() {
    }

    /**
     * Lower case, IDN to punycode (labels with the deviation characters {@code ß} and {@code ς} of UTS #46
     * are processed non-transitionally, see {@code NonTransitionalLabels}; zero-width joiners are refused),
     * trailing dot removed; then RFC 1035 lengths (label 1..63, name at
     * most 253), LDH labels, and a wildcard only as the whole left-most label.
     *
     * @param field the field name for the message
     * @param raw the name as given
     * @return the normalised name
     */
    public static String normaliseDnsName(String field, String raw) {
        if (raw == null) {
            throw new IllegalArgumentException(field + " contains null: remove it");
        }
        String name = raw.trim();
        if (name.endsWith(".")) {
            name = name.substring(0, name.length() - 1);
        }
        if (name.isEmpty()) {
            throw new IllegalArgumentException(field + " contains an empty name: remove it");
        }
        if (looksLikeIpAddress(name)) {
            throw new IllegalArgumentException(field + " contains the IP address " + name + ": move it to ipAddresses");
        }
        boolean wildcard = name.startsWith("*.");
        String rest = wildcard ? name.substring(2) : name;
        refuseJoiners(field, raw, rest);
        String ascii;
        try {
            rest = NonTransitionalLabels.encodeDeviations(rest);
            ascii = IDN.toASCII(rest, IDN.USE_STD3_ASCII_RULES).toLowerCase(Locale.ROOT);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(field + " entry '" + raw + "' is not a valid DNS name ("
                    + Messages.describe(e) + "): use letters, digits and hyphens; a wildcard only as '*.' at the start", e);
        }
        String[] labels = ascii.split("\\.", -1);
        if (labels.length < 2 && wildcard) {
            throw new IllegalArgumentException(field + " entry '" + raw
                    + "' is a wildcard over a top-level name: a wildcard needs at least two labels after '*.'");
        }
        for (String label : labels) {
            if (label.contains("*")) {
                throw new IllegalArgumentException(field + " entry '" + raw
                        + "' has a wildcard that is not the whole left-most label: use the form *.example.com");
            }
            if (label.isEmpty()) {
                throw new IllegalArgumentException(field + " entry '" + raw + "' has an empty label (two dots in a row): remove it");
            }
            if (label.length() > 63) {
                throw new IllegalArgumentException(field + " entry '" + raw + "' has a label of " + label.length()
                        + " characters; RFC 1035 allows at most 63: shorten it");
            }
            if (!LABEL.matcher(label).matches()) {
                throw new IllegalArgumentException(field + " entry '" + raw + "' has the invalid label '" + label
                        + "': use letters, digits and hyphens, not starting or ending with a hyphen");
            }
        }
        String result = wildcard ? "*." + ascii : ascii;
        if (result.length() > 253) {
            throw new IllegalArgumentException(field + " entry '" + raw + "' is " + result.length()
                    + " characters; RFC 1035 allows at most 253: shorten it");
        }
        return result;
    }

    /**
     * The zero-width joiners are the deviation characters of UTS #46 that {@link NonTransitionalLabels} does not
     * process: IDNA2003 drops them, IDNA2008 keeps them only where their CONTEXTJ rules (joining types from the
     * Unicode data, which the JDK does not expose) allow. Such a name is refused; the user passes its A-label.
     */
    private static void refuseJoiners(String field, String raw, String name) {
        for (int i = 0; i < name.length(); i++) {
            String what = switch (name.charAt(i)) {
                case '\u200C' -> "a zero width non-joiner (U+200C), which IDNA2003 drops";
                case '\u200D' -> "a zero width joiner (U+200D), which IDNA2003 drops";
                default -> null;
            };
            if (what != null) {
                throw new IllegalArgumentException(field + " entry '" + raw + "' contains " + what
                        + ", while IDNA2008 keeps it: that is a different domain. Pass the name's A-label (xn--...) "
                        + "as your registrar shows it, e.g. from the 'idn2' command (UTS #46 non-transitional)");
            }
        }
    }

    /**
     * @param s any string
     * @return true if it has the shape of an IPv4 or IPv6 literal (no DNS lookup)
     */
    public static boolean looksLikeIpAddress(String s) {
        return IPV4.matcher(s).matches() || s.contains(":");
    }

    /**
     * Parses an IP literal without any DNS lookup and returns its canonical text form.
     *
     * @param field the field name for the message
     * @param raw the address as given
     * @return the canonical form ({@code 2001:db8::1} becomes {@code 2001:db8:0:0:0:0:0:1})
     */
    public static String normaliseIpAddress(String field, String raw) {
        if (raw == null) {
            throw new IllegalArgumentException(field + " contains null: remove it");
        }
        String s = raw.trim();
        if (s.startsWith("[") && s.endsWith("]")) {
            s = s.substring(1, s.length() - 1);
        }
        if (!looksLikeIpAddress(s)) {
            throw new IllegalArgumentException(field + " entry '" + raw
                    + "' is not an IP address: use a literal like 192.0.2.1 or 2001:db8::1, and put DNS names in dnsNames");
        }
        if (IPV4.matcher(s).matches()) {
            for (String octet : s.split("\\.")) {
                if (Integer.parseInt(octet) > 255) {
                    throw new IllegalArgumentException(field + " entry '" + raw + "' has an octet above 255: fix the address");
                }
            }
        }
        try {
            // Only literals reach here (checked above), so getByName performs no lookup.
            return InetAddress.getByName(s).getHostAddress();
        } catch (UnknownHostException | SecurityException e) {
            throw new IllegalArgumentException(field + " entry '" + raw + "' is not a valid IP address: fix the address", e);
        }
    }

    /**
     * Kubernetes object-name rules (RFC 1123 subdomain): lower case letters, digits, '-' and '.',
     * at most 253 characters.
     *
     * @param field the field name for the message
     * @param value the value
     * @return the value
     */
    public static String requireObjectName(String field, String value) {
        if (value == null || value.isEmpty()) {
            throw new IllegalArgumentException(field + " is missing: set a name of lower case letters, digits, '-' and '.'");
        }
        if (value.length() > 253 || !OBJECT_NAME.matcher(value).matches()) {
            throw new IllegalArgumentException(field + " '" + value
                    + "' is not a valid object name: use at most 253 lower case letters, digits, '-' and '.', "
                    + "starting and ending with a letter or digit");
        }
        return value;
    }
}
