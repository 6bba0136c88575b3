package dev.autocert4j.manifests;

import java.math.BigDecimal;
import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Go's {@code time.ParseDuration} format as cert-manager uses it: {@code 2160h}, {@code 1h30m}, {@code 360h0m0s}. */
final class GoDuration {
    private static final Pattern PART = Pattern.compile("(\\d+(?:\\.\\d+)?)(h|ms|m|s)");

    private GoDuration() {
    }

    /** @return the duration, or null when the text is not in that format */
    static Duration parse(String text) {
        if (text.isEmpty()) {
            return null;
        }
        Matcher m = PART.matcher(text);
        int at = 0;
        BigDecimal millis = BigDecimal.ZERO;
        while (at < text.length()) {
            if (!m.find(at) || m.start() != at) {
                return null;
            }
            BigDecimal n = new BigDecimal(m.group(1));
            long unit = switch (m.group(2)) {
                case "h" -> 3_600_000L;
                case "m" -> 60_000L;
                case "s" -> 1_000L;
                default -> 1L;
            };
            millis = millis.add(n.multiply(BigDecimal.valueOf(unit)));
            at = m.end();
        }
        return Duration.ofMillis(millis.longValue());
    }
}
