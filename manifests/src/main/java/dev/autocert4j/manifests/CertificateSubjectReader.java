package dev.autocert4j.manifests;

import static dev.autocert4j.manifests.Fields.wrap;
import static dev.autocert4j.manifests.Fields.wrapGet;

import dev.autocert4j.Certificate;
import dev.autocert4j.CertificateSubject;
import dev.autocert4j.SecretTemplate;
import dev.autocert4j.SignatureAlgorithm;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;

/**
 * Reads a Certificate's {@code subject}, {@code literalSubject}, {@code uris}, {@code emailAddresses},
 * {@code signatureAlgorithm} and {@code secretTemplate}, with the field names of cert-manager's
 * {@code pkg/apis/certmanager/v1/types_certificate.go}. Stateless.
 */
final class CertificateSubjectReader {
    private CertificateSubjectReader() {
    }

    static void read(YamlObject spec, Certificate.Builder b) {
        Optional<YamlObject> subject = spec.object("subject");
        Optional<String> literal = spec.string("literalSubject");
        if (subject.isPresent() && literal.isPresent()) {
            throw spec.error("literalSubject", "is set together with subject: when providing a literalSubject no subject "
                    + "properties may be provided (as cert-manager's webhook says); move them into literalSubject");
        }
        if (subject.isPresent()) {
            CertificateSubject s = attributes(subject.get());
            wrap(spec, "subject", () -> b.subject(s));
        }
        literal.ifPresent(l -> b.subject(wrapGet(spec, "literalSubject", () -> CertificateSubject.literal(l))));
        List<String> uris = spec.strings("uris");
        wrap(spec, "uris", () -> b.uris(uris.toArray(String[]::new)));
        List<String> emails = spec.strings("emailAddresses");
        wrap(spec, "emailAddresses", () -> b.emailAddresses(emails.toArray(String[]::new)));
        spec.string("signatureAlgorithm").ifPresent(name -> b.signatureAlgorithm(SignatureAlgorithm.fromManifestName(name)
                .orElseThrow(() -> spec.error("signatureAlgorithm", "'" + name + "' is not supported: use one of "
                        + Arrays.stream(SignatureAlgorithm.values()).map(SignatureAlgorithm::manifestName).toList()))));
        spec.object("secretTemplate").ifPresent(t -> {
            SecretTemplate template = wrapGet(spec, "secretTemplate",
                    () -> new SecretTemplate(t.stringMap("annotations"), t.stringMap("labels")));
            t.done();
            b.secretTemplate(template);
        });
    }

    private static CertificateSubject attributes(YamlObject s) {
        CertificateSubject.Builder b = CertificateSubject.builder();
        CertificateSubject subject = wrapGet(s, "subject", () -> {
            b.organizations(s.strings("organizations").toArray(String[]::new));
            b.countries(s.strings("countries").toArray(String[]::new));
            b.organizationalUnits(s.strings("organizationalUnits").toArray(String[]::new));
            b.localities(s.strings("localities").toArray(String[]::new));
            b.provinces(s.strings("provinces").toArray(String[]::new));
            b.streetAddresses(s.strings("streetAddresses").toArray(String[]::new));
            b.postalCodes(s.strings("postalCodes").toArray(String[]::new));
            s.string("serialNumber").filter(n -> !n.isEmpty()).ifPresent(b::serialNumber);
            return b.build();
        });
        s.done();
        return subject;
    }
}
