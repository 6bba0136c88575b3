package dev.autocert4j.spring;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** IDEs complete {@code autocert4j.*} from the metadata the configuration processor writes at build time. */
class ConfigurationMetadataTest {
    private String metadata() throws IOException {
        try (InputStream in = getClass().getResourceAsStream("/META-INF/spring-configuration-metadata.json")) {
            assertThat(in).as("META-INF/spring-configuration-metadata.json").isNotNull();
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    @Test
    void metadataDescribesTheKeyCaKubernetesAndManifestsProperties() throws IOException {
        String metadata = metadata();
        assertThat(metadata)
                .contains("\"name\": \"autocert4j.store.kubernetes.enabled\"", "\"name\": \"autocert4j.store.kubernetes.namespace\"")
                .contains("\"name\": \"autocert4j.store.kubernetes.cluster-resource-namespace\"", "\"defaultValue\": \"cert-manager\"")
                .contains("\"name\": \"autocert4j.manifests.locations\"", "\"name\": \"autocert4j.manifests.acme-server-override\"")
                .contains("\"name\": \"autocert4j.manifests.trusted-certificates\"", "\"name\": \"autocert4j.manifests.secrets-directory\"");
        // issuers and certificates are maps: IDEs complete their values (ca.*, private-key.*, ...) from the value type
        assertThat(metadata).contains("dev.autocert4j.spring.Autocert4jProperties$CertificateSpec")
                .contains("dev.autocert4j.spring.Autocert4jProperties$Issuer");
    }

    @Test
    void metadataDescribesThePropertiesWithTheirDefaults() throws IOException {
        String metadata = metadata();
        assertThat(metadata)
                .contains("\"name\": \"autocert4j.certificates\"")
                .contains("\"name\": \"autocert4j.issuers\"")
                .contains("\"name\": \"autocert4j.http01.port\"")
                .contains("\"name\": \"autocert4j.ssl.bundle\"")
                .contains("\"name\": \"autocert4j.startup\"")
                .contains("\"defaultValue\": \"autocert4j\"")
                .contains("The directory of the file store")
                .as("the health indicator's switch, as Spring Boot's own indicators have it")
                .contains("\"name\": \"management.health.autocert4j.enabled\"");
    }

    @Test
    void metadataDescribesTheDnsSolversAndTheirValueTypeForCompletionOfTheirKeys() throws IOException {
        // As for issuers and certificates, a map: IDEs complete dns01.rfc2136.tsig-secret and the rest under a
        // solver's name from the value type, SolverProperties, and its javadoc.
        assertThat(metadata())
                .contains("\"name\": \"autocert4j.solvers\"")
                .contains("\"type\": \"java.util.Map<java.lang.String,dev.autocert4j.spring.SolverProperties>\"")
                .contains("DNS-01 solvers by name");
    }
}
