package dev.autocert4j;

import static java.util.Objects.requireNonNull;

import dev.autocert4j.internal.text.Arguments;
import dev.autocert4j.internal.x509.CertificateChecks;
import dev.autocert4j.internal.x509.CertificateChecks.SubjectNames;
import dev.autocert4j.internal.x509.Names;
import dev.autocert4j.store.CertificateKeystores;
import java.time.Duration;
import java.util.Collection;
import java.util.EnumSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.Set;
import java.util.stream.Stream;

/**
 * The desired state of one certificate, with cert-manager's fields: what names it covers, which
 * issuer signs it, what key it gets, and when it is renewed.
 *
 * <p>Built with {@link #builder(String)}; everything is checked and normalised when
 * {@link Builder#build()} runs, so a {@code Certificate} that exists is valid: DNS names are
 * lower case, internationalised names are in punycode, trailing dots and duplicates are gone, and
 * the common name is one of the names. Each refusal is an {@link IllegalArgumentException} that
 * names the field and says what to change.
 *
 * <p>A final class with a builder rather than a record: it has defaults and fourteen fields, and
 * {@link #toBuilder()} makes variants. Immutable and thread-safe.
 */
public final class Certificate {
    /** cert-manager's default lifetime request. */
    public static final Duration DEFAULT_DURATION = Duration.ofDays(90);
    /** cert-manager's minimum for {@code duration}. */
    public static final Duration MINIMUM_DURATION = Duration.ofHours(1);

    private final String name;
    private final String namespace;
    private final String secretName;
    private final IssuerRef issuerRef;
    private final List<IssuerRef> fallbackIssuerRefs;
    private final String commonName;
    private final List<String> dnsNames;
    private final List<String> ipAddresses;
    private final Duration duration;
    private final Duration renewBefore;
    private final Integer renewBeforePercentage;
    private final PrivateKeySpec privateKey;
    private final Set<KeyUsage> usages;
    private final boolean isCA;
    private final Map<String, String> labels;
    private final Set<OutputFormat> additionalOutputFormats;
    private final CertificateKeystores keystores;

    private Certificate(Builder b) {
        this.name = Names.requireObjectName("name", b.name);
        this.namespace = Names.requireObjectName("namespace", b.namespace == null ? "default" : b.namespace);
        this.secretName = Names.requireObjectName("secretName", b.secretName == null ? b.name : b.secretName);
        this.issuerRef = b.issuerRef;
        this.fallbackIssuerRefs = CertificateChecks.issuerRefs(name, b.issuerRef, b.fallbackIssuerRefs);
        SubjectNames names = CertificateChecks.subjectNames(name, b.dnsNames, b.ipAddresses, b.commonName);
        this.dnsNames = names.dnsNames();
        this.ipAddresses = names.ipAddresses();
        this.commonName = names.commonName();
        this.duration = b.duration == null ? DEFAULT_DURATION : b.duration;
        CertificateChecks.lifetime(duration, MINIMUM_DURATION, b.renewBefore, b.renewBeforePercentage);
        this.renewBefore = b.renewBefore;
        this.renewBeforePercentage = b.renewBeforePercentage;
        this.privateKey = b.privateKey == null ? PrivateKeySpec.defaults() : b.privateKey;
        this.usages = b.usages == null
                ? CertificateChecks.defaultUsages(privateKey.algorithm())
                : Set.copyOf(EnumSet.copyOf(b.usages));
        this.isCA = b.isCA;
        this.labels = Map.copyOf(b.labels);
        this.additionalOutputFormats = b.additionalOutputFormats;
        this.keystores = b.keystores;
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
        Builder b = new Builder();
        b.name = name;
        b.namespace = namespace;
        b.secretName = secretName;
        b.issuerRef = issuerRef;
        b.fallbackIssuerRefs = fallbackIssuerRefs;
        b.commonName = commonName;
        b.dnsNames = dnsNames;
        b.ipAddresses = ipAddresses;
        b.duration = duration;
        b.renewBefore = renewBefore;
        b.renewBeforePercentage = renewBeforePercentage;
        b.privateKey = privateKey;
        b.usages = usages.isEmpty() ? null : EnumSet.copyOf(usages);
        b.isCA = isCA;
        b.labels = labels;
        b.additionalOutputFormats = additionalOutputFormats;
        b.keystores = keystores;
        return b;
    }

    /** @return the certificate's name, unique within its namespace */
    public String name() {
        return name;
    }

    /** @return the namespace; {@code default} unless set */
    public String namespace() {
        return namespace;
    }

    /** @return where the certificate is stored (the Secret name on Kubernetes); the name unless set */
    public String secretName() {
        return secretName;
    }

    /** @return the issuer that signs this certificate */
    public IssuerRef issuerRef() {
        return issuerRef;
    }

    /** @return the subject common name, when set; always one of the DNS names or IP addresses */
    public Optional<String> commonName() {
        return Optional.ofNullable(commonName);
    }

    /** @return the normalised DNS names, in the order given, without duplicates */
    public List<String> dnsNames() {
        return dnsNames;
    }

    /** @return the IP addresses in canonical text form, without duplicates */
    public List<String> ipAddresses() {
        return ipAddresses;
    }

    /** @return every identifier: DNS names first, then IP addresses */
    public List<Identifier> identifiers() {
        return Stream.concat(dnsNames.stream().map(Identifier::dns), ipAddresses.stream().map(Identifier::ip)).toList();
    }

    /** @return the requested lifetime (a CA may issue a shorter one; ACME CAs usually ignore it) */
    public Duration duration() {
        return duration;
    }

    /** @return how long before expiry to renew, when set */
    public Optional<Duration> renewBefore() {
        return Optional.ofNullable(renewBefore);
    }

    /** @return the share of the lifetime (1 to 99) left when renewal starts, when set */
    public OptionalInt renewBeforePercentage() {
        return renewBeforePercentage == null ? OptionalInt.empty() : OptionalInt.of(renewBeforePercentage);
    }

    /** @return the private key specification */
    public PrivateKeySpec privateKey() {
        return privateKey;
    }

    /** @return key usages and extended key usages */
    public Set<KeyUsage> usages() {
        return usages;
    }

    /**
     * cert-manager's {@code isCA}: the issued certificate may sign other certificates. Issuers that
     * honour it ({@code SelfSignedIssuer}, {@code CaIssuer}) mark it {@code CA:true} in its basic
     * constraints and add the {@code cert sign} key usage; ACME CAs never issue CA certificates.
     *
     * @return whether a CA certificate is requested; false unless set
     */
    public boolean isCA() {
        return isCA;
    }

    /** @return labels, used by solver selectors and copied to stores that keep labels */
    public Map<String, String> labels() {
        return labels;
    }

    /** @return cert-manager's {@code additionalOutputFormats}: extra entries a Secret store writes; none unless set */
    public Set<OutputFormat> additionalOutputFormats() {
        return additionalOutputFormats;
    }

    /** @return cert-manager's {@code keystores}, written by Secret stores; {@link CertificateKeystores#NONE} unless set */
    public CertificateKeystores keystores() {
        return keystores;
    }

    /**
     * @return issuers tried in this order when {@link #issuerRef()} fails (as CertMagic tries
     *     several issuers); not part of the {@link #specFingerprint()}: a certificate from a
     *     fallback issuer is kept until its normal renewal time
     */
    public List<IssuerRef> fallbackIssuerRefs() {
        return fallbackIssuerRefs;
    }

    /**
     * @return {@link #issuerRef()} followed by the {@link #fallbackIssuerRefs()}: the order in
     *     which issuers are tried
     */
    public List<IssuerRef> issuerRefsInOrder() {
        return Stream.concat(Stream.of(issuerRef), fallbackIssuerRefs.stream()).toList();
    }

    /** @return {@code namespace/name}, the certificate's identity */
    public String id() {
        return namespace + "/" + name;
    }

    /**
     * A fingerprint of everything that shapes the issued certificate (names, issuer, key type,
     * lifetime, usages). A stored certificate whose fingerprint differs is re-issued; changes to
     * renewal timing, labels or key encoding alone do not need a new certificate.
     *
     * @return a hex SHA-256 over the issuance-relevant fields
     */
    public String specFingerprint() {
        StringBuilder s = new StringBuilder();
        s.append("issuer=").append(issuerRef.kind()).append('/').append(issuerRef.name()).append('\n');
        s.append("cn=").append(Objects.toString(commonName, "")).append('\n');
        s.append("dns=").append(String.join(",", dnsNames.stream().sorted().toList())).append('\n');
        s.append("ip=").append(String.join(",", ipAddresses.stream().sorted().toList())).append('\n');
        s.append("key=").append(privateKey.algorithm()).append('/').append(privateKey.size()).append('\n');
        s.append("duration=").append(duration).append('\n');
        s.append("usages=").append(usages.stream().map(Enum::name).sorted().toList()).append('\n');
        // Only when set, so the fingerprints of certificates stored before isCA existed stay the same.
        s.append(isCA ? "isCA=true\n" : "");
        return CertificateChecks.sha256Hex(s.toString());
    }

    @Override
    public boolean equals(Object o) {
        if (!(o instanceof Certificate c)) {
            return false;
        }
        return this == o || name.equals(c.name) && namespace.equals(c.namespace) && secretName.equals(c.secretName)
                && issuerRef.equals(c.issuerRef) && fallbackIssuerRefs.equals(c.fallbackIssuerRefs) && Objects.equals(commonName, c.commonName)
                && dnsNames.equals(c.dnsNames) && ipAddresses.equals(c.ipAddresses)
                && duration.equals(c.duration) && Objects.equals(renewBefore, c.renewBefore)
                && Objects.equals(renewBeforePercentage, c.renewBeforePercentage)
                && privateKey.equals(c.privateKey) && usages.equals(c.usages) && isCA == c.isCA
                && labels.equals(c.labels) && additionalOutputFormats.equals(c.additionalOutputFormats)
                && keystores.equals(c.keystores);
    }

    @Override
    public int hashCode() {
        return Objects.hash(name, namespace, secretName, issuerRef, fallbackIssuerRefs, commonName, dnsNames, ipAddresses,
                duration, renewBefore, renewBeforePercentage, privateKey, usages, isCA, labels, additionalOutputFormats,
                keystores);
    }

    @Override
    public String toString() {
        return "Certificate[" + id() + ", dnsNames=" + dnsNames + ", ipAddresses=" + ipAddresses
                + ", issuerRef=" + issuerRef.kind().manifestName() + "/" + issuerRef.name() + "]";
    }

    /**
     * Builds a {@link Certificate}. Each setter checks its argument at once and may be called only
     * once; {@link #build()} checks the whole. Not thread-safe.
     */
    public static final class Builder {
        private String name;
        private String namespace;
        private String secretName;
        private IssuerRef issuerRef;
        private List<IssuerRef> fallbackIssuerRefs = List.of();
        private String commonName;
        private Collection<String> dnsNames = List.of();
        private Collection<String> ipAddresses = List.of();
        private Duration duration;
        private Duration renewBefore;
        private Integer renewBeforePercentage;
        private PrivateKeySpec privateKey;
        private Set<KeyUsage> usages;
        private boolean isCA;
        private Map<String, String> labels = Map.of();
        private Set<OutputFormat> additionalOutputFormats = Set.of();
        private CertificateKeystores keystores = CertificateKeystores.NONE;
        private final Set<String> set = new LinkedHashSet<>();

        private Builder() {
        }

        private void once(String field) {
            if (!set.add(field)) {
                throw new IllegalStateException(field + " was already set on this builder: set it once");
            }
        }

        /**
         * @param name the certificate's name
         * @return this builder
         */
        public Builder name(String name) {
            once("name");
            this.name = requireNonNull(name, "name");
            return this;
        }

        /**
         * @param namespace the namespace (cert-manager's {@code metadata.namespace}); {@code default} if unset
         * @return this builder
         */
        public Builder namespace(String namespace) {
            once("namespace");
            this.namespace = requireNonNull(namespace, "namespace");
            return this;
        }

        /**
         * @param secretName where the certificate is stored; the certificate's name if unset
         * @return this builder
         */
        public Builder secretName(String secretName) {
            once("secretName");
            this.secretName = requireNonNull(secretName, "secretName");
            return this;
        }

        /**
         * @param issuerRef the issuer that signs this certificate
         * @return this builder
         */
        public Builder issuerRef(IssuerRef issuerRef) {
            once("issuerRef");
            this.issuerRef = requireNonNull(issuerRef, "issuerRef");
            return this;
        }

        /**
         * @param issuerRefs issuers to try, in order, when {@link #issuerRef(IssuerRef)} fails
         *     (Let's Encrypt, then ZeroSSL, say)
         * @return this builder
         */
        public Builder fallbackIssuerRefs(IssuerRef... issuerRefs) {
            once("fallbackIssuerRefs");
            this.fallbackIssuerRefs = Arguments.noNulls("fallbackIssuerRefs", issuerRefs);
            return this;
        }

        /**
         * @param commonName the subject common name; must be one of the DNS names or IP addresses
         * @return this builder
         */
        public Builder commonName(String commonName) {
            once("commonName");
            this.commonName = requireNonNull(commonName, "commonName");
            return this;
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
            once("dnsNames");
            this.dnsNames = Arguments.noNulls("dnsNames", names);
            return this;
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
            once("ipAddresses");
            this.ipAddresses = Arguments.noNulls("ipAddresses", addresses);
            return this;
        }

        /**
         * @param duration the requested lifetime; at least one hour; 90 days if unset
         * @return this builder
         */
        public Builder duration(Duration duration) {
            once("duration");
            requireNonNull(duration, "duration");
            if (duration.isNegative() || duration.isZero()) {
                throw new IllegalArgumentException("duration must be positive, was " + duration);
            }
            this.duration = duration;
            return this;
        }

        /**
         * @param renewBefore how long before expiry to renew; shorter than the duration
         * @return this builder
         */
        public Builder renewBefore(Duration renewBefore) {
            once("renewBefore");
            requireNonNull(renewBefore, "renewBefore");
            if (renewBefore.isNegative() || renewBefore.isZero()) {
                throw new IllegalArgumentException("renewBefore must be positive, was " + renewBefore);
            }
            this.renewBefore = renewBefore;
            return this;
        }

        /**
         * @param percentage the share of the lifetime (1 to 99) left when renewal starts
         * @return this builder
         */
        public Builder renewBeforePercentage(int percentage) {
            once("renewBeforePercentage");
            if (percentage < 1 || percentage > 99) {
                throw new IllegalArgumentException("renewBeforePercentage must be between 1 and 99, was " + percentage);
            }
            this.renewBeforePercentage = percentage;
            return this;
        }

        /**
         * @param privateKey the key specification; ECDSA P-256 if unset
         * @return this builder
         */
        public Builder privateKey(PrivateKeySpec privateKey) {
            once("privateKey");
            this.privateKey = requireNonNull(privateKey, "privateKey");
            return this;
        }

        /**
         * @param usages key usages; cert-manager's default (digital signature, key encipherment for RSA, server auth) if unset
         * @return this builder
         */
        public Builder usages(KeyUsage... usages) {
            once("usages");
            List<KeyUsage> list = Arguments.noNulls("usages", usages);
            if (list.isEmpty()) {
                throw new IllegalArgumentException("usages must name at least one usage; leave it unset for the default");
            }
            this.usages = EnumSet.copyOf(list);
            return this;
        }

        /**
         * @param isCA whether the certificate may sign other certificates (cert-manager's
         *     {@code isCA}); honoured by self-signed and CA issuers, refused by ACME CAs
         * @return this builder
         */
        public Builder isCA(boolean isCA) {
            once("isCA");
            this.isCA = isCA;
            return this;
        }

        /**
         * @param labels labels for solver selection and stores
         * @return this builder
         */
        public Builder labels(Map<String, String> labels) {
            once("labels");
            this.labels = Map.copyOf(requireNonNull(labels, "labels"));
            return this;
        }

        /**
         * @param formats cert-manager's {@code additionalOutputFormats}, written by Secret stores
         * @return this builder
         */
        public Builder additionalOutputFormats(OutputFormat... formats) {
            once("additionalOutputFormats");
            this.additionalOutputFormats = Set.copyOf(Arguments.noNulls("additionalOutputFormats", formats));
            return this;
        }

        /**
         * @param keystores cert-manager's {@code keystores}, written by Secret stores; overrides the store's defaults
         * @return this builder
         */
        public Builder keystores(CertificateKeystores keystores) {
            once("keystores");
            this.keystores = requireNonNull(keystores, "keystores");
            return this;
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
