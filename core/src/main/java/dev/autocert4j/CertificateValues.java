package dev.autocert4j;

import dev.autocert4j.internal.x509.CertificateChecks;
import dev.autocert4j.internal.x509.CertificateChecks.SubjectNames;
import dev.autocert4j.internal.x509.Names;
import dev.autocert4j.store.CertificateKeystores;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The fields of a {@link Certificate}: as given to its {@link Certificate.Builder}, and, after {@link #checked()},
 * checked and normalised with cert-manager's defaults filled in. Mutable only while a builder fills it; a
 * certificate's own instance is never changed.
 */
final class CertificateValues implements Cloneable {
    String name;
    String namespace;
    String secretName;
    IssuerRef issuerRef;
    List<IssuerRef> fallbackIssuerRefs = List.of();
    String commonName;
    CertificateSubject subject = CertificateSubject.empty();
    List<String> dnsNames = List.of();
    List<String> ipAddresses = List.of();
    List<String> uris = List.of();
    List<String> emailAddresses = List.of();
    SignatureAlgorithm signatureAlgorithm;
    SecretTemplate secretTemplate = SecretTemplate.empty();
    Duration duration;
    Duration renewBefore;
    Integer renewBeforePercentage;
    PrivateKeySpec privateKey;
    Set<KeyUsage> usages;
    boolean isCA;
    Map<String, String> labels = Map.of();
    Set<OutputFormat> additionalOutputFormats = Set.of();
    CertificateKeystores keystores = CertificateKeystores.NONE;

    /**
     * @return these values checked and normalised, defaults filled in; a new instance, this one is left as given
     * @throws IllegalArgumentException naming the field to change, when something is invalid
     */
    CertificateValues checked() {
        CertificateValues v = new CertificateValues();
        v.name = Names.requireObjectName("name", name);
        v.namespace = Names.requireObjectName("namespace", namespace == null ? "default" : namespace);
        v.secretName = Names.requireObjectName("secretName", secretName == null ? name : secretName);
        v.issuerRef = issuerRef;
        v.fallbackIssuerRefs = CertificateChecks.issuerRefs(v.name, issuerRef, fallbackIssuerRefs);
        v.subject = subject;
        SubjectNames names = CertificateChecks.subjectNames(v.name, new SubjectNames(dnsNames, ipAddresses,
                uris, emailAddresses, commonName), subject);
        v.dnsNames = names.dnsNames();
        v.ipAddresses = names.ipAddresses();
        v.uris = names.uris();
        v.emailAddresses = names.emailAddresses();
        v.commonName = names.commonName();
        v.duration = duration == null ? Certificate.DEFAULT_DURATION : duration;
        CertificateChecks.lifetime(v.duration, Certificate.MINIMUM_DURATION, renewBefore, renewBeforePercentage);
        v.renewBefore = renewBefore;
        v.renewBeforePercentage = renewBeforePercentage;
        v.privateKey = privateKey == null ? PrivateKeySpec.defaults() : privateKey;
        v.signatureAlgorithm = CertificateChecks.signatureAlgorithm(v.privateKey, signatureAlgorithm);
        v.secretTemplate = secretTemplate;
        v.usages = usages == null ? CertificateChecks.defaultUsages(v.privateKey.algorithm()) : Set.copyOf(usages);
        v.isCA = isCA;
        v.labels = labels;
        v.additionalOutputFormats = additionalOutputFormats;
        v.keystores = keystores;
        return v;
    }

    /** @return a copy to fill further: the fields are immutable values, so a shallow copy suffices */
    CertificateValues copy() {
        try {
            return (CertificateValues) super.clone();
        } catch (CloneNotSupportedException e) {
            throw new AssertionError("CertificateValues is Cloneable", e);
        }
    }

    /** @return every field, for {@link Certificate#equals(Object)} and {@link Certificate#hashCode()} */
    List<Object> asList() {
        return Arrays.asList(name, namespace, secretName, issuerRef, fallbackIssuerRefs, commonName, subject,
                dnsNames, ipAddresses, uris, emailAddresses, duration, renewBefore, renewBeforePercentage, privateKey,
                signatureAlgorithm, usages, isCA, labels, additionalOutputFormats, secretTemplate, keystores);
    }
}
