package dev.autocert4j.internal.x509;

/**
 * The Punycode encoder of RFC 3492 (section 6.3), with the parameters of section 5. {@link java.net.IDN}
 * has one, but only behind its IDNA2003 nameprep, which maps away the characters this project must keep.
 */
final class Punycode {
    private static final int BASE = 36;
    private static final int TMIN = 1;
    private static final int TMAX = 26;
    private static final int SKEW = 38;
    private static final int DAMP = 700;
    private static final int INITIAL_BIAS = 72;
    private static final int INITIAL_N = 0x80;

    private Punycode() {
    }

    /**
     * @param input a label, any code points (case is kept: basic code points are copied as they are)
     * @return its Punycode, without the {@code xn--} prefix
     * @throws IllegalArgumentException if the encoding would overflow (only for absurdly long input)
     */
    static String encode(String input) {
        int[] codePoints = input.codePoints().toArray();
        StringBuilder out = new StringBuilder();
        // Basic code points come first, in their order, followed by a delimiter if there were any.
        for (int c : codePoints) {
            if (c < INITIAL_N) {
                out.append((char) c);
            }
        }
        int basic = out.length();
        int handled = basic;
        if (basic > 0) {
            out.append('-');
        }
        int n = INITIAL_N;
        int delta = 0;
        int bias = INITIAL_BIAS;
        while (handled < codePoints.length) {
            // The smallest code point not yet handled is the next one to insert everywhere it occurs.
            int m = Integer.MAX_VALUE;
            for (int c : codePoints) {
                if (c >= n && c < m) {
                    m = c;
                }
            }
            delta = Math.addExact(delta, Math.multiplyExact(m - n, handled + 1));
            n = m;
            for (int c : codePoints) {
                if (c < n) {
                    delta = Math.addExact(delta, 1);
                }
                if (c == n) {
                    // delta as a generalised variable-length integer (section 3.3), least significant digit first.
                    int q = delta;
                    for (int k = BASE;; k += BASE) {
                        int t = k <= bias ? TMIN : Math.min(k - bias, TMAX);
                        if (q < t) {
                            break;
                        }
                        out.append(digit(t + (q - t) % (BASE - t)));
                        q = (q - t) / (BASE - t);
                    }
                    out.append(digit(q));
                    bias = adapt(delta, handled + 1, handled == basic);
                    delta = 0;
                    handled++;
                }
            }
            delta++;
            n++;
        }
        return out.toString();
    }

    /** Bias adaptation of section 6.1: keeps the digits of the next deltas few. */
    private static int adapt(int delta, int numPoints, boolean firstTime) {
        int d = firstTime ? delta / DAMP : delta / 2;
        d += d / numPoints;
        int k = 0;
        while (d > ((BASE - TMIN) * TMAX) / 2) {
            d /= BASE - TMIN;
            k += BASE;
        }
        return k + (BASE - TMIN + 1) * d / (d + SKEW);
    }

    /** 0..25 are a..z, 26..35 are 0..9 (lower case, as DNS names are normalised here). */
    private static char digit(int d) {
        return (char) (d < 26 ? 'a' + d : '0' + d - 26);
    }
}
