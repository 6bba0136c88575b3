package dev.autocert4j;

import static java.util.Objects.requireNonNull;

import dev.autocert4j.internal.text.Arguments;
import dev.autocert4j.internal.x509.LiteralSubject;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeMap;

/**
 * cert-manager's {@code spec.subject} ({@code X509Subject} in {@code pkg/apis/certmanager/v1/types_certificate.go}):
 * the distinguished-name attributes of a certificate besides its common name. Issuers that sign
 * themselves ({@code SelfSignedIssuer}, {@code CaIssuer}) put them into the certificate as
 * cert-manager's {@code pkg/util/pki/csr.go} does: one relative distinguished name per attribute
 * type, in the order country, province, locality, street address, postal code, organization,
 * organizational unit, common name, serial number (Go's {@code pkix.Name.ToRDNSequence}). ACME CAs
 * receive them in the CSR and usually leave them out of the certificate.
 *
 * <p>Or cert-manager's {@code spec.literalSubject}, made with {@link #literal(String)}: the whole
 * subject, common name included, as one RFC 4514 string, put into the certificate exactly as written.
 *
 * <p>Immutable and thread-safe; built with {@link #builder()}.
 */
public final class CertificateSubject {
    private static final CertificateSubject EMPTY = builder().build();

    private final Map<String, List<String>> values;
    private final String serialNumber;
    private final String literal;

    private CertificateSubject(Builder b) {
        this.values = Map.copyOf(b.values);
        this.serialNumber = b.serialNumber;
        this.literal = null;
    }

    private CertificateSubject(String literal) {
        this.values = Map.of();
        this.serialNumber = null;
        this.literal = literal;
    }

    /**
     * cert-manager's {@code literalSubject}, read as its {@code pkg/util/pki/subject.go} reads it: RDNs
     * separated by commas, written in reverse order ({@code CN=app,O=Example,C=DE} puts {@code C} first
     * into the certificate), attribute types {@code C O OU CN SERIALNUMBER L ST STREET DC UID} or
     * dotted OIDs, {@code \}-escapes for special characters. The certificate then takes its common name
     * from here: leave {@code commonName} unset.
     *
     * @param literal the subject as an RFC 4514 string
     * @return the literal subject
     * @throws IllegalArgumentException when it does not parse or names an attribute type cert-manager refuses
     */
    public static CertificateSubject literal(String literal) {
        LiteralSubject.parse(requireNonNull(literal, "literalSubject"));
        return new CertificateSubject(literal);
    }

    /** @return the literal subject string, when the subject was made with {@link #literal(String)} */
    public Optional<String> literal() {
        return Optional.ofNullable(literal);
    }

    /** @return a new builder with no attributes */
    public static Builder builder() {
        return new Builder();
    }

    /** @return the subject without any attribute, what a certificate has unless one is set */
    public static CertificateSubject empty() {
        return EMPTY;
    }

    /** @return the organizations ({@code O}) */
    public List<String> organizations() {
        return get("organizations");
    }

    /** @return the countries ({@code C}) */
    public List<String> countries() {
        return get("countries");
    }

    /** @return the organizational units ({@code OU}) */
    public List<String> organizationalUnits() {
        return get("organizationalUnits");
    }

    /** @return the localities ({@code L}) */
    public List<String> localities() {
        return get("localities");
    }

    /** @return the provinces or states ({@code ST}) */
    public List<String> provinces() {
        return get("provinces");
    }

    /** @return the street addresses ({@code STREET}) */
    public List<String> streetAddresses() {
        return get("streetAddresses");
    }

    /** @return the postal codes ({@code postalCode}) */
    public List<String> postalCodes() {
        return get("postalCodes");
    }

    /** @return the subject's serial number attribute ({@code SERIALNUMBER}; not the certificate's serial), when set */
    public Optional<String> serialNumber() {
        return Optional.ofNullable(serialNumber);
    }

    /** @return whether no attribute is set */
    public boolean isEmpty() {
        return values.isEmpty() && serialNumber == null && literal == null;
    }

    private List<String> get(String field) {
        return values.getOrDefault(field, List.of());
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof CertificateSubject s && values.equals(s.values) && Objects.equals(serialNumber, s.serialNumber)
                && Objects.equals(literal, s.literal);
    }

    @Override
    public int hashCode() {
        return Objects.hash(values, serialNumber, literal);
    }

    @Override
    public String toString() {
        return literal != null ? "CertificateSubject[literal " + literal + "]"
                : "CertificateSubject" + new TreeMap<>(values) + (serialNumber == null ? "" : "[serialNumber " + serialNumber + "]");
    }

    /**
     * Builds a {@link CertificateSubject}. Each setter checks its argument at once and may be called
     * once. Not thread-safe.
     */
    public static final class Builder {
        private final Map<String, List<String>> values = new LinkedHashMap<>();
        private String serialNumber;
        private boolean serialNumberSet;

        private Builder() {
        }

        private Builder put(String field, String[] given) {
            if (values.containsKey(field)) {
                throw new IllegalStateException(field + " was already set on this builder: set it once");
            }
            List<String> list = new ArrayList<>();
            for (String value : Arguments.noNulls(field, given)) {
                list.add(requireValue(field, value));
            }
            if (!list.isEmpty()) {
                values.put(field, List.copyOf(list));
            }
            return this;
        }

        private static String requireValue(String field, String value) {
            if (value.isEmpty()) {
                throw new IllegalArgumentException("subject." + field
                        + " contains an empty value; X.509 attributes need at least one character: remove it");
            }
            return value;
        }

        /**
         * @param organizations organizations ({@code O})
         * @return this builder
         */
        public Builder organizations(String... organizations) {
            return put("organizations", organizations);
        }

        /**
         * @param countries countries ({@code C}), usually two-letter ISO 3166 codes
         * @return this builder
         */
        public Builder countries(String... countries) {
            return put("countries", countries);
        }

        /**
         * @param units organizational units ({@code OU})
         * @return this builder
         */
        public Builder organizationalUnits(String... units) {
            return put("organizationalUnits", units);
        }

        /**
         * @param localities localities, such as cities ({@code L})
         * @return this builder
         */
        public Builder localities(String... localities) {
            return put("localities", localities);
        }

        /**
         * @param provinces provinces or states ({@code ST})
         * @return this builder
         */
        public Builder provinces(String... provinces) {
            return put("provinces", provinces);
        }

        /**
         * @param streetAddresses street addresses ({@code STREET})
         * @return this builder
         */
        public Builder streetAddresses(String... streetAddresses) {
            return put("streetAddresses", streetAddresses);
        }

        /**
         * @param postalCodes postal codes ({@code postalCode})
         * @return this builder
         */
        public Builder postalCodes(String... postalCodes) {
            return put("postalCodes", postalCodes);
        }

        /**
         * @param serialNumber the subject's serial number attribute ({@code SERIALNUMBER})
         * @return this builder
         */
        public Builder serialNumber(String serialNumber) {
            if (serialNumberSet) {
                throw new IllegalStateException("serialNumber was already set on this builder: set it once");
            }
            serialNumberSet = true;
            this.serialNumber = requireValue("serialNumber", requireNonNull(serialNumber, "serialNumber"));
            return this;
        }

        /** @return the immutable subject */
        public CertificateSubject build() {
            return new CertificateSubject(this);
        }
    }
}
