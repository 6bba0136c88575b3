package dev.autocert4j.testing;

import static java.util.Objects.requireNonNull;

import java.net.InetSocketAddress;
import java.time.Duration;

/** The argument checks of {@link PebbleServer.Builder}: each returns the valid value or throws. */
final class BuilderChecks {

    private BuilderChecks() {
    }

    /** @throws IllegalStateException if {@code value} was set before */
    static void requireUnset(Object value, String name) {
        if (value != null) {
            throw new IllegalStateException(name + " was already set");
        }
    }

    static int percent(int value, String name) {
        if (value < 0 || value > 100) {
            throw new IllegalArgumentException(name + " must be within 0..100, was " + value);
        }
        return value;
    }

    static int within(int value, int min, int max, String name) {
        if (value < min || value > max) {
            throw new IllegalArgumentException(name + " must be between " + min + " and " + max + ", was " + value);
        }
        return value;
    }

    static Duration positive(Duration value, String name) {
        requireNonNull(value, name);
        if (value.isNegative() || value.isZero()) {
            throw new IllegalArgumentException(name + " must be positive, was " + value);
        }
        return value;
    }

    static Duration positiveWholeSeconds(Duration value, String name) {
        requireNonNull(value, name);
        if (value.isNegative() || value.isZero() || value.getNano() != 0) {
            throw new IllegalArgumentException(name + " must be a positive whole number of seconds, was " + value);
        }
        return value;
    }

    static InetSocketAddress resolved(InetSocketAddress server, String name) {
        requireNonNull(server, name);
        if (server.isUnresolved()) {
            throw new IllegalArgumentException(name + " " + server + " is unresolved: give an IP address");
        }
        return server;
    }

    static String imageReference(String image, String name) {
        requireNonNull(image, name);
        if (image.isBlank() || image.chars().anyMatch(Character::isWhitespace)) {
            throw new IllegalArgumentException(name + " must be an image reference without spaces, was '" + image + "'");
        }
        return image;
    }
}
