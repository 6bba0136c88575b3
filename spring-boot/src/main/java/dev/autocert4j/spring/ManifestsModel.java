package dev.autocert4j.spring;

import dev.autocert4j.Certificate;
import dev.autocert4j.CertificateManager;
import java.util.List;
import java.util.Set;
import java.util.function.UnaryOperator;
import org.springframework.core.env.Environment;
import org.springframework.core.io.ResourceLoader;
import org.springframework.util.ClassUtils;

/**
 * What {@code autocert4j.manifests.*} adds to the manager: issuers with their solvers, and certificates. Touches
 * autocert4j-manifests only when locations are set, so the starter runs without that jar otherwise.
 */
final class ManifestsModel {
    static final String LOCATIONS = "autocert4j.manifests.locations";

    /** Registers the manifests' issuers (each ACME issuer with its own solvers) with a manager's builder. */
    final UnaryOperator<CertificateManager.Builder> applyTo;
    /** The manifests' Certificates. */
    final List<Certificate> certificates;
    /** The names of the manifests' issuers. */
    final Set<String> issuerNames;

    ManifestsModel(UnaryOperator<CertificateManager.Builder> applyTo, List<Certificate> certificates, Set<String> issuerNames) {
        this.applyTo = applyTo;
        this.certificates = List.copyOf(certificates);
        this.issuerNames = Set.copyOf(issuerNames);
    }

    /** @return nothing to add */
    static ManifestsModel none() {
        return new ManifestsModel(UnaryOperator.identity(), List.of(), Set.of());
    }

    /**
     * @param properties the bound properties
     * @param resources where locations are read from
     * @param environment where secret references are looked up
     * @param customizers the application's adjustments
     * @param namespace the namespace of the properties' certificates
     * @return what the manifests configure, {@link #none()} without locations
     */
    static ManifestsModel load(Autocert4jProperties properties, ResourceLoader resources, Environment environment,
            List<Autocert4jManifestsCustomizer> customizers, String namespace) {
        ManifestsProperties manifests = properties.getManifests();
        if (manifests.getLocations().isEmpty()) {
            return none();
        }
        if (!ClassUtils.isPresent("dev.autocert4j.manifests.Manifests", resources.getClassLoader())) {
            throw new InvalidAutocert4jPropertyException(LOCATIONS, "reading cert-manager manifests needs autocert4j-manifests, which is not on the class path",
                    "add the dependency dev.autocert4j:autocert4j-manifests (no version: the autocert4j BOM has it), or remove " + LOCATIONS);
        }
        ManifestsModel loaded = ManifestsLoader.load(manifests, resources, environment, customizers);
        checkConflicts(properties, loaded, namespace);
        return loaded;
    }

    /** A name defined both in properties and in manifests is a mistake, not an override: say which property it is. */
    private static void checkConflicts(Autocert4jProperties properties, ManifestsModel loaded, String namespace) {
        for (String issuer : properties.getIssuers().keySet()) {
            if (loaded.issuerNames.contains(issuer)) {
                String property = "autocert4j.issuers." + issuer;
                throw new InvalidAutocert4jPropertyException(property, "the manifests in " + LOCATIONS + " define an issuer named '" + issuer + "' too",
                        "rename " + property + " or the manifests' issuer: issuer names must be unique");
            }
        }
        for (String name : properties.getCertificates().keySet()) {
            boolean clash = loaded.certificates.stream().anyMatch(c -> c.name().equals(name) && c.namespace().equals(namespace));
            if (clash) {
                String property = "autocert4j.certificates." + name;
                throw new InvalidAutocert4jPropertyException(property, "the manifests in " + LOCATIONS
                        + " define the Certificate " + namespace + "/" + name + " too", "rename " + property + " or the manifests' Certificate");
            }
        }
    }
}
