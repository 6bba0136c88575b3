package dev.autocert4j.solver.dns.cloudflare;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.Locale;
import java.util.regex.Pattern;

/** Tells whether a URL host is a loopback host, without any DNS lookup (a name could resolve anywhere). */
final class LoopbackHost {
    private static final Pattern IPV4 = Pattern.compile("\\d{1,3}(\\.\\d{1,3}){3}");

    private LoopbackHost() {
    }

    /**
     * @param host a URI host: a name, an IPv4 literal or a bracketed IPv6 literal
     * @return true for {@code localhost}, 127.0.0.0/8 and ::1
     */
    static boolean is(String host) {
        String h = host.toLowerCase(Locale.ROOT);
        if (h.equals("localhost") || h.equals("localhost.")) {
            return true;
        }
        if (IPV4.matcher(h).matches()) {
            String[] octets = h.split("\\.");
            for (String octet : octets) {
                if (Integer.parseInt(octet) > 255) {
                    return false;
                }
            }
            return octets[0].equals("127");
        }
        if (!h.startsWith("[") || !h.endsWith("]") || !h.contains(":")) {
            return false;
        }
        try {
            // A bracketed IPv6 literal with a colon: getByName parses it and never resolves.
            return InetAddress.getByName(h.substring(1, h.length() - 1)).isLoopbackAddress();
        } catch (UnknownHostException e) {
            return false;
        }
    }
}
