package dev.autocert4j.testing.kubernetes;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/**
 * The string checks of Kubernetes' k8s.io/apimachinery/pkg/util/validation/validation.go, with its messages: each
 * returns the problems found, none when the value is valid. Lengths are in bytes, as Go's {@code len} counts them.
 */
final class NameRules {
    // validation.go: qnameCharFmt, qnameExtCharFmt, qualifiedNameFmt, qualifiedNameMaxLength
    private static final String QUALIFIED_NAME_FMT = "([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]";
    private static final Pattern QUALIFIED_NAME = Pattern.compile(QUALIFIED_NAME_FMT);
    private static final int QUALIFIED_NAME_MAX = 63;
    // validation.go: labelValueFmt, LabelValueMaxLength
    private static final Pattern LABEL_VALUE = Pattern.compile("(" + QUALIFIED_NAME_FMT + ")?");
    private static final int LABEL_VALUE_MAX = 63;
    // validation.go: dns1123LabelFmt, DNS1123LabelMaxLength; dns1123SubdomainFmt, DNS1123SubdomainMaxLength
    private static final String DNS1123_LABEL_FMT = "[a-z0-9]([-a-z0-9]*[a-z0-9])?";
    private static final Pattern DNS1123_LABEL = Pattern.compile(DNS1123_LABEL_FMT);
    private static final String DNS1123_SUBDOMAIN_FMT = DNS1123_LABEL_FMT + "(\\." + DNS1123_LABEL_FMT + ")*";
    private static final Pattern DNS1123_SUBDOMAIN = Pattern.compile(DNS1123_SUBDOMAIN_FMT);
    private static final int DNS1123_SUBDOMAIN_MAX = 253;
    // validation.go: dns1035LabelFmt, DNS1035LabelMaxLength
    private static final Pattern DNS1035_LABEL = Pattern.compile("[a-z]([-a-z0-9]*[a-z0-9])?");
    // validation.go: configMapKeyFmt (ConfigMap and Secret data keys)
    private static final Pattern CONFIG_MAP_KEY = Pattern.compile("[-._a-zA-Z0-9]+");

    private NameRules() {
    }

    static int bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8).length;
    }

    /** validation.go IsQualifiedName: label and annotation keys, {@code [prefix/]name}. */
    static List<String> qualifiedName(String value) {
        List<String> errors = new ArrayList<>();
        String[] parts = value.split("/", -1);
        String name;
        if (parts.length == 1) {
            name = parts[0];
        } else if (parts.length == 2) {
            name = parts[1];
            if (parts[0].isEmpty()) {
                errors.add("prefix part must be non-empty");
            } else {
                dns1123Subdomain(parts[0]).forEach(e -> errors.add("prefix part " + e));
            }
        } else {
            errors.add("a qualified name must consist of alphanumeric characters, '-', '_' or '.', and must start and end "
                    + "with an alphanumeric character with an optional DNS subdomain prefix and '/' (e.g. 'example.com/MyName')");
            return errors;
        }
        if (name.isEmpty()) {
            errors.add("name part must be non-empty");
        } else if (bytes(name) > QUALIFIED_NAME_MAX) {
            errors.add("name part must be no more than " + QUALIFIED_NAME_MAX + " characters");
        }
        if (!QUALIFIED_NAME.matcher(name).matches()) {
            errors.add("name part must consist of alphanumeric characters, '-', '_' or '.', and must start and end with an "
                    + "alphanumeric character (e.g. 'MyName',  or 'my.name',  or '123-abc', regex used for validation is '"
                    + QUALIFIED_NAME_FMT + "')");
        }
        return errors;
    }

    /** validation.go IsValidLabelValue. */
    static List<String> labelValue(String value) {
        List<String> errors = new ArrayList<>();
        if (bytes(value) > LABEL_VALUE_MAX) {
            errors.add("must be no more than " + LABEL_VALUE_MAX + " characters");
        }
        if (!LABEL_VALUE.matcher(value).matches()) {
            errors.add("a valid label must be an empty string or consist of alphanumeric characters, '-', '_' or '.', and "
                    + "must start and end with an alphanumeric character");
        }
        return errors;
    }

    /** validation.go IsDNS1123Subdomain: the names of Secrets, Ingresses, Leases, ConfigMaps, Events. */
    static List<String> dns1123Subdomain(String value) {
        List<String> errors = new ArrayList<>();
        if (bytes(value) > DNS1123_SUBDOMAIN_MAX) {
            errors.add("must be no more than " + DNS1123_SUBDOMAIN_MAX + " characters");
        }
        if (!DNS1123_SUBDOMAIN.matcher(value).matches()) {
            errors.add("a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and "
                    + "must start and end with an alphanumeric character (e.g. 'example.com', regex used for validation is '"
                    + DNS1123_SUBDOMAIN_FMT + "')");
        }
        return errors;
    }

    /** validation.go IsDNS1123Label: namespace names. */
    static List<String> dns1123Label(String value) {
        List<String> errors = new ArrayList<>();
        if (bytes(value) > 63) {
            errors.add("must be no more than 63 characters");
        }
        if (!DNS1123_LABEL.matcher(value).matches()) {
            errors.add("a lowercase RFC 1123 label must consist of lower case alphanumeric characters or '-', and must start "
                    + "and end with an alphanumeric character");
        }
        return errors;
    }

    /** validation.go IsDNS1035Label: Service names. */
    static List<String> dns1035Label(String value) {
        List<String> errors = new ArrayList<>();
        if (bytes(value) > 63) {
            errors.add("must be no more than 63 characters");
        }
        if (!DNS1035_LABEL.matcher(value).matches()) {
            errors.add("a DNS-1035 label must consist of lower case alphanumeric characters or '-', start with an "
                    + "alphabetic character, and end with an alphanumeric character");
        }
        return errors;
    }

    /** validation.go IsConfigMapKey: the keys of a Secret's data. */
    static List<String> configMapKey(String value) {
        List<String> errors = new ArrayList<>();
        if (bytes(value) > DNS1123_SUBDOMAIN_MAX) {
            errors.add("must be no more than " + DNS1123_SUBDOMAIN_MAX + " characters");
        }
        if (!CONFIG_MAP_KEY.matcher(value).matches()) {
            errors.add("a valid config key must consist of alphanumeric characters, '-', '_' or '.'");
        }
        if (value.equals(".") || value.equals("..")) {
            errors.add("must not be '" + value + "'");
        } else if (value.startsWith("..")) {
            errors.add("must not start with '..'");
        }
        return errors;
    }
}
