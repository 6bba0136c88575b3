package dev.autocert4j.spring;

import dev.autocert4j.Certificate;
import dev.autocert4j.IssuerRef;
import dev.autocert4j.issuer.AcmeIssuer;
import dev.autocert4j.issuer.Issuer;
import dev.autocert4j.issuer.SelfSignedIssuer;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Turns {@link Autocert4jProperties} into autocert4j's model, checking each property on the way; every
 * mistake is an {@link InvalidAutocert4jPropertyException} naming the property to change.
 */
final class PropertiesModel {
    private static final String ISSUERS = "autocert4j.issuers";
    private static final String CERTIFICATES = "autocert4j.certificates";

    private PropertiesModel() {
    }

    /** @return whether any issuer is an ACME issuer, so that the HTTP-01 responder is needed */
    static boolean hasAcmeIssuer(Autocert4jProperties properties) {
        return properties.getIssuers().values().stream().anyMatch(issuer -> issuer.getAcme().getServer() != null);
    }

    static List<Issuer> issuers(Autocert4jProperties properties) {
        List<Issuer> issuers = new ArrayList<>();
        properties.getIssuers().forEach((name, issuer) -> issuers.add(issuer(name, issuer)));
        return issuers;
    }

    private static Issuer issuer(String name, Autocert4jProperties.Issuer issuer) {
        String prefix = ISSUERS + "." + name;
        boolean acme = issuer.getAcme().getServer() != null;
        boolean ca = CaIssuerModel.isSet(issuer.getCa());
        List<String> kinds = new ArrayList<>();
        if (acme) {
            kinds.add(prefix + ".acme.server");
        }
        if (issuer.isSelfSigned()) {
            kinds.add(prefix + ".self-signed");
        }
        if (ca) {
            kinds.add(prefix + ".ca");
        }
        if (kinds.size() > 1) {
            throw new InvalidAutocert4jPropertyException(prefix, "an issuer is one of ACME, self-signed or CA, not several",
                    "keep one of " + kinds + " and remove the others");
        }
        if (issuer.isSelfSigned()) {
            return SelfSignedIssuer.builder(name).build();
        }
        if (ca) {
            return CaIssuerModel.issuer(name, prefix + ".ca", issuer.getCa());
        }
        if (!acme) {
            throw new InvalidAutocert4jPropertyException(prefix + ".acme.server", "the issuer has no kind",
                    "set " + prefix + ".acme.server (lets-encrypt, lets-encrypt-staging or a directory URL), "
                            + prefix + ".self-signed=true, or " + prefix + ".ca.certificate and .ca.private-key");
        }
        return acmeIssuer(name, prefix + ".acme", issuer.getAcme());
    }

    private static AcmeIssuer acmeIssuer(String name, String prefix, Autocert4jProperties.Acme acme) {
        AcmeIssuer.Builder builder = AcmeIssuer.builder(name);
        String server = acme.getServer().trim();
        switch (server.toLowerCase(Locale.ROOT)) {
            case "lets-encrypt", "letsencrypt" -> builder.letsEncrypt();
            case "lets-encrypt-staging", "letsencrypt-staging" -> builder.letsEncryptStaging();
            default -> builder.directory(directoryUrl(prefix + ".server", server));
        }
        if (acme.getEmail() != null) {
            apply(prefix + ".email", () -> builder.email(acme.getEmail()));
        }
        Autocert4jProperties.ExternalAccountBinding eab = acme.getExternalAccountBinding();
        if (eab.getKeyId() != null || eab.getHmacKey() != null) {
            if (eab.getKeyId() == null || eab.getHmacKey() == null) {
                String missing = prefix + ".external-account-binding." + (eab.getKeyId() == null ? "key-id" : "hmac-key");
                throw new InvalidAutocert4jPropertyException(missing, "an external account binding needs both key-id and hmac-key",
                        "set " + missing);
            }
            apply(prefix + ".external-account-binding.hmac-key",
                    () -> builder.externalAccountBinding(eab.getKeyId(), eab.getHmacKey()));
        }
        if (!acme.getTrustedCertificates().isEmpty()) {
            List<X509Certificate> anchors = new ArrayList<>();
            for (Path file : acme.getTrustedCertificates()) {
                anchors.addAll(readPem(prefix + ".trusted-certificates", file));
            }
            builder.trustedCertificates(anchors.toArray(X509Certificate[]::new));
        }
        return builder.build();
    }

    private static URI directoryUrl(String property, String server) {
        URI url;
        try {
            url = URI.create(server);
        } catch (IllegalArgumentException e) {
            url = null;
        }
        if (url == null || !"https".equalsIgnoreCase(url.getScheme()) || url.getHost() == null) {
            throw new InvalidAutocert4jPropertyException(property, "'" + server + "' is neither a known CA nor an https URL",
                    "use lets-encrypt, lets-encrypt-staging, or the https URL of an ACME directory");
        }
        return url;
    }

    private static List<X509Certificate> readPem(String property, Path file) {
        try (InputStream in = Files.newInputStream(file)) {
            List<X509Certificate> certificates = new ArrayList<>();
            for (java.security.cert.Certificate c : CertificateFactory.getInstance("X.509").generateCertificates(in)) {
                certificates.add((X509Certificate) c);
            }
            if (certificates.isEmpty()) {
                throw new InvalidAutocert4jPropertyException(property, file + " holds no certificate",
                        "name PEM files of CA certificates");
            }
            return certificates;
        } catch (IOException | CertificateException e) {
            throw new InvalidAutocert4jPropertyException(property, "cannot read " + file + ": " + e.getMessage(),
                    "name readable PEM files of CA certificates");
        }
    }

    static List<Certificate> certificates(Autocert4jProperties properties) {
        if (properties.getCertificates().isEmpty()) {
            throw new InvalidAutocert4jPropertyException(CERTIFICATES, "no certificate is configured",
                    "add at least one, e.g. " + CERTIFICATES + ".www.dns-names=www.example.com, or set autocert4j.enabled=false");
        }
        List<Certificate> certificates = new ArrayList<>();
        for (Map.Entry<String, Autocert4jProperties.CertificateSpec> entry : properties.getCertificates().entrySet()) {
            certificates.add(certificate(properties, entry.getKey(), entry.getValue()));
        }
        return certificates;
    }

    private static Certificate certificate(Autocert4jProperties properties, String name, Autocert4jProperties.CertificateSpec spec) {
        String prefix = CERTIFICATES + "." + name;
        if (spec.getDnsNames().isEmpty()) {
            throw new InvalidAutocert4jPropertyException(prefix + ".dns-names", "the certificate has no DNS names",
                    "set " + prefix + ".dns-names to the names it is for, e.g. www.example.com");
        }
        String issuer = issuerName(properties, prefix + ".issuer", spec.getIssuer());
        Certificate.Builder builder = apply(prefix, () -> Certificate.builder(name));
        apply(prefix + ".dns-names", () -> builder.dnsNames(spec.getDnsNames()));
        builder.issuerRef(IssuerRef.clusterIssuer(issuer));
        builder.labels(SolversModel.certificateLabels(properties, prefix + ".solvers", spec.getSolvers()));
        if (spec.getRenewBefore() != null) {
            apply(prefix + ".renew-before", () -> builder.renewBefore(spec.getRenewBefore()));
        }
        CertificateSettingsModel.apply(prefix, spec, builder);
        return apply(prefix, builder::build);
    }

    private static String issuerName(Autocert4jProperties properties, String property, String issuer) {
        Map<String, Autocert4jProperties.Issuer> issuers = properties.getIssuers();
        if (issuer == null) {
            if (issuers.size() == 1) {
                return issuers.keySet().iterator().next();
            }
            throw new InvalidAutocert4jPropertyException(property,
                    issuers.isEmpty() ? "no issuer is configured" : "there are several issuers and none is chosen",
                    issuers.isEmpty() ? "configure one under " + ISSUERS + ".<name>, e.g. " + ISSUERS + ".letsencrypt.acme.server=lets-encrypt"
                            : "set it to one of " + issuers.keySet());
        }
        if (!issuers.containsKey(issuer)) {
            throw new InvalidAutocert4jPropertyException(property, "no issuer is named '" + issuer + "'",
                    "set it to one of " + issuers.keySet() + ", or configure " + ISSUERS + "." + issuer);
        }
        return issuer;
    }

    /** Runs a builder step, turning its IllegalArgumentException into one that names {@code property}. */
    static <T> T apply(String property, java.util.function.Supplier<T> step) {
        try {
            return step.get();
        } catch (IllegalArgumentException | IllegalStateException e) {
            if (e instanceof InvalidAutocert4jPropertyException invalid) {
                throw invalid;
            }
            throw new InvalidAutocert4jPropertyException(property, e.getMessage(), "correct " + property);
        }
    }
}
