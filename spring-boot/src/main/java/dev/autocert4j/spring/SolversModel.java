package dev.autocert4j.spring;

import dev.autocert4j.solver.Solver;
import dev.autocert4j.solver.SolverSelector;
import dev.autocert4j.solver.SolverSet;
import dev.autocert4j.solver.dns.CnameStrategy;
import dev.autocert4j.solver.dns.Dns01Solver;
import dev.autocert4j.solver.dns.DnsProvider;
import dev.autocert4j.solver.dns.DnsProviders;
import dev.autocert4j.solver.dns.rfc2136.Rfc2136ProviderFactory;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.function.Supplier;
import org.springframework.boot.context.properties.bind.Bindable;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.core.env.Environment;
import org.springframework.util.ClassUtils;

/**
 * Turns {@code autocert4j.solvers.*} into solvers with their selectors, and a certificate's
 * {@code solvers} list into the labels those selectors match. Every solver, the HTTP-01 responder included
 * (named {@value #HTTP01}), selects by one label of its own, which a certificate carries when that solver may
 * serve it; with one label each, cert-manager's precedence (dnsNames match, then the longest zone) still
 * decides among the allowed solvers, and configuration order among equals: the named solvers first, HTTP-01
 * last. Every mistake is an {@link InvalidAutocert4jPropertyException} naming the property; secrets are never
 * part of a message.
 */
final class SolversModel {
    /** The name a certificate's {@code solvers} list uses for the HTTP-01 responder. */
    static final String HTTP01 = "http01";
    private static final String SOLVERS = "autocert4j.solvers";
    private static final String LABEL = "solver.autocert4j.dev/";
    private static final String CLOUDFLARE_CLASS = "dev.autocert4j.solver.dns.cloudflare.CloudflareDnsProvider";
    private static final String CLOUDFLARE_ARTIFACT = "dev.autocert4j:autocert4j-solvers-dns-cloudflare";
    /** Settings of {@code dns01} itself; any other key there is a provider's name. */
    private static final Set<String> DNS01_SETTINGS = Set.of("rfc2136", "cloudflare", "zones", "resolvers",
            "nameserverport", "cnamestrategy", "propagationtimeout", "pollinterval");
    /** What binds below a solver's name, by path; Spring would drop a misspelt key without a word. */
    private static final Map<String, Set<String>> SETTINGS = Map.of(
            "", Set.of("dns01", "selector"),
            ".selector", Set.of("dns-names", "dns-zones"),
            ".dns01.rfc2136", Set.of("nameserver", "tsig-key-name", "tsig-algorithm", "tsig-secret"),
            ".dns01.cloudflare", Set.of("api-token", "api-key", "email", "zone-token", "base-url"));

    private SolversModel() {
    }

    /**
     * @param properties the bound properties
     * @param environment where they came from: provider names that no field binds are found here
     * @param loader the application's class loader, where optional providers are looked for
     * @param http01 the HTTP-01 responder, the last solver
     * @return every solver with its selector, in configuration order
     */
    static List<SolverSet.Entry> solvers(Autocert4jProperties properties, Environment environment, ClassLoader loader,
            Solver http01) {
        List<SolverSet.Entry> entries = new ArrayList<>();
        // Spring binds no entry for a solver whose keys it does not know (dns01.route53.*): it would vanish silently.
        Map<String, SolverProperties> solvers = new LinkedHashMap<>(properties.getSolvers());
        given(environment, SOLVERS).keySet().forEach(name -> solvers.putIfAbsent(name, new SolverProperties()));
        solvers.forEach((name, solver) -> {
            String prefix = SOLVERS + "." + name;
            if (name.equalsIgnoreCase(HTTP01)) {
                throw new InvalidAutocert4jPropertyException(prefix, "'" + HTTP01 + "' names the HTTP-01 responder",
                        "give this solver another name");
            }
            rejectUnknownProviders(prefix + ".dns01", environment);
            SETTINGS.forEach((path, known) -> rejectUnknownSettings(prefix + path, known, environment));
            entries.add(new SolverSet.Entry(selector(prefix + ".selector", name, solver.getSelector()),
                    dns01(prefix + ".dns01", solver.getDns01(), loader)));
        });
        entries.add(new SolverSet.Entry(new SolverSelector(Set.of(), Set.of(), Map.of(LABEL + HTTP01, "true")), http01));
        return entries;
    }

    /**
     * @param properties the bound properties
     * @param property the certificate's {@code solvers} property
     * @param chosen the solvers it names; every solver when empty
     * @return the labels that let exactly these solvers serve the certificate
     */
    static Map<String, String> certificateLabels(Autocert4jProperties properties, String property, List<String> chosen) {
        Set<String> known = new LinkedHashSet<>(properties.getSolvers().keySet());
        known.add(HTTP01);
        Map<String, String> labels = new LinkedHashMap<>();
        for (String name : chosen.isEmpty() ? known : chosen) {
            if (!known.contains(name)) {
                throw new InvalidAutocert4jPropertyException(property, "no solver is named '" + name + "'",
                        "name solvers from " + known + " (" + HTTP01 + " is the HTTP-01 responder), or configure "
                                + SOLVERS + "." + name);
            }
            labels.put(LABEL + name, "true");
        }
        return labels;
    }

    private static SolverSelector selector(String property, String name, SolverProperties.Selector selector) {
        return apply(property, () -> new SolverSelector(new LinkedHashSet<>(selector.getDnsNames()),
                new LinkedHashSet<>(selector.getDnsZones()), Map.of(LABEL + name, "true")));
    }

    /** Spring binds only the providers it knows; a key such as {@code dns01.route53} would vanish silently. */
    private static void rejectUnknownProviders(String prefix, Environment environment) {
        for (String key : given(environment, prefix).keySet()) {
            if (!DNS01_SETTINGS.contains(canonical(key))) {
                throw new InvalidAutocert4jPropertyException(prefix + "." + key, "there is no DNS provider named '" + key + "'",
                        "use " + prefix + ".rfc2136 or " + prefix + ".cloudflare (with " + CLOUDFLARE_ARTIFACT + ")");
            }
        }
    }

    private static void rejectUnknownSettings(String prefix, Set<String> known, Environment environment) {
        for (String key : given(environment, prefix).keySet()) {
            if (known.stream().map(SolversModel::canonical).noneMatch(canonical(key)::equals)) {
                throw new InvalidAutocert4jPropertyException(prefix + "." + key, "there is no such setting",
                        "use one of " + known.stream().sorted().toList());
            }
        }
    }

    /** @return the key as relaxed binding compares it: no dashes, lower case, no list index */
    private static String canonical(String key) {
        return key.replaceAll("\\[.*$", "").replace("-", "").toLowerCase(Locale.ROOT);
    }

    /** @return the keys given under {@code prefix}, each with what is under it */
    private static Map<String, Object> given(Environment environment, String prefix) {
        return Binder.get(environment).bind(prefix, Bindable.mapOf(String.class, Object.class)).orElse(Map.of());
    }

    private static Dns01Solver dns01(String prefix, SolverProperties.Dns01 dns01, ClassLoader loader) {
        boolean rfc2136 = dns01.getRfc2136().isConfigured();
        boolean cloudflare = dns01.getCloudflare().isConfigured();
        if (rfc2136 == cloudflare) {
            throw new InvalidAutocert4jPropertyException(prefix, rfc2136 ? "two DNS providers are configured" : "no DNS provider is configured",
                    "configure exactly one of " + prefix + ".rfc2136.* and " + prefix + ".cloudflare.*");
        }
        DnsProvider provider = rfc2136 ? Rfc2136Settings.provider(prefix + ".rfc2136", dns01.getRfc2136())
                : cloudflare(prefix + ".cloudflare", dns01.getCloudflare(), loader);
        Dns01Solver.Builder builder = Dns01Solver.builder().provider(provider);
        if (!dns01.getZones().isEmpty()) {
            apply(prefix + ".zones", () -> builder.zones(dns01.getZones().toArray(String[]::new)));
        }
        if (!dns01.getResolvers().isEmpty()) {
            InetSocketAddress[] resolvers = dns01.getResolvers().stream()
                    .map(r -> address(prefix + ".resolvers", r)).toArray(InetSocketAddress[]::new);
            apply(prefix + ".resolvers", () -> builder.resolvers(resolvers));
        }
        if (dns01.getNameserverPort() != null) {
            apply(prefix + ".nameserver-port", () -> builder.nameserverPort(dns01.getNameserverPort()));
        }
        if (dns01.getCnameStrategy() != null) {
            apply(prefix + ".cname-strategy", () -> builder.cnameStrategy(cnameStrategy(prefix + ".cname-strategy", dns01.getCnameStrategy())));
        }
        if (dns01.getPropagationTimeout() != null) {
            apply(prefix + ".propagation-timeout", () -> builder.propagationTimeout(dns01.getPropagationTimeout()));
        }
        if (dns01.getPollInterval() != null) {
            apply(prefix + ".poll-interval", () -> builder.pollInterval(dns01.getPollInterval()));
        }
        return apply(prefix, builder::build);
    }

    private static DnsProvider cloudflare(String prefix, SolverProperties.Cloudflare settings, ClassLoader loader) {
        if (!ClassUtils.isPresent(CLOUDFLARE_CLASS, loader)) {
            throw new InvalidAutocert4jPropertyException(prefix, "the Cloudflare DNS provider is not on the class path",
                    "add the dependency " + CLOUDFLARE_ARTIFACT + " (version from autocert4j-bom), or remove " + prefix);
        }
        Map<String, String> config = new LinkedHashMap<>();
        if (settings.getApiToken() != null) {
            if (settings.getApiKey() != null || settings.getEmail() != null) {
                throw new InvalidAutocert4jPropertyException(prefix + ".api-token", "both an API token and an API key are set",
                        "set either " + prefix + ".api-token, or " + prefix + ".api-key and " + prefix + ".email");
            }
            config.put("apiToken", Secrets.required(prefix + ".api-token", settings.getApiToken()));
        } else if (settings.getApiKey() != null && settings.getEmail() != null) {
            config.put("apiKey", Secrets.required(prefix + ".api-key", settings.getApiKey()));
            config.put("email", settings.getEmail());
        } else {
            String missing = settings.getApiKey() != null ? prefix + ".email" : prefix + ".api-token";
            throw new InvalidAutocert4jPropertyException(missing, "the Cloudflare provider has no credentials",
                    "set " + prefix + ".api-token (e.g. ${CLOUDFLARE_API_TOKEN}), or " + prefix + ".api-key and " + prefix + ".email");
        }
        if (settings.getZoneToken() != null) {
            config.put("zoneToken", Secrets.required(prefix + ".zone-token", settings.getZoneToken()));
        }
        if (settings.getBaseUrl() != null) {
            config.put("baseUrl", settings.getBaseUrl());
        }
        return apply(prefix, () -> DnsProviders.byName("cloudflare", config, loader));
    }

    private static CnameStrategy cnameStrategy(String property, String value) {
        try {
            return CnameStrategy.valueOf(value.strip().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new InvalidAutocert4jPropertyException(property, "'" + value + "' is not a CNAME strategy", "use none or follow");
        }
    }

    /** An IP address with an optional port ({@code 192.0.2.53:5353}, {@code [2001:db8::53]:53}); never a host name. */
    static InetSocketAddress address(String property, String value) {
        String host = value.strip();
        String port = "53";
        if (host.startsWith("[") && host.contains("]")) {
            String rest = host.substring(host.indexOf(']') + 1);
            port = rest.startsWith(":") ? rest.substring(1) : "53";
            host = host.substring(1, host.indexOf(']'));
        } else if (host.indexOf(':') > 0 && host.indexOf(':') == host.lastIndexOf(':')) {
            port = host.substring(host.indexOf(':') + 1);
            host = host.substring(0, host.indexOf(':'));
        }
        if (host.isEmpty() || !host.chars().allMatch(c -> Character.digit(c, 16) >= 0 || c == '.' || c == ':')) {
            throw new InvalidAutocert4jPropertyException(property, "'" + value + "' is not an IP address",
                    "give IP addresses, optionally with :port (host names are not resolved)");
        }
        try {
            return new InetSocketAddress(InetAddress.getByName(host), Integer.parseInt(port));
        } catch (UnknownHostException | IllegalArgumentException e) {
            throw new InvalidAutocert4jPropertyException(property, "'" + value + "' is not an IP address with a port in 1-65535",
                    "give IP addresses, optionally with :port");
        }
    }

    /** Runs a builder step, turning its IllegalArgumentException into one that names {@code property}. */
    static <T> T apply(String property, Supplier<T> step) {
        try {
            return step.get();
        } catch (InvalidAutocert4jPropertyException e) {
            throw e;
        } catch (IllegalArgumentException | IllegalStateException e) {
            throw new InvalidAutocert4jPropertyException(property, e.getMessage(), "correct " + property);
        }
    }

    /** The rfc2136 provider from its properties, through the factory core registers for it. */
    private static final class Rfc2136Settings {
        private Rfc2136Settings() {
        }

        static DnsProvider provider(String prefix, SolverProperties.Rfc2136 settings) {
            if (settings.getNameserver() == null || settings.getNameserver().isBlank()) {
                throw new InvalidAutocert4jPropertyException(prefix + ".nameserver", "the RFC 2136 provider has no nameserver",
                        "set it to the IP address (and :port unless 53) of the server that takes the updates");
            }
            Map<String, String> config = new LinkedHashMap<>();
            config.put("nameserver", settings.getNameserver());
            if (settings.getTsigKeyName() != null || settings.getTsigSecret() != null) {
                if (settings.getTsigKeyName() == null || settings.getTsigKeyName().isBlank()) {
                    throw new InvalidAutocert4jPropertyException(prefix + ".tsig-key-name", "a TSIG secret is set but no key name",
                            "set " + prefix + ".tsig-key-name to the name in the server's key statement");
                }
                config.put("tsigKeyName", settings.getTsigKeyName());
                config.put("tsigAlgorithm", settings.getTsigAlgorithm());
                config.put("tsigSecret", Secrets.required(prefix + ".tsig-secret", settings.getTsigSecret()));
            }
            try {
                return new Rfc2136ProviderFactory().create(config);
            } catch (IllegalArgumentException e) {
                String message = String.valueOf(e.getMessage());
                String property = message.contains("TSIG secret") ? prefix + ".tsig-secret"
                        : message.contains("TSIG algorithm") ? prefix + ".tsig-algorithm"
                        : message.contains("TSIG key name") ? prefix + ".tsig-key-name"
                        : message.contains("'nameserver'") ? prefix + ".nameserver" : prefix;
                throw new InvalidAutocert4jPropertyException(property, message, "correct " + property);
            }
        }
    }

    /** Checks on a secret's value that never repeat it. */
    private static final class Secrets {
        private Secrets() {
        }

        /** @return the secret, when it is set and not an unresolved placeholder */
        static String required(String property, String secret) {
            if (secret == null || secret.isBlank()) {
                throw new InvalidAutocert4jPropertyException(property, "the secret is empty",
                        "set it, best from the environment, e.g. " + property + "=${MY_SECRET}");
            }
            int start = secret.indexOf("${");
            int end = secret.indexOf('}', start + 2);
            if (start >= 0 && end > start) {
                // the placeholder's name is not the secret: say which one is missing
                String placeholder = secret.substring(start, end + 1);
                throw new InvalidAutocert4jPropertyException(property, "the placeholder " + placeholder + " is not resolved",
                        "set the environment variable or property " + placeholder.substring(2, placeholder.length() - 1)
                                .split(":", 2)[0] + ", or give " + property + " another value");
            }
            return secret;
        }
    }
}
