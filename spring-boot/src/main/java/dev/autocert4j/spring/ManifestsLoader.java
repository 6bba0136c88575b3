package dev.autocert4j.spring;

import dev.autocert4j.issuer.Issuer;
import dev.autocert4j.manifests.ManifestException;
import dev.autocert4j.manifests.ManifestOptions;
import dev.autocert4j.manifests.Manifests;
import dev.autocert4j.manifests.SecretResolver;
import dev.autocert4j.store.Pem;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.stream.Collectors;
import org.springframework.core.env.Environment;
import org.springframework.core.io.Resource;
import org.springframework.core.io.ResourceLoader;

/**
 * Reads {@code autocert4j.manifests.*} with autocert4j-manifests; only {@link ManifestsModel} calls it, after
 * checking that the jar is there. Secret references are looked up in Spring's environment under the names
 * {@link SecretResolver#environment()} uses ({@code CLOUDFLARE_APIKEY_APIKEY}), so environment variables and
 * application properties both work, then in {@code secrets-directory}.
 */
final class ManifestsLoader {
    /** Manifests are a few kilobytes; this bounds what a wrong location makes the starter read. */
    private static final int MAX_BYTES = 4 * 1024 * 1024;

    private ManifestsLoader() {
    }

    static ManifestsModel load(ManifestsProperties properties, ResourceLoader resources, Environment environment,
            List<Autocert4jManifestsCustomizer> customizers) {
        String prefix = "autocert4j.manifests";
        ManifestOptions.Builder options = ManifestOptions.builder().secrets(secrets(properties, environment));
        if (properties.getAcmeServerOverride() != null) {
            PropertiesModel.apply(prefix + ".acme-server-override", () -> options.acmeServerOverride(properties.getAcmeServerOverride()));
        }
        if (!properties.getTrustedCertificates().isEmpty()) {
            List<X509Certificate> anchors = new ArrayList<>();
            for (Path file : properties.getTrustedCertificates()) {
                anchors.addAll(certificates(prefix + ".trusted-certificates", file));
            }
            options.trustedCertificates(anchors.toArray(X509Certificate[]::new));
        }
        customizers.forEach(customizer -> customizer.customize(options));
        String yaml = properties.getLocations().stream().map(location -> read(resources, location))
                .collect(Collectors.joining("\n---\n"));
        Manifests manifests;
        try {
            manifests = Manifests.parse(yaml, String.join(", ", properties.getLocations()), options.build());
        } catch (ManifestException e) {
            throw new InvalidAutocert4jPropertyException(ManifestsModel.LOCATIONS, e.getMessage(),
                    "correct the manifest the message names, or remove it from " + ManifestsModel.LOCATIONS);
        }
        return new ManifestsModel(manifests::applyTo, manifests.certificates(),
                manifests.issuers().stream().map(Issuer::name).collect(Collectors.toSet()));
    }

    private static SecretResolver secrets(ManifestsProperties properties, Environment environment) {
        SecretResolver fromEnvironment = new SecretResolver() {
            @Override
            public Optional<String> resolve(dev.autocert4j.manifests.SecretRef ref) {
                return Optional.ofNullable(environment.getProperty(SecretResolver.environmentVariable(ref)));
            }

            @Override
            public String toString() {
                return "Spring environment";
            }
        };
        return properties.getSecretsDirectory() == null ? fromEnvironment
                : SecretResolver.firstOf(fromEnvironment, SecretResolver.directory(properties.getSecretsDirectory()));
    }

    private static String read(ResourceLoader resources, String location) {
        Resource resource = resources.getResource(location);
        if (!resource.exists()) {
            throw new InvalidAutocert4jPropertyException(ManifestsModel.LOCATIONS, location + " does not exist",
                    "name manifest files as classpath:<resource>, file:<path> or a plain path");
        }
        try (InputStream in = resource.getInputStream()) {
            byte[] bytes = in.readNBytes(MAX_BYTES + 1);
            if (bytes.length > MAX_BYTES) {
                throw new InvalidAutocert4jPropertyException(ManifestsModel.LOCATIONS, location + " is larger than " + MAX_BYTES + " bytes",
                        "name cert-manager manifest files, a few kilobytes each");
            }
            return new String(bytes, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new InvalidAutocert4jPropertyException(ManifestsModel.LOCATIONS, "cannot read " + location + ": " + e.getMessage(),
                    "name readable manifest files");
        }
    }

    private static List<X509Certificate> certificates(String property, Path file) {
        try (InputStream in = Files.newInputStream(file)) {
            return Pem.decodeChain(new String(in.readNBytes(MAX_BYTES), StandardCharsets.US_ASCII));
        } catch (IOException | Pem.InvalidPemException e) {
            throw new InvalidAutocert4jPropertyException(property, "cannot read " + file + ": " + e.getMessage(),
                    "name readable PEM files of CA certificates");
        }
    }
}
