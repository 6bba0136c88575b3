package dev.autocert4j;

import static java.util.Objects.requireNonNull;

import dev.autocert4j.internal.text.Arguments;
import dev.autocert4j.internal.x509.CertificateChecks;
import dev.autocert4j.internal.x509.SpecFingerprint;
import dev.autocert4j.store.CertificateKeystores;
import java.time.Duration;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.Set;
import java.util.stream.Stream;

/**
 * The desired state of one certificate, with cert-manager's fields: what names it covers, which
 * issuer signs it, what key it gets, and when it is renewed. Built with {@link #builder(String)};
 * {@link Builder#build()} checks and normalises everything (DNS names lower case and in punycode,
 * no trailing dots or duplicates), refusing with an {@link IllegalArgumentException} that names the
 * field and what to change, as cert-manager's webhook ({@code internal/apis/certmanager/validation/certificate.go}).
 * A final class with a builder rather than a record: it has defaults and many fields, and
 * {@link #toBuilder()} makes variants. Immutable and thread-safe.
 */
public final class Certificate {
    /** cert-manager's default lifetime request. */
    public static final Duration DEFAULT_DURATION = Duration.ofDays(90);
    /** cert-manager's minimum for {@code duration}. */
    public static final Duration MINIMUM_DURATION = Duration.ofHours(1);

    /** This certificate's checked, normalised values, never changed once built. */
    private final CertificateValues v;

    private Certificate(Builder b) {
        this.v = b.given.checked();
    }

    /**
     * @param name the certificate's name (cert-manager's {@code metadata.name}): lower case letters,
     *     digits, {@code -} and {@code .}
     * @return a new builder
     */
    public static Builder builder(String name) {
        return new Builder().name(name);
    }

    /** @return a builder holding this certificate's values, to make a variant */
    public Builder toBuilder() {
        return new Builder(v.copy());
    }

    /** @return the certificate's name, unique within its namespace */
    public String name() {
        return v.name;
    }

    /** @return the namespace; {@code default} unless set */
    public String namespace() {
        return v.namespace;
    }

    /** @return where the certificate is stored (the Secret name on Kubernetes); the name unless set */
    public String secretName() {
        return v.secretName;
    }

    /** @return the issuer that signs this certificate */
    public IssuerRef issuerRef() {
        return v.issuerRef;
    }

    /**
     * @return the subject common name, when set: in the normalised form of the DNS name or IP
     *     address it names, otherwise as given (a CA's {@code My Root CA})
     */
    public Optional<String> commonName() {
        return Optional.ofNullable(v.commonName);
    }

    /**
     * @return cert-manager's {@code subject} (the other subject attributes) or {@code literalSubject}
     *     (the whole subject as one RFC 4514 string); empty unless set
     */
    public CertificateSubject subject() {
        return v.subject;
    }

    /** @return URI subject alternative names, without duplicates */
    public List<String> uris() {
        return v.uris;
    }

    /** @return email subject alternative names, without duplicates */
    public List<String> emailAddresses() {
        return v.emailAddresses;
    }

    /** @return the algorithm that signs the CSR, when set; otherwise it follows the key ({@link SignatureAlgorithm}) */
    public Optional<SignatureAlgorithm> signatureAlgorithm() {
        return Optional.ofNullable(v.signatureAlgorithm);
    }

    /** @return cert-manager's {@code secretTemplate}: annotations and labels for the Secret; empty unless set */
    public SecretTemplate secretTemplate() {
        return v.secretTemplate;
    }

    /** @return the normalised DNS names, in the order given, without duplicates */
    public List<String> dnsNames() {
        return v.dnsNames;
    }

    /** @return the IP addresses in canonical text form, without duplicates */
    public List<String> ipAddresses() {
        return v.ipAddresses;
    }

    /** @return every identifier: DNS names first, then IP addresses */
    public List<Identifier> identifiers() {
        return Stream.concat(v.dnsNames.stream().map(Identifier::dns), v.ipAddresses.stream().map(Identifier::ip)).toList();
    }

    /** @return the requested lifetime (a CA may issue a shorter one; ACME CAs usually ignore it) */
    public Duration duration() {
        return v.duration;
    }

    /** @return how long before expiry to renew, when set */
    public Optional<Duration> renewBefore() {
        return Optional.ofNullable(v.renewBefore);
    }

    /** @return the share of the lifetime (1 to 99) left when renewal starts, when set */
    public OptionalInt renewBeforePercentage() {
        return v.renewBeforePercentage == null ? OptionalInt.empty() : OptionalInt.of(v.renewBeforePercentage);
    }

    /** @return the private key specification */
    public PrivateKeySpec privateKey() {
        return v.privateKey;
    }

    /** @return key usages and extended key usages */
    public Set<KeyUsage> usages() {
        return v.usages;
    }

    /**
     * @return cert-manager's {@code isCA}, false unless set: {@code SelfSignedIssuer} and {@code CaIssuer} then mark
     *     the certificate {@code CA:true} and add the {@code cert sign} usage; ACME CAs issue no CA certificates
     */
    public boolean isCA() {
        return v.isCA;
    }

    /** @return labels, used by solver selectors; a Secret gets the {@link #secretTemplate()}'s labels instead */
    public Map<String, String> labels() {
        return v.labels;
    }

    /** @return cert-manager's {@code keystores}, written by Secret stores; {@link CertificateKeystores#NONE} unless set */
    public CertificateKeystores keystores() {
        return v.keystores;
    }

    /** @return cert-manager's {@code additionalOutputFormats}: extra entries a Secret store writes; none unless set */
    public Set<OutputFormat> additionalOutputFormats() {
        return v.additionalOutputFormats;
    }

    /**
     * @return issuers tried in this order when {@link #issuerRef()} fails (as CertMagic tries
     *     several issuers); not part of the {@link #specFingerprint()}: a certificate from a
     *     fallback issuer is kept until its normal renewal time
     */
    public List<IssuerRef> fallbackIssuerRefs() {
        return v.fallbackIssuerRefs;
    }

    /** @return {@link #issuerRef()}, then the {@link #fallbackIssuerRefs()}: the order issuers are tried in */
    public List<IssuerRef> issuerRefsInOrder() {
        return Stream.concat(Stream.of(v.issuerRef), v.fallbackIssuerRefs.stream()).toList();
    }

    /** @return {@code namespace/name}, the certificate's identity */
    public String id() {
        return v.namespace + "/" + v.name;
    }

    /**
     * A fingerprint of everything that shapes the issued certificate (names, issuer, key type,
     * lifetime, usages). A stored certificate whose fingerprint differs is re-issued; changes to
     * renewal timing, labels or key encoding alone do not need a new certificate.
     *
     * @return a hex SHA-256 over the issuance-relevant fields
     */
    public String specFingerprint() {
        return SpecFingerprint.of(this);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Certificate c && (this == c || v.asList().equals(c.v.asList()));
    }

    @Override
    public int hashCode() {
        return v.asList().hashCode();
    }

    @Override
    public String toString() {
        return "Certificate[" + id() + ", dnsNames=" + v.dnsNames + ", ipAddresses=" + v.ipAddresses
                + ", issuerRef=" + v.issuerRef.kind().manifestName() + "/" + v.issuerRef.name() + "]";
    }

    /**
     * Builds a {@link Certificate}. Each setter checks its argument at once and may be called only
     * once; {@link #build()} checks the whole. Not thread-safe.
     */
    public static final class Builder {
        /** What the setters were given, unchecked until {@link #build()}. */
        private final CertificateValues given;
        private final Set<String> set = new LinkedHashSet<>();

        private Builder() {
            this(new CertificateValues());
        }

        private Builder(CertificateValues given) { // also a variant of a built certificate: every field may be set again
            this.given = given;
        }

        private Builder set(String field, Runnable assign) {
            if (!set.add(field)) {
                throw new IllegalStateException(field + " was already set on this builder: set it once");
            }
            assign.run();
            return this;
        }

        /**
         * @param name the certificate's name
         * @return this builder
         */
        public Builder name(String name) {
            return set("name", () -> given.name = requireNonNull(name, "name"));
        }

        /**
         * @param namespace the namespace (cert-manager's {@code metadata.namespace}); {@code default} if unset
         * @return this builder
         */
        public Builder namespace(String namespace) {
            return set("namespace", () -> given.namespace = requireNonNull(namespace, "namespace"));
        }

        /**
         * @param secretName where the certificate is stored; the certificate's name if unset
         * @return this builder
         */
        public Builder secretName(String secretName) {
            return set("secretName", () -> given.secretName = requireNonNull(secretName, "secretName"));
        }

        /**
         * @param issuerRef the issuer that signs this certificate
         * @return this builder
         */
        public Builder issuerRef(IssuerRef issuerRef) {
            return set("issuerRef", () -> given.issuerRef = requireNonNull(issuerRef, "issuerRef"));
        }

        /**
         * @param issuerRefs issuers to try, in order, when {@link #issuerRef(IssuerRef)} fails
         *     (Let's Encrypt, then ZeroSSL, say)
         * @return this builder
         */
        public Builder fallbackIssuerRefs(IssuerRef... issuerRefs) {
            return set("fallbackIssuerRefs", () -> given.fallbackIssuerRefs = Arguments.noNulls("fallbackIssuerRefs", issuerRefs));
        }

        /**
         * @param commonName the subject common name, at most 64 bytes: usually one of the DNS names
         *     (ACME CAs require that), or a CA's name ({@code My Root CA}) for the self-signed and CA issuers
         * @return this builder
         */
        public Builder commonName(String commonName) {
            return set("commonName", () -> given.commonName = requireNonNull(commonName, "commonName"));
        }

        /**
         * @param subject the other subject attributes (organizations, countries, ...), or the whole
         *     subject with {@link CertificateSubject#literal(String)}, then without {@link #commonName(String)}
         * @return this builder
         */
        public Builder subject(CertificateSubject subject) {
            return set("subject", () -> given.subject = requireNonNull(subject, "subject"));
        }

        /**
         * @param uris URI subject alternative names ({@code spiffe://cluster.local/ns/app/sa/web})
         * @return this builder
         */
        public Builder uris(String... uris) {
            return set("uris", () -> given.uris = CertificateChecks.uris(Arguments.noNulls("uris", uris)));
        }

        /**
         * @param emailAddresses email subject alternative names ({@code ops@example.com})
         * @return this builder
         */
        public Builder emailAddresses(String... emailAddresses) {
            return set("emailAddresses",
                    () -> given.emailAddresses = CertificateChecks.emailAddresses(Arguments.noNulls("emailAddresses", emailAddresses)));
        }

        /**
         * @param algorithm the algorithm that signs the CSR; must fit the private key's algorithm
         * @return this builder
         */
        public Builder signatureAlgorithm(SignatureAlgorithm algorithm) {
            return set("signatureAlgorithm", () -> given.signatureAlgorithm = requireNonNull(algorithm, "signatureAlgorithm"));
        }

        /**
         * @param template annotations and labels for the Secret a Kubernetes store writes
         * @return this builder
         */
        public Builder secretTemplate(SecretTemplate template) {
            return set("secretTemplate", () -> given.secretTemplate = requireNonNull(template, "secretTemplate"));
        }

        /**
         * @param names DNS names; wildcards only as the whole left-most label ({@code *.example.com})
         * @return this builder
         */
        public Builder dnsNames(String... names) {
            return dnsNames(Arguments.noNulls("dnsNames", names));
        }

        /**
         * @param names DNS names; wildcards only as the whole left-most label ({@code *.example.com})
         * @return this builder
         */
        public Builder dnsNames(Collection<String> names) {
            return set("dnsNames", () -> given.dnsNames = Arguments.noNulls("dnsNames", names));
        }

        /**
         * @param addresses IPv4 or IPv6 address literals
         * @return this builder
         */
        public Builder ipAddresses(String... addresses) {
            return ipAddresses(Arguments.noNulls("ipAddresses", addresses));
        }

        /**
         * @param addresses IPv4 or IPv6 address literals
         * @return this builder
         */
        public Builder ipAddresses(Collection<String> addresses) {
            return set("ipAddresses", () -> given.ipAddresses = Arguments.noNulls("ipAddresses", addresses));
        }

        /**
         * @param duration the requested lifetime; at least one hour; 90 days if unset
         * @return this builder
         */
        public Builder duration(Duration duration) {
            return set("duration", () -> given.duration = CertificateChecks.positive("duration", duration));
        }

        /**
         * @param renewBefore how long before expiry to renew; shorter than the duration
         * @return this builder
         */
        public Builder renewBefore(Duration renewBefore) {
            return set("renewBefore", () -> given.renewBefore = CertificateChecks.positive("renewBefore", renewBefore));
        }

        /**
         * @param percentage the share of the lifetime (1 to 99) left when renewal starts
         * @return this builder
         */
        public Builder renewBeforePercentage(int percentage) {
            return set("renewBeforePercentage", () -> given.renewBeforePercentage = CertificateChecks.renewBeforePercentage(percentage));
        }

        /**
         * @param privateKey the key specification; ECDSA P-256 if unset
         * @return this builder
         */
        public Builder privateKey(PrivateKeySpec privateKey) {
            return set("privateKey", () -> given.privateKey = requireNonNull(privateKey, "privateKey"));
        }

        /**
         * @param usages key usages; cert-manager's default (digital signature, key encipherment for RSA, server auth) if unset
         * @return this builder
         */
        public Builder usages(KeyUsage... usages) {
            return set("usages", () -> given.usages = CertificateChecks.usages(Arguments.noNulls("usages", usages)));
        }

        /**
         * @param isCA whether the certificate may sign other certificates (cert-manager's
         *     {@code isCA}); honoured by self-signed and CA issuers, refused by ACME CAs
         * @return this builder
         */
        public Builder isCA(boolean isCA) {
            return set("isCA", () -> given.isCA = isCA);
        }

        /**
         * @param labels labels for solver selection and stores
         * @return this builder
         */
        public Builder labels(Map<String, String> labels) {
            return set("labels", () -> given.labels = Map.copyOf(requireNonNull(labels, "labels")));
        }

        /**
         * @param formats cert-manager's {@code additionalOutputFormats}, written by Secret stores
         * @return this builder
         */
        public Builder additionalOutputFormats(OutputFormat... formats) {
            return set("additionalOutputFormats", () -> given.additionalOutputFormats = Set.copyOf(Arguments.noNulls("additionalOutputFormats", formats)));
        }

        /**
         * @param keystores cert-manager's {@code keystores}, written by Secret stores; overrides the store's defaults
         * @return this builder
         */
        public Builder keystores(CertificateKeystores keystores) {
            return set("keystores", () -> given.keystores = requireNonNull(keystores, "keystores"));
        }

        /**
         * @return the validated, normalised certificate
         * @throws IllegalArgumentException naming the field to change, when something is invalid
         */
        public Certificate build() {
            return new Certificate(this);
        }
    }
}
