package dev.autocert4j;

import static java.util.Objects.requireNonNull;

/**
 * One name a certificate is issued for: a DNS name (possibly a wildcard) or an IP address, in
 * the normalised form {@link Certificate} produces.
 *
 * @param type DNS or IP
 * @param value the normalised name ({@code *.example.com}, {@code xn--bcher-kva.example}) or the
 *     canonical text form of the address
 */
public record Identifier(Type type, String value) {
    /** The two identifier types of RFC 8555 / RFC 8738. */
    public enum Type {
        /** A DNS name. */
        DNS,
        /** An IPv4 or IPv6 address. */
        IP
    }

    /**
     * Validates and copies the components.
     *
     * @param type see the record description
     * @param value see the record description
     */
    public Identifier {
        requireNonNull(type, "type");
        requireNonNull(value, "value");
    }

    /**
     * @param name a normalised DNS name
     * @return a DNS identifier
     */
    public static Identifier dns(String name) {
        return new Identifier(Type.DNS, name);
    }

    /**
     * @param address the canonical text form of an IP address
     * @return an IP identifier
     */
    public static Identifier ip(String address) {
        return new Identifier(Type.IP, address);
    }

    /** @return true for a DNS name whose left-most label is {@code *} */
    public boolean isWildcard() {
        return type == Type.DNS && value.startsWith("*.");
    }

    /** @return the name without a leading {@code *.}; the value itself for anything else */
    public String baseName() {
        return isWildcard() ? value.substring(2) : value;
    }

    @Override
    public String toString() {
        return value;
    }
}
