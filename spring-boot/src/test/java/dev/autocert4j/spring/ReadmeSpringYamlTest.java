package dev.autocert4j.spring;

import static org.assertj.core.api.Assertions.assertThat;

import dev.autocert4j.Certificate;
import dev.autocert4j.Identifier;
import dev.autocert4j.solver.SolverSet;
import dev.autocert4j.solver.http.Http01Solver;
import dev.autocert4j.testing.support.KnownSecrets;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.springframework.boot.context.properties.bind.BindHandler;
import org.springframework.boot.context.properties.bind.Bindable;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.context.properties.bind.handler.NoUnboundElementsBindHandler;
import org.springframework.boot.env.YamlPropertySourceLoader;
import org.springframework.core.env.MapPropertySource;
import org.springframework.core.env.PropertySource;
import org.springframework.core.env.StandardEnvironment;
import org.springframework.core.io.ByteArrayResource;

/** The README's Spring Boot YAML block, as written, configures the DNS-01 solvers it describes. */
class ReadmeSpringYamlTest {
    private static final String TSIG = KnownSecrets.register("cmVhZG1lLXRzaWctc2VjcmV0LWZvci10aGUtdGVzdA==");
    private static final String TOKEN = KnownSecrets.register("readme-cloudflare-token-" + java.util.UUID.randomUUID());

    private static StandardEnvironment readmeEnvironment() throws IOException {
        String readme = Files.readString(Path.of("..", "README.md"));
        int section = readme.indexOf("\n## Spring Boot\n");
        int start = readme.indexOf("```yaml\n", section) + "```yaml\n".length();
        String yaml = readme.substring(start, readme.indexOf("```", start));
        StandardEnvironment environment = new StandardEnvironment();
        for (PropertySource<?> source : new YamlPropertySourceLoader().load("README", new ByteArrayResource(yaml.getBytes(StandardCharsets.UTF_8)))) {
            environment.getPropertySources().addLast(source);
        }
        // what the environment gives in production
        environment.getPropertySources().addFirst(new MapPropertySource("env", Map.of("TSIG_SECRET", TSIG, "CLOUDFLARE_API_TOKEN", TOKEN)));
        return environment;
    }

    @Test
    void everySolverKeyInTheReadmeIsAProperty() throws IOException {
        Map<String, SolverProperties> solvers = Binder.get(readmeEnvironment())
                .bind("autocert4j.solvers", Bindable.mapOf(String.class, SolverProperties.class), new NoUnboundElementsBindHandler(BindHandler.DEFAULT))
                .get();

        assertThat(solvers).containsOnlyKeys("bind", "cf");
        assertThat(solvers.get("bind").getDns01().getRfc2136().getTsigSecret()).as("from ${TSIG_SECRET}").isEqualTo(TSIG);
    }

    @Test
    void theReadmesWildcardGoesToCloudflareAndItsOtherNamesToBind() throws IOException {
        StandardEnvironment environment = readmeEnvironment();
        Autocert4jProperties properties = Binder.get(environment).bind("autocert4j", Autocert4jProperties.class).get();
        Http01Solver http01 = Http01Solver.builder().standalone("127.0.0.1", 1).build();
        SolverSet set = new SolverSet(SolversModel.solvers(properties, environment, getClass().getClassLoader(), http01));
        Map<String, Certificate> certificates = new java.util.HashMap<>();
        PropertiesModel.certificates(properties).forEach(c -> certificates.put(c.name(), c));

        assertThat(set.entries()).hasSize(3);
        assertThat(set.select(Identifier.dns("*.example.org"), certificates.get("wildcard")))
                .containsSame(set.entries().get(1).solver());
        assertThat(set.select(Identifier.dns("www.example.com"), certificates.get("www")))
                .as("the zone selector wins over the HTTP-01 fallback").containsSame(set.entries().get(0).solver());
        set.requireSolverForEveryIdentifier(certificates.get("wildcard"));
    }
}
