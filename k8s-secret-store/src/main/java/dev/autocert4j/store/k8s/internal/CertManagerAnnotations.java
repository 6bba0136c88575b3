package dev.autocert4j.store.k8s.internal;

import java.net.Inet4Address;
import java.net.InetAddress;
import java.security.cert.X509Certificate;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The {@code cert-manager.io/*} annotations that describe an issued certificate, computed from the
 * certificate itself as cert-manager's {@code AnnotationsForCertificate} computes them
 * ({@code internal/controller/certificates/secrets.go}): values in the order the certificate holds
 * them, lists as one CSV line (Go's {@code encoding/csv}), IP addresses in Go's text form. Stateless.
 */
public final class CertManagerAnnotations {
    private static final String CM = SecretCodec.CM;
    /** Every key {@link #of} may write: the keys a save rewrites, whether or not the new certificate needs them. */
    public static final Set<String> KEYS = Set.of(CM + "common-name", CM + "subject-serialnumber",
            CM + "subject-organizations", CM + "subject-organizationalunits", CM + "subject-countries",
            CM + "subject-provinces", CM + "subject-localities", CM + "subject-postalcodes", CM + "subject-streetaddresses",
            CM + "email-sans", CM + "alt-names", CM + "ip-sans", CM + "uri-sans");

    private CertManagerAnnotations() {
    }

    /**
     * @param leaf the issued certificate
     * @return its annotations; common name, DNS, IP and URI SANs always (empty when absent), the
     *     subject fields and email SANs only when present, as cert-manager
     */
    public static Map<String, String> of(X509Certificate leaf) {
        IssuedNames n = IssuedNames.of(leaf);
        Map<String, String> a = new LinkedHashMap<>();
        a.put(CM + "common-name", n.commonName());
        if (!n.serialNumber().isEmpty()) {
            a.put(CM + "subject-serialnumber", n.serialNumber());
        }
        putUnlessEmpty(a, CM + "subject-organizations", n.organizations());
        putUnlessEmpty(a, CM + "subject-organizationalunits", n.organizationalUnits());
        putUnlessEmpty(a, CM + "subject-countries", n.countries());
        putUnlessEmpty(a, CM + "subject-provinces", n.provinces());
        putUnlessEmpty(a, CM + "subject-localities", n.localities());
        putUnlessEmpty(a, CM + "subject-postalcodes", n.postalCodes());
        putUnlessEmpty(a, CM + "subject-streetaddresses", n.streetAddresses());
        putUnlessEmpty(a, CM + "email-sans", n.emailAddresses());
        a.put(CM + "alt-names", csv(n.dnsNames()));
        a.put(CM + "ip-sans", csv(n.ipAddresses().stream().map(CertManagerAnnotations::goText).toList()));
        a.put(CM + "uri-sans", csv(n.uris()));
        return a;
    }

    private static void putUnlessEmpty(Map<String, String> a, String key, List<String> values) {
        if (!values.isEmpty()) {
            a.put(key, csv(values));
        }
    }

    /**
     * pkg/util/util.go JoinWithEscapeCSV: one line of Go's {@code csv.Writer}, which quotes a field
     * holding a comma, a quote, CR or LF, or starting with a space, and doubles its quotes.
     *
     * @param values the fields
     * @return the CSV line without its line break
     */
    public static String csv(List<String> values) {
        StringBuilder line = new StringBuilder();
        for (int i = 0; i < values.size(); i++) {
            String value = values.get(i);
            if (i > 0) {
                line.append(',');
            }
            boolean quote = !value.isEmpty() && (value.equals("\\.") || value.contains(",") || value.contains("\"")
                    || value.contains("\r") || value.contains("\n") || Character.isWhitespace(value.codePointAt(0)));
            line.append(quote ? '"' + value.replace("\"", "\"\"") + '"' : value);
        }
        return line.toString();
    }

    /**
     * Go's {@code net.IP.String()}: IPv4 dotted; IPv6 in RFC 5952's short form (lower case, no
     * leading zeros, the longest run of two or more zero groups, the first of equals, as {@code ::}).
     *
     * @param address an address
     * @return its text as cert-manager writes it
     */
    public static String goText(InetAddress address) {
        if (address instanceof Inet4Address) {
            return address.getHostAddress();
        }
        byte[] b = address.getAddress();
        int[] groups = new int[8];
        for (int i = 0; i < 8; i++) {
            groups[i] = ((b[2 * i] & 0xff) << 8) | (b[2 * i + 1] & 0xff);
        }
        int bestStart = -1;
        int bestLength = 1;
        for (int i = 0; i < 8; i++) {
            int j = i;
            while (j < 8 && groups[j] == 0) {
                j++;
            }
            if (j - i > bestLength) {
                bestStart = i;
                bestLength = j - i;
            }
            i = Math.max(i, j);
        }
        StringBuilder s = new StringBuilder();
        for (int i = 0; i < 8; i++) {
            if (i == bestStart) {
                s.append("::");
                i += bestLength - 1;
                continue;
            }
            if (s.length() > 0 && s.charAt(s.length() - 1) != ':') {
                s.append(':');
            }
            s.append(Integer.toHexString(groups[i]));
        }
        return s.toString();
    }
}
