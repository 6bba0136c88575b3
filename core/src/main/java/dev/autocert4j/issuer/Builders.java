package dev.autocert4j.issuer;

import static java.util.Objects.requireNonNull;

import java.util.List;

/** Checks shared by the issuer builders. */
final class Builders {
    private Builders() {
    }

    static String requireIssuerName(String name) {
        requireNonNull(name, "name");
        if (name.isBlank()) {
            throw new IllegalArgumentException("issuer name must not be blank: give the name certificates use in issuerRef");
        }
        return name;
    }

    static void once(List<String> set, String field) {
        if (set.contains(field)) {
            throw new IllegalStateException(field + " was already set on this builder: set it once");
        }
        set.add(field);
    }
}
