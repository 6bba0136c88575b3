package dev.autocert4j.testing;

import static java.util.Objects.requireNonNull;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * The content of Pebble's {@code -config} file. Pure and immutable; {@link #toJson()} renders the
 * file. Its {@code toString()} never shows the EAB MAC keys.
 */
record PebbleConfig(
        int listenPort,
        int managementPort,
        Path certificate,
        Path privateKey,
        int httpPort,
        int tlsPort,
        Optional<Duration> certificateValidity,
        Map<String, String> externalAccountMacKeys) {

    PebbleConfig {
        requirePort(listenPort, "listenPort");
        requirePort(managementPort, "managementPort");
        requirePort(httpPort, "httpPort");
        requirePort(tlsPort, "tlsPort");
        requireNonNull(certificate, "certificate");
        requireNonNull(privateKey, "privateKey");
        requireNonNull(certificateValidity, "certificateValidity");
        externalAccountMacKeys = Map.copyOf(requireNonNull(externalAccountMacKeys, "externalAccountMacKeys"));
    }

    private static void requirePort(int port, String name) {
        if (port < 1 || port > 65_535) {
            throw new IllegalArgumentException(name + " must be within 1..65535, was " + port);
        }
    }

    /** Renders the configuration as Pebble reads it: {@code {"pebble": {...}}}. */
    String toJson() {
        StringBuilder json = new StringBuilder(512);
        json.append("{\n  \"pebble\": {\n");
        field(json, "listenAddress", quote("127.0.0.1:" + listenPort));
        field(json, "managementListenAddress", quote("127.0.0.1:" + managementPort));
        field(json, "certificate", quote(certificate.toString()));
        field(json, "privateKey", quote(privateKey.toString()));
        field(json, "httpPort", Integer.toString(httpPort));
        field(json, "tlsPort", Integer.toString(tlsPort));
        field(json, "ocspResponderURL", quote(""));
        certificateValidity.ifPresent(validity ->
                field(json, "certificateValidityPeriod", Long.toString(validity.toSeconds())));
        if (!externalAccountMacKeys.isEmpty()) {
            StringBuilder keys = new StringBuilder("{");
            String separator = "\n";
            for (Map.Entry<String, String> key : new TreeMap<>(externalAccountMacKeys).entrySet()) {
                keys.append(separator).append("      ").append(quote(key.getKey()))
                        .append(": ").append(quote(key.getValue()));
                separator = ",\n";
            }
            keys.append("\n    }");
            field(json, "externalAccountMACKeys", keys.toString());
        }
        json.append("    \"externalAccountBindingRequired\": ")
                .append(!externalAccountMacKeys.isEmpty()).append('\n');
        json.append("  }\n}\n");
        return json.toString();
    }

    /**
     * Checks an EAB key as Pebble needs it, without showing the key in the message.
     *
     * @throws IllegalArgumentException if the key id is blank or the key is not unpadded
     *     base64url of at least 16 bytes
     */
    static void requireMacKey(String keyId, String base64UrlHmacKey) {
        requireNonNull(keyId, "keyId");
        requireNonNull(base64UrlHmacKey, "base64UrlHmacKey");
        if (keyId.isBlank() || !keyId.strip().equals(keyId)) {
            throw new IllegalArgumentException("keyId must be non-blank without surrounding spaces");
        }
        if (!base64UrlHmacKey.matches("[A-Za-z0-9_-]+") || base64UrlHmacKey.length() % 4 == 1
                || base64UrlHmacKey.length() * 3 / 4 < 16) {
            throw new IllegalArgumentException("the HMAC key of '" + keyId
                    + "' must be unpadded base64url of at least 16 bytes");
        }
    }

    private static void field(StringBuilder json, String name, String value) {
        json.append("    ").append(quote(name)).append(": ").append(value).append(",\n");
    }

    /** A JSON string literal. */
    static String quote(String value) {
        StringBuilder quoted = new StringBuilder(value.length() + 2).append('"');
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            switch (c) {
                case '"' -> quoted.append("\\\"");
                case '\\' -> quoted.append("\\\\");
                case '\n' -> quoted.append("\\n");
                case '\r' -> quoted.append("\\r");
                case '\t' -> quoted.append("\\t");
                default -> {
                    if (c < 0x20) {
                        quoted.append(String.format("\\u%04x", (int) c));
                    } else {
                        quoted.append(c);
                    }
                }
            }
        }
        return quoted.append('"').toString();
    }

    @Override
    public String toString() {
        return "PebbleConfig[listenPort=" + listenPort + ", managementPort=" + managementPort
                + ", httpPort=" + httpPort + ", tlsPort=" + tlsPort
                + ", certificateValidity=" + certificateValidity
                + ", externalAccountKeyIds=" + new TreeMap<>(externalAccountMacKeys).keySet() + "]";
    }
}
