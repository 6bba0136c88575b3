package dev.autocert4j.spring;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.autocert4j.Certificate;
import dev.autocert4j.Identifier;
import dev.autocert4j.solver.SolverSet;
import dev.autocert4j.solver.dns.Dns01Solver;
import dev.autocert4j.solver.http.Http01Solver;
import dev.autocert4j.testing.support.KnownSecrets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.core.env.MapPropertySource;
import org.springframework.core.env.StandardEnvironment;

/** How {@code autocert4j.solvers.*} and a certificate's {@code solvers} decide which solver proves which name. */
class DnsSolverPropertiesTest {
    private static final String TSIG = KnownSecrets.register("c2VjcmV0LW9mLXRoZS10ZXN0LWtleQ==");

    private final Http01Solver http01 = Http01Solver.builder().standalone("127.0.0.1", 1).build();
    private final Map<String, Object> given = new LinkedHashMap<>();
    private StandardEnvironment environment;
    private Autocert4jProperties properties;

    private DnsSolverPropertiesTest with(String key, Object value) {
        given.put(key, value);
        return this;
    }

    private SolverSet solvers() {
        environment = new StandardEnvironment();
        environment.getPropertySources().addFirst(new MapPropertySource("test", given));
        properties = Binder.get(environment).bind("autocert4j", Autocert4jProperties.class).get();
        return new SolverSet(SolversModel.solvers(properties, environment, getClass().getClassLoader(), http01));
    }

    private Certificate certificate(String name) {
        return PropertiesModel.certificates(properties).stream().filter(c -> c.name().equals(name)).findFirst().orElseThrow();
    }

    private DnsSolverPropertiesTest twoRfc2136Solvers() {
        return with("autocert4j.issuers.internal.self-signed", "true")
                .with("autocert4j.solvers.first.dns01.rfc2136.nameserver", "127.0.0.1:5301")
                .with("autocert4j.solvers.second.dns01.rfc2136.nameserver", "127.0.0.1:5302")
                .with("autocert4j.solvers.second.dns01.rfc2136.tsig-key-name", "acme-update")
                .with("autocert4j.solvers.second.dns01.rfc2136.tsig-secret", TSIG);
    }

    private static Dns01Solver dns01(SolverSet set, int index) {
        return (Dns01Solver) set.entries().get(index).solver();
    }

    @Test
    void namedSolversComeFirstAndTheHttp01ResponderLast() {
        SolverSet set = twoRfc2136Solvers().with("autocert4j.certificates.www.dns-names", "www.example.test, *.example.test").solvers();

        assertThat(set.entries()).hasSize(3);
        assertThat(set.entries().get(2).solver()).isSameAs(http01);
        Certificate www = certificate("www");
        assertThat(set.select(Identifier.dns("www.example.test"), www)).as("first configured among equals").containsSame(dns01(set, 0));
        assertThat(set.select(Identifier.dns("*.example.test"), www)).containsSame(dns01(set, 0));
    }

    @Test
    void certificateThatNamesItsSolversIsServedOnlyByThem() {
        SolverSet set = twoRfc2136Solvers()
                .with("autocert4j.certificates.www.dns-names", "www.example.test, *.example.test")
                .with("autocert4j.certificates.www.solvers", "second")
                .with("autocert4j.certificates.plain.dns-names", "plain.example.test")
                .with("autocert4j.certificates.plain.solvers", "http01").solvers();

        assertThat(set.select(Identifier.dns("*.example.test"), certificate("www"))).containsSame(dns01(set, 1));
        assertThat(set.select(Identifier.dns("www.example.test"), certificate("www"))).containsSame(dns01(set, 1));
        assertThat(set.select(Identifier.dns("plain.example.test"), certificate("plain"))).containsSame(http01);
    }

    @Test
    void wildcardOfACertificateLimitedToHttp01HasNoSolver() {
        SolverSet set = twoRfc2136Solvers().with("autocert4j.certificates.www.dns-names", "*.example.test")
                .with("autocert4j.certificates.www.solvers", "http01").solvers();

        assertThatThrownBy(() -> set.requireSolverForEveryIdentifier(certificate("www")))
                .hasMessageContaining("*.example.test").hasMessageContaining("DNS-01");
    }

    @Test
    void selectorZonesAndNamesWinOverAnEmptySelector() {
        SolverSet set = twoRfc2136Solvers()
                .with("autocert4j.solvers.second.selector.dns-zones", "example.org")
                .with("autocert4j.certificates.www.dns-names", "www.example.test, www.example.org")
                .solvers();

        assertThat(set.select(Identifier.dns("www.example.org"), certificate("www"))).containsSame(dns01(set, 1));
        assertThat(set.select(Identifier.dns("www.example.test"), certificate("www"))).containsSame(dns01(set, 0));
    }

    @Test
    void aDnsNamesMatchWinsOverAZoneMatch() {
        SolverSet set = twoRfc2136Solvers()
                .with("autocert4j.solvers.first.selector.dns-zones", "example.org")
                .with("autocert4j.solvers.second.selector.dns-names", "www.example.org")
                .with("autocert4j.certificates.www.dns-names", "www.example.org, api.example.org")
                .solvers();

        assertThat(set.select(Identifier.dns("www.example.org"), certificate("www"))).containsSame(dns01(set, 1));
        assertThat(set.select(Identifier.dns("api.example.org"), certificate("www"))).containsSame(dns01(set, 0));
    }

    @Test
    void certificateNamingAnUnknownSolverIsRefusedNamingTheProperty() {
        twoRfc2136Solvers().with("autocert4j.certificates.www.dns-names", "www.example.test")
                .with("autocert4j.certificates.www.solvers", "thrid").solvers();

        assertThatThrownBy(() -> certificate("www")).isInstanceOfSatisfying(InvalidAutocert4jPropertyException.class, e -> {
            assertThat(e.property()).isEqualTo("autocert4j.certificates.www.solvers");
            assertThat(e.getMessage()).contains("no solver is named 'thrid'");
            assertThat(e.action()).contains("[first, second, http01]");
        });
    }

    @Test
    void dns01SettingsReachTheSolver() {
        SolverSet set = with("autocert4j.solvers.bind.dns01.rfc2136.nameserver", "127.0.0.1:5301")
                .with("autocert4j.solvers.bind.dns01.resolvers[0]", "127.0.0.1:5301") // a YAML list
                .with("autocert4j.solvers.bind.dns01.resolvers[1]", "[::1]:5302")
                .with("autocert4j.solvers.bind.selector.dns-zones[0]", "example.test")
                .solvers();

        assertThat(dns01(set, 0).resolvers()).extracting(a -> a.getAddress().getHostAddress() + "/" + a.getPort())
                .containsExactly("127.0.0.1/5301", "0:0:0:0:0:0:0:1/5302");
    }

    @Test
    void aResolverGivenAsHostNameIsRefused() {
        with("autocert4j.solvers.bind.dns01.rfc2136.nameserver", "127.0.0.1")
                .with("autocert4j.solvers.bind.dns01.resolvers", "dns.example.test");

        assertThatThrownBy(this::solvers).isInstanceOfSatisfying(InvalidAutocert4jPropertyException.class,
                e -> assertThat(e.property()).isEqualTo("autocert4j.solvers.bind.dns01.resolvers"));
    }

    @Test
    void aMisspeltSettingIsRefusedNamingIt() {
        with("autocert4j.solvers.bind.dns01.rfc2136.nameserver", "127.0.0.1")
                .with("autocert4j.solvers.bind.dns01.rfc2136.tsig-key", "acme-update");

        assertThatThrownBy(this::solvers).isInstanceOfSatisfying(InvalidAutocert4jPropertyException.class, e -> {
            assertThat(e.property()).isEqualTo("autocert4j.solvers.bind.dns01.rfc2136.tsig-key");
            assertThat(e.action()).contains("tsig-key-name");
        });
    }

    @Test
    void aSolverNamedHttp01IsRefused() {
        with("autocert4j.solvers.http01.dns01.rfc2136.nameserver", "127.0.0.1");

        assertThatThrownBy(this::solvers).isInstanceOfSatisfying(InvalidAutocert4jPropertyException.class,
                e -> assertThat(e.property()).isEqualTo("autocert4j.solvers.http01"));
    }

    @Test
    void twoProvidersInOneSolverAreRefused() {
        with("autocert4j.solvers.dns.dns01.rfc2136.nameserver", "127.0.0.1")
                .with("autocert4j.solvers.dns.dns01.cloudflare.api-token", "unused");

        assertThatThrownBy(this::solvers).isInstanceOfSatisfying(InvalidAutocert4jPropertyException.class, e -> {
            assertThat(e.property()).isEqualTo("autocert4j.solvers.dns.dns01");
            assertThat(e.getMessage()).contains("two DNS providers");
        });
    }

    @Test
    void secretsAreHiddenInToString() {
        String token = KnownSecrets.register("cf-token-" + java.util.UUID.randomUUID());
        String key = KnownSecrets.register("cf-key-" + java.util.UUID.randomUUID());
        SolverProperties solver = new SolverProperties();
        solver.getDns01().getCloudflare().setApiToken(token);
        solver.getDns01().getCloudflare().setApiKey(key);
        solver.getDns01().getCloudflare().setZoneToken(token);
        solver.getDns01().getRfc2136().setTsigSecret(TSIG);
        solver.getDns01().getRfc2136().setTsigKeyName("acme-update");

        assertThat(solver.toString()).doesNotContain(token, key, TSIG)
                .contains("apiToken=(hidden)", "apiKey=(hidden)", "tsigSecret=(hidden)", "tsigKeyName=acme-update");
        assertThat(new SolverProperties().toString()).contains("apiToken=unset", "tsigSecret=unset");
        assertThat(List.of(solver)).asString().doesNotContain(token);
    }
}
