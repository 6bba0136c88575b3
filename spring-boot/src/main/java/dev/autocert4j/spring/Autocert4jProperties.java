package dev.autocert4j.spring;

import dev.autocert4j.KeyUsage;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.NestedConfigurationProperty;

/**
 * The {@code autocert4j.*} properties, bound with Spring Boot's relaxed binding. Issuers and certificates are
 * maps keyed by their names ({@code autocert4j.issuers.letsencrypt.acme.email}, {@code
 * autocert4j.certificates.www.dns-names}). Checked when the certificate manager is built: a mistake fails
 * start-up with a message that names the property. Not thread-safe: Spring binds it once at start-up.
 */
@ConfigurationProperties("autocert4j")
public class Autocert4jProperties {

    /** Whether the starter configures anything at all. */
    private boolean enabled = true;

    /** Issuers by name, referred to by {@code autocert4j.certificates.<name>.issuer}. */
    private Map<String, Issuer> issuers = new LinkedHashMap<>();

    /** Certificates to keep valid, by name. */
    private Map<String, CertificateSpec> certificates = new LinkedHashMap<>();

    /** DNS-01 solvers by name, each with its provider and selector; the HTTP-01 responder serves the rest. */
    private Map<String, SolverProperties> solvers = new LinkedHashMap<>();

    /** The HTTP-01 challenge responder. */
    private final Http01 http01 = new Http01();

    /** Where certificates, keys and account keys are kept. */
    private final Store store = new Store();

    /** The SSL bundle that serves the certificates. */
    private final Ssl ssl = new Ssl();

    /**
     * What the web server serves at start-up for a certificate not yet in the store: "wait" obtains it before
     * the server starts (a failure fails start-up); "placeholder" starts at once with a self-signed placeholder
     * and obtains it in the background.
     */
    private StartupMode startup = StartupMode.WAIT;
    /** cert-manager manifests whose issuers and certificates are managed too. */
    @NestedConfigurationProperty
    private final ManifestsProperties manifests = new ManifestsProperties();

    /** @return whether the starter configures anything */
    public boolean isEnabled() {
        return enabled;
    }

    /** @param enabled whether the starter configures anything */
    public void setEnabled(boolean enabled) {
        this.enabled = enabled;
    }

    /** @return the issuers by name */
    public Map<String, Issuer> getIssuers() {
        return issuers;
    }

    /** @param issuers the issuers by name */
    public void setIssuers(Map<String, Issuer> issuers) {
        this.issuers = issuers;
    }

    /** @return the certificates by name */
    public Map<String, CertificateSpec> getCertificates() {
        return certificates;
    }

    /** @param certificates the certificates by name */
    public void setCertificates(Map<String, CertificateSpec> certificates) {
        this.certificates = certificates;
    }

    /** @return the DNS-01 solvers by name */
    public Map<String, SolverProperties> getSolvers() {
        return solvers;
    }

    /** @param solvers the DNS-01 solvers by name */
    public void setSolvers(Map<String, SolverProperties> solvers) {
        this.solvers = solvers;
    }

    /** @return the HTTP-01 responder settings */
    public Http01 getHttp01() {
        return http01;
    }

    /** @return the store settings */
    public Store getStore() {
        return store;
    }

    /** @return the SSL bundle settings */
    public Ssl getSsl() {
        return ssl;
    }

    /** @return what the web server serves at start-up for a certificate not yet in the store */
    public StartupMode getStartup() {
        return startup;
    }

    /** @param startup what the web server serves at start-up for a certificate not yet in the store */
    public void setStartup(StartupMode startup) {
        this.startup = startup;
    }

    /** One issuer: either {@code acme.*} or {@code self-signed=true}. */
    /** @return the manifests settings */
    public ManifestsProperties getManifests() {
        return manifests;
    }

    /** One issuer: {@code acme.*}, {@code self-signed=true} or {@code ca.*}. */
    public static class Issuer {
        /** An ACME CA: Let's Encrypt, its staging environment, or any RFC 8555 directory. */
        private final Acme acme = new Acme();

        /** Signs each certificate with its own key (cert-manager's selfSigned issuer); for tests and internal use. */
        private boolean selfSigned;

        /** A private CA that signs in the process (cert-manager's ca issuer): its certificate and key as PEM files. */
        @NestedConfigurationProperty
        private final CaIssuerProperties ca = new CaIssuerProperties();

        /** @return the ACME settings */
        public Acme getAcme() {
            return acme;
        }

        /** @return whether this is a self-signed issuer */
        public boolean isSelfSigned() {
            return selfSigned;
        }

        /** @param selfSigned whether this is a self-signed issuer */
        public void setSelfSigned(boolean selfSigned) {
            this.selfSigned = selfSigned;
        }

        /** @return the CA issuer settings */
        public CaIssuerProperties getCa() {
            return ca;
        }
    }

    /** An ACME issuer (cert-manager's {@code spec.acme}). */
    public static class Acme {
        /** {@code lets-encrypt}, {@code lets-encrypt-staging}, or the https URL of an ACME directory. */
        private String server;

        /** The account's contact email address. */
        private String email;

        /** External account binding, for CAs that require one (ZeroSSL, Google). */
        private final ExternalAccountBinding externalAccountBinding = new ExternalAccountBinding();

        /** PEM files of CA certificates to trust for the ACME server's own TLS (a test CA such as Pebble). */
        private List<Path> trustedCertificates = new ArrayList<>();

        /** @return the directory: a well-known name or a URL */
        public String getServer() {
            return server;
        }

        /** @param server the directory: a well-known name or a URL */
        public void setServer(String server) {
            this.server = server;
        }

        /** @return the contact email address */
        public String getEmail() {
            return email;
        }

        /** @param email the contact email address */
        public void setEmail(String email) {
            this.email = email;
        }

        /** @return the external account binding */
        public ExternalAccountBinding getExternalAccountBinding() {
            return externalAccountBinding;
        }

        /** @return PEM files of CA certificates trusted for the ACME server's TLS */
        public List<Path> getTrustedCertificates() {
            return trustedCertificates;
        }

        /** @param trustedCertificates PEM files of CA certificates trusted for the ACME server's TLS */
        public void setTrustedCertificates(List<Path> trustedCertificates) {
            this.trustedCertificates = trustedCertificates;
        }
    }

    /** An ACME external account binding: key ID and HMAC key from the CA. */
    public static class ExternalAccountBinding {
        /** The key ID the CA gave. */
        private String keyId;

        /** The base64url HMAC key the CA gave; a secret, best taken from the environment. */
        private String hmacKey;

        /** @return the key ID */
        public String getKeyId() {
            return keyId;
        }

        /** @param keyId the key ID */
        public void setKeyId(String keyId) {
            this.keyId = keyId;
        }

        /** @return the HMAC key */
        public String getHmacKey() {
            return hmacKey;
        }

        /** @param hmacKey the HMAC key */
        public void setHmacKey(String hmacKey) {
            this.hmacKey = hmacKey;
        }

        @Override
        public String toString() {
            return "ExternalAccountBinding[keyId=" + keyId + ", hmacKey=" + (hmacKey == null ? "unset" : "(hidden)") + "]";
        }
    }

    /** A certificate to keep valid. */
    public static class CertificateSpec {
        /** The DNS names it is issued for; at least one. */
        private List<String> dnsNames = new ArrayList<>();

        /** The name of the issuer under {@code autocert4j.issuers}; may be left out when there is only one. */
        private String issuer;

        /** How long before expiry to renew; two thirds of the lifetime when unset. */
        private Duration renewBefore;

        /** The solvers that may prove its names, by name ({@code http01} for the HTTP-01 responder); all when empty. */
        private List<String> solvers = new ArrayList<>();
        /** The requested lifetime, at least one hour; the CA's choice (90 days at Let's Encrypt) when unset. */
        private Duration duration;

        /** The subject common name, at most 64 bytes; ACME CAs require one of the DNS names. */
        private String commonName;

        /** Key usages by cert-manager's names (digital signature, key encipherment, server auth, client auth, cert sign, crl sign). */
        private List<KeyUsage> usages = new ArrayList<>();

        /** The private key: algorithm, size, encoding, rotation policy. */
        @NestedConfigurationProperty
        private final CertificateKeyProperties privateKey = new CertificateKeyProperties();

        /** Subject attributes besides the common name (organizations, countries, ...). */
        @NestedConfigurationProperty
        private final CertificateSubjectProperties subject = new CertificateSubjectProperties();

        /** @return the DNS names */
        public List<String> getDnsNames() {
            return dnsNames;
        }

        /** @param dnsNames the DNS names */
        public void setDnsNames(List<String> dnsNames) {
            this.dnsNames = dnsNames;
        }

        /** @return the issuer's name */
        public String getIssuer() {
            return issuer;
        }

        /** @param issuer the issuer's name */
        public void setIssuer(String issuer) {
            this.issuer = issuer;
        }

        /** @return how long before expiry to renew, or null for two thirds of the lifetime */
        public Duration getRenewBefore() {
            return renewBefore;
        }

        /** @param renewBefore how long before expiry to renew */
        public void setRenewBefore(Duration renewBefore) {
            this.renewBefore = renewBefore;
        }

        /** @return the solvers that may prove its names; all when empty */
        public List<String> getSolvers() {
            return solvers;
        }

        /** @param solvers the solvers that may prove its names */
        public void setSolvers(List<String> solvers) {
            this.solvers = solvers;
        }

        /** @return the requested lifetime, or null for the CA's choice */
        public Duration getDuration() {
            return duration;
        }

        /** @param duration the requested lifetime */
        public void setDuration(Duration duration) {
            this.duration = duration;
        }

        /** @return the subject common name, or null */
        public String getCommonName() {
            return commonName;
        }

        /** @param commonName the subject common name */
        public void setCommonName(String commonName) {
            this.commonName = commonName;
        }

        /** @return the key usages; empty for cert-manager's default */
        public List<KeyUsage> getUsages() {
            return usages;
        }

        /** @param usages the key usages */
        public void setUsages(List<KeyUsage> usages) {
            this.usages = usages;
        }

        /** @return the private key settings */
        public CertificateKeyProperties getPrivateKey() {
            return privateKey;
        }

        /** @return the subject attributes */
        public CertificateSubjectProperties getSubject() {
            return subject;
        }
    }

    /** Where HTTP-01 challenges are answered, which the ACME CA must reach on port 80 of every name. */
    public static class Http01 {
        /**
         * Who answers the challenges: standalone, a responder of the starter's own on address:port; or
         * application, the application's own HTTP connector, which then must be reachable on port 80.
         */
        private Http01Mode mode = Http01Mode.STANDALONE;

        /** The address the standalone responder listens on. */
        private String address = "0.0.0.0";

        /** The port the standalone responder listens on; the CA always connects to port 80, so another port needs forwarding. */
        private int port = 80;

        /** @return who answers the challenges */
        public Http01Mode getMode() {
            return mode;
        }

        /** @param mode who answers the challenges */
        public void setMode(Http01Mode mode) {
            this.mode = mode;
        }

        /** @return the listen address */
        public String getAddress() {
            return address;
        }

        /** @param address the listen address */
        public void setAddress(String address) {
            this.address = address;
        }

        /** @return the listen port */
        public int getPort() {
            return port;
        }

        /** @param port the listen port */
        public void setPort(int port) {
            this.port = port;
        }
    }

    /** The store: files, or Kubernetes Secrets with {@code kubernetes.enabled=true}. */
    public static class Store {
        /** The directory of the file store; {@code ~/.autocert4j/certificates} when unset. */
        private Path directory = Path.of(System.getProperty("user.home"), ".autocert4j", "certificates");

        /** The Kubernetes Secret store, used instead of the files when enabled. */
        @NestedConfigurationProperty
        private final KubernetesStoreProperties kubernetes = new KubernetesStoreProperties();

        /** @return the store directory */
        public Path getDirectory() {
            return directory;
        }

        /** @param directory the store directory */
        public void setDirectory(Path directory) {
            this.directory = directory;
        }

        /** @return the Kubernetes store settings */
        public KubernetesStoreProperties getKubernetes() {
            return kubernetes;
        }
    }

    /** The SSL bundle for {@code server.ssl.bundle}. */
    public static class Ssl {
        /** The bundle's name, for {@code server.ssl.bundle}. */
        private String bundle = "autocert4j";

        /** The certificate the bundle serves; the first configured one when unset. */
        private String certificate;

        /** @return the bundle name */
        public String getBundle() {
            return bundle;
        }

        /** @param bundle the bundle name */
        public void setBundle(String bundle) {
            this.bundle = bundle;
        }

        /** @return the certificate the bundle serves, or null for the first */
        public String getCertificate() {
            return certificate;
        }

        /** @param certificate the certificate the bundle serves */
        public void setCertificate(String certificate) {
            this.certificate = certificate;
        }
    }
}
