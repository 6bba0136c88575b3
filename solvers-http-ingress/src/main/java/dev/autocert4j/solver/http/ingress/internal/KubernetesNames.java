package dev.autocert4j.solver.http.ingress.internal;

import static java.util.Objects.requireNonNull;

import java.util.regex.Pattern;

/** Checks names, label and annotation keys and label values as Kubernetes would. Stateless. */
public final class KubernetesNames {
    private static final Pattern NAME = Pattern.compile("[a-z0-9]([-a-z0-9.]{0,251}[a-z0-9])?");
    private static final Pattern QUALIFIED_NAME = Pattern.compile("[A-Za-z0-9]([-A-Za-z0-9_.]{0,61}[A-Za-z0-9])?");
    private static final Pattern LABEL_VALUE = Pattern.compile("([A-Za-z0-9]([-A-Za-z0-9_.]{0,61}[A-Za-z0-9])?)?");

    private KubernetesNames() {
    }

    /**
     * @param field what the value is, for the message
     * @param value an object name
     * @return the value
     * @throws IllegalArgumentException when it is no Kubernetes object name
     */
    public static String objectName(String field, String value) {
        requireNonNull(value, field);
        if (!NAME.matcher(value).matches()) {
            throw new IllegalArgumentException(field + " \"" + value + "\" is not a Kubernetes object name: use lower case "
                    + "letters, digits, '-' and '.', starting and ending with a letter or digit");
        }
        return value;
    }

    /**
     * A Kubernetes label or annotation key: {@code [prefix/]name}.
     *
     * @param field what the key is, for the message
     * @param key the key
     * @throws IllegalArgumentException when Kubernetes would refuse it
     */
    public static void qualifiedName(String field, String key) {
        requireNonNull(key, field);
        int slash = key.indexOf('/');
        String prefix = slash < 0 ? null : key.substring(0, slash);
        String name = slash < 0 ? key : key.substring(slash + 1);
        if ((prefix != null && (prefix.length() > 253 || !NAME.matcher(prefix).matches()))
                || !QUALIFIED_NAME.matcher(name).matches()) {
            throw new IllegalArgumentException(field + " \"" + key + "\" is not a Kubernetes key: an optional DNS prefix "
                    + "and '/', then at most 63 letters, digits, '-', '_' and '.', starting and ending with a letter or digit");
        }
    }

    /**
     * @param key the label's key, for the message
     * @param value the label's value
     * @throws IllegalArgumentException when Kubernetes would refuse it
     */
    public static void labelValue(String key, String value) {
        if (value == null || !LABEL_VALUE.matcher(value).matches()) {
            throw new IllegalArgumentException("label " + key + " has the value \"" + value + "\", which Kubernetes "
                    + "refuses: at most 63 letters, digits, '-', '_' and '.', starting and ending with a letter or digit");
        }
    }
}
