package dev.autocert4j.internal.x509;

import java.net.IDN;
import java.text.Normalizer;
import java.util.regex.Pattern;

/**
 * UTS #46 non-transitional processing for labels with the deviation characters {@code ß}, {@code ẞ} and
 * {@code ς}, without an IDNA2008 library. {@link IDN} (IDNA2003) maps them away ({@code faß} becomes
 * {@code fass}, another domain), so a label is split at them: the text between them goes through IDNA2003's
 * nameprep, which is the mapping UTS #46 was derived from (case folding, NFKC, removal of soft hyphens and
 * the like, prohibited characters and the bidi check), the deviation characters are kept as UTS #46
 * non-transitional keeps them ({@code ẞ} becomes {@code ß}), and the whole label is Punycode-encoded.
 *
 * <p>Splitting is safe because {@code ß} and {@code σ}/{@code ς} are starters that compose with nothing
 * before or after them, so normalising the pieces alone gives what normalising the label would give; case
 * folding and the removals work character by character. {@code Normalizer} NFKC plus
 * {@code toLowerCase(Locale.ROOT)} would not do: {@code toLowerCase} turns a final capital {@code Σ} into
 * {@code ς} (UTS #46 maps {@code Σ} to {@code σ} everywhere), lower case is not case folding, and nothing
 * would drop ignorables or refuse spaces, symbols and right-to-left text mixed into a Latin label.
 */
final class NonTransitionalLabels {
    private static final Pattern LABEL_SEPARATORS = Pattern.compile("[.\u3002\uFF0E\uFF61]");
    private static final char SHARP_S = '\u00DF';
    private static final char CAPITAL_SHARP_S = '\u1E9E';
    private static final char FINAL_SIGMA = '\u03C2';
    private static final char SIGMA = '\u03C3';

    private NonTransitionalLabels() {
    }

    /**
     * @param name a DNS name, labels separated by dots (or the ideographic full stops IDNA accepts)
     * @return the name with each label holding a deviation character replaced by its A-label; other labels
     *         unchanged, for {@link IDN} to convert
     * @throws IllegalArgumentException if such a label is not a valid IDNA label (says why)
     */
    static String encodeDeviations(String name) {
        if (!hasDeviation(name)) {
            return name;
        }
        String[] labels = LABEL_SEPARATORS.split(name, -1);
        StringBuilder out = new StringBuilder(name.length() + 16);
        for (int i = 0; i < labels.length; i++) {
            if (i > 0) {
                out.append('.');
            }
            out.append(hasDeviation(labels[i]) ? "xn--" + Punycode.encode(mapLabel(labels[i])) : labels[i]);
        }
        return out.toString();
    }

    private static boolean hasDeviation(String s) {
        return s.indexOf(SHARP_S) >= 0 || s.indexOf(CAPITAL_SHARP_S) >= 0 || s.indexOf(FINAL_SIGMA) >= 0;
    }

    /** The UTS #46 mapped form of a label that holds at least one deviation character. */
    static String mapLabel(String label) {
        StringBuilder mapped = new StringBuilder(label.length());
        int segmentStart = 0;
        for (int i = 0; i <= label.length(); i++) {
            char c = i < label.length() ? label.charAt(i) : 0;
            boolean deviation = c == SHARP_S || c == CAPITAL_SHARP_S || c == FINAL_SIGMA;
            if (deviation || i == label.length()) {
                mapped.append(nameprep(label.substring(segmentStart, i)));
                if (deviation) {
                    // UTS #46 maps capital sharp s to sharp s and keeps both deviations (non-transitional).
                    mapped.append(c == CAPITAL_SHARP_S ? SHARP_S : c);
                }
                segmentStart = i + 1;
            }
        }
        String result = mapped.toString();
        checkLabel(label, result);
        return result;
    }

    /**
     * IDNA2003 nameprep of one piece. The piece is led by a {@code ς}, which nameprep folds to {@code σ}:
     * this keeps the result non-ASCII, so {@link IDN#toASCII} always Punycode-encodes it and
     * {@link IDN#toUnicode} gives back exactly the nameprep output (an ASCII result starting with
     * {@code xn--} would otherwise be decoded as if it were an A-label). {@code σ} composes with nothing,
     * and a real label has a deviation character at that place anyway.
     */
    private static String nameprep(String piece) {
        if (piece.isEmpty()) {
            return piece;
        }
        String prepared;
        try {
            prepared = IDN.toUnicode(IDN.toASCII(FINAL_SIGMA + piece));
        } catch (IllegalArgumentException e) {
            // The JDK's message quotes its input, which includes the sentinel; say it in the user's terms.
            throw new IllegalArgumentException("the text '" + piece + "' cannot stand in a label next to "
                    + "\u00DF or \u03C2: right-to-left letters, spaces and symbols are not allowed there", e);
        }
        if (prepared.isEmpty() || prepared.charAt(0) != SIGMA) {
            throw new IllegalArgumentException("the text '" + piece + "' cannot be mapped");
        }
        return prepared.substring(1);
    }

    /** The validity criteria of UTS #46 section 4.1 that nameprep does not already apply. */
    private static void checkLabel(String label, String mapped) {
        if (mapped.startsWith("-") || mapped.endsWith("-")) {
            throw new IllegalArgumentException("the label '" + label + "' starts or ends with a hyphen");
        }
        if (mapped.length() >= 4 && mapped.startsWith("--", 2)) {
            throw new IllegalArgumentException("the label '" + label + "' has '--' in its third and fourth place");
        }
        int type = Character.getType(mapped.codePointAt(0));
        if (type == Character.NON_SPACING_MARK || type == Character.COMBINING_SPACING_MARK
                || type == Character.ENCLOSING_MARK) {
            throw new IllegalArgumentException("the label '" + label + "' starts with a combining mark");
        }
        if (!Normalizer.isNormalized(mapped, Normalizer.Form.NFC)) {
            // Cannot happen by the argument in the class comment; refuse rather than encode a wrong name.
            throw new IllegalArgumentException("the label '" + label + "' does not normalise piece by piece");
        }
    }
}
