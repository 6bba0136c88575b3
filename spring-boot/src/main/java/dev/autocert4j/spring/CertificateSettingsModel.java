package dev.autocert4j.spring;

import dev.autocert4j.Certificate;
import dev.autocert4j.CertificateSubject;
import dev.autocert4j.KeyAlgorithm;
import dev.autocert4j.KeyEncoding;
import dev.autocert4j.KeyUsage;
import dev.autocert4j.PrivateKeySpec;
import dev.autocert4j.RotationPolicy;
import java.util.List;

/**
 * Turns a certificate's key, lifetime, usage and subject properties into {@link Certificate.Builder} calls; each
 * mistake is an {@link InvalidAutocert4jPropertyException} naming the property and the values it accepts.
 */
final class CertificateSettingsModel {
    private CertificateSettingsModel() {
    }

    /**
     * @param prefix the certificate's property prefix, {@code autocert4j.certificates.<name>}
     * @param spec its bound properties
     * @param builder the certificate's builder
     */
    static void apply(String prefix, Autocert4jProperties.CertificateSpec spec, Certificate.Builder builder) {
        if (spec.getDuration() != null) {
            PropertiesModel.apply(prefix + ".duration", () -> builder.duration(spec.getDuration()));
        }
        if (spec.getCommonName() != null) {
            PropertiesModel.apply(prefix + ".common-name", () -> builder.commonName(spec.getCommonName()));
        }
        if (!spec.getUsages().isEmpty()) {
            PropertiesModel.apply(prefix + ".usages", () -> builder.usages(spec.getUsages().toArray(KeyUsage[]::new)));
        }
        CertificateKeyProperties key = spec.getPrivateKey();
        if (key.getAlgorithm() != null || key.getSize() != null || key.getEncoding() != null || key.getRotationPolicy() != null) {
            PrivateKeySpec privateKey = privateKey(prefix + ".private-key", key);
            builder.privateKey(privateKey);
        }
        CertificateSubjectProperties subject = spec.getSubject();
        if (hasAttributes(subject)) {
            CertificateSubject built = PropertiesModel.apply(prefix + ".subject", () -> subject(subject));
            builder.subject(built);
        }
    }

    /** cert-manager's defaults for what is unset, except the algorithm: ECDSA, as the core's default. */
    private static PrivateKeySpec privateKey(String prefix, CertificateKeyProperties key) {
        KeyAlgorithm algorithm = key.getAlgorithm() != null ? key.getAlgorithm() : KeyAlgorithm.ECDSA;
        int size = key.getSize() != null ? key.getSize() : switch (algorithm) {
            case RSA -> PrivateKeySpec.MIN_RSA_BITS;
            case ECDSA -> 256;
            case ED25519 -> 0;
        };
        KeyEncoding encoding = key.getEncoding() != null ? key.getEncoding()
                : algorithm == KeyAlgorithm.ED25519 ? KeyEncoding.PKCS8 : KeyEncoding.PKCS1;
        RotationPolicy rotation = key.getRotationPolicy() != null ? key.getRotationPolicy() : RotationPolicy.ALWAYS;
        try {
            return new PrivateKeySpec(algorithm, size, encoding, rotation);
        } catch (IllegalArgumentException e) {
            // the core's message says what is accepted for this algorithm; name the field it is about
            String field = e.getMessage().startsWith("privateKey.encoding") ? "encoding" : "size";
            throw new InvalidAutocert4jPropertyException(prefix + "." + field,
                    e.getMessage().replace("privateKey." + field, algorithm + " " + field),
                    field.equals("encoding") ? "use PKCS8 for Ed25519 keys" : "use a size the message names, or leave "
                            + prefix + ".size unset for the algorithm's default");
        }
    }

    private static boolean hasAttributes(CertificateSubjectProperties subject) {
        return !subject.getOrganizations().isEmpty() || !subject.getCountries().isEmpty()
                || !subject.getOrganizationalUnits().isEmpty() || !subject.getLocalities().isEmpty()
                || !subject.getProvinces().isEmpty() || !subject.getStreetAddresses().isEmpty()
                || !subject.getPostalCodes().isEmpty() || subject.getSerialNumber() != null;
    }

    private static CertificateSubject subject(CertificateSubjectProperties subject) {
        CertificateSubject.Builder builder = CertificateSubject.builder();
        set(subject.getOrganizations(), builder::organizations);
        set(subject.getCountries(), builder::countries);
        set(subject.getOrganizationalUnits(), builder::organizationalUnits);
        set(subject.getLocalities(), builder::localities);
        set(subject.getProvinces(), builder::provinces);
        set(subject.getStreetAddresses(), builder::streetAddresses);
        set(subject.getPostalCodes(), builder::postalCodes);
        if (subject.getSerialNumber() != null) {
            builder.serialNumber(subject.getSerialNumber());
        }
        return builder.build();
    }

    private static void set(List<String> values, java.util.function.Function<String[], CertificateSubject.Builder> setter) {
        if (!values.isEmpty()) {
            setter.apply(values.toArray(String[]::new));
        }
    }
}
