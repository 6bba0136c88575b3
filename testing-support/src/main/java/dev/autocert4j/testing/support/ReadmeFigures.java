package dev.autocert4j.testing.support;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The figures the repository's README states, for tests that pin a default to the sentence that promises it: the
 * test reads the figure from the README and compares it with the code, so that neither changes alone. Sentences
 * are matched with their line breaks and runs of blanks folded into one space, and Markdown's backticks removed.
 */
public final class ReadmeFigures {
    private static final Pattern HEADING = Pattern.compile("(#{1,6}) (.*)");
    private ReadmeFigures() {
    }

    /**
     * @param regex a pattern over the README's text with at least one group
     * @return each group of the pattern's only match, in order
     * @throws AssertionError when the README has no match, or more than one: the sentence changed, so the test
     *     must change with it
     */
    public static String[] find(String regex) {
        String text = text();
        Matcher m = Pattern.compile(regex).matcher(text);
        if (!m.find()) {
            throw new AssertionError("The README no longer says /" + regex + "/: change this test with the README");
        }
        String[] groups = new String[m.groupCount()];
        for (int i = 0; i < groups.length; i++) {
            groups[i] = m.group(i + 1);
        }
        if (m.find()) {
            throw new AssertionError("The README says /" + regex + "/ more than once: make the pattern unique");
        }
        return groups;
    }

    /**
     * @param regex a pattern over the README's text with one group
     * @return that group of the pattern's only match
     */
    public static String figure(String regex) {
        return find(regex)[0];
    }

    /**
     * @param word a number up to twelve as a word ({@code three}) or in digits
     * @return its value
     */
    public static int number(String word) {
        String[] words = {"zero", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten", "eleven",
                "twelve"};
        for (int i = 0; i < words.length; i++) {
            if (words[i].equalsIgnoreCase(word)) {
                return i;
            }
        }
        return Integer.parseInt(word);
    }

    /**
     * @param heading a heading's text without its {@code #} marks ({@code Deployment})
     * @return the README's raw Markdown from that heading to the next heading of the same or a higher level
     * @throws AssertionError when no heading or more than one has that text
     */
    public static String section(String heading) {
        String[] lines = raw().split("\n", -1);
        int start = -1;
        int level = 0;
        for (int i = 0; i < lines.length; i++) {
            Matcher m = HEADING.matcher(lines[i]);
            if (m.matches() && m.group(2).equals(heading)) {
                if (start >= 0) {
                    throw new AssertionError("The README has two headings '" + heading + "'");
                }
                start = i;
                level = m.group(1).length();
            }
        }
        if (start < 0) {
            throw new AssertionError("The README has no heading '" + heading + "' any more: change this test with the README");
        }
        StringBuilder out = new StringBuilder();
        boolean inCode = false;
        for (int i = start; i < lines.length; i++) {
            inCode ^= lines[i].startsWith("```");
            Matcher m = HEADING.matcher(lines[i]);
            if (i > start && !inCode && m.matches() && m.group(1).length() <= level) {
                break;
            }
            out.append(lines[i]).append('\n');
        }
        return out.toString();
    }

    /** @return the README, folded: whitespace runs as one space, no backticks */
    public static String text() {
        return raw().replace("`", "").replaceAll("\\s+", " ");
    }

    private static String raw() {
        Path dir = Path.of(System.getProperty("user.dir")).toAbsolutePath();
        for (Path d = dir; d != null; d = d.getParent()) {
            Path readme = d.resolve("README.md");
            if (Files.isRegularFile(readme) && Files.isDirectory(d.resolve("core"))) {
                try {
                    return Files.readString(readme, StandardCharsets.UTF_8);
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            }
        }
        throw new IllegalStateException("no README.md of the repository above " + dir);
    }
}
