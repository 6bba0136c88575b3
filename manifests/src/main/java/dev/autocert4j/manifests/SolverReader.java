package dev.autocert4j.manifests;

import static dev.autocert4j.manifests.Fields.wrapGet;

import dev.autocert4j.solver.ChallengeType;
import dev.autocert4j.solver.Solver;
import dev.autocert4j.solver.SolverSelector;
import dev.autocert4j.solver.SolverSet;
import dev.autocert4j.solver.dns.CnameStrategy;
import dev.autocert4j.solver.dns.Dns01Solver;
import dev.autocert4j.solver.dns.DnsProvider;
import dev.autocert4j.solver.dns.DnsProviders;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Reads one entry of an ACME issuer's {@code solvers}. DNS providers are made by name through
 * {@link DnsProviders}, so this module needs no provider's jar: Cloudflare's comes with
 * autocert4j-solvers-dns-cloudflare, RFC 2136's with core. HTTP-01 solvers come from the
 * {@link Http01SolverFactory} of the options. One instance per load; not thread-safe.
 */
final class SolverReader {
    private static final Pattern IPV4 = Pattern.compile("(25[0-5]|2[0-4]\\d|1?\\d?\\d)(\\.(25[0-5]|2[0-4]\\d|1?\\d?\\d)){3}");
    private static final Pattern IPV6 = Pattern.compile("[0-9A-Fa-f:.]+");

    private final ManifestOptions options;
    private final Secrets secrets;

    SolverReader(ManifestOptions options, Secrets secrets) {
        this.options = options;
        this.secrets = secrets;
    }

    SolverSet.Entry read(YamlObject s, IssuerContext ctx, int index) {
        SolverSelector selector = SolverSelector.any();
        Optional<YamlObject> sel = s.object("selector");
        if (sel.isPresent()) {
            YamlObject x = sel.get();
            List<String> names = x.strings("dnsNames");
            List<String> zones = x.strings("dnsZones");
            Map<String, String> labels = x.stringMap("matchLabels");
            x.done();
            selector = wrapGet(s, "selector", () -> new SolverSelector(new LinkedHashSet<>(names), new LinkedHashSet<>(zones), labels));
        }
        boolean dns = s.has("dns01");
        boolean http = s.has("http01");
        if (dns == http) {
            throw s.error("set exactly one of dns01 and http01");
        }
        Solver solver = dns ? dns01(s.object("dns01").orElseThrow(), ctx, index) : http01(s.object("http01").orElseThrow(), ctx);
        s.done();
        return new SolverSet.Entry(selector, solver);
    }

    private Solver dns01(YamlObject d, IssuerContext ctx, int index) {
        for (String p : List.of("route53", "cloudDNS", "azureDNS", "acmeDNS", "akamai", "digitalocean", "webhook")) {
            d.unsupported(p, "the DNS-01 providers read from manifests are cloudflare and rfc2136; for " + p
                    + " implement dev.autocert4j.solver.dns.DnsProvider and configure Dns01Solver in code");
        }
        boolean cf = d.has("cloudflare");
        boolean rfc = d.has("rfc2136");
        if (cf == rfc) {
            throw d.error("set exactly one DNS provider: cloudflare or rfc2136");
        }
        DnsProvider provider = cf ? cloudflare(d.object("cloudflare").orElseThrow(), ctx) : rfc2136(d.object("rfc2136").orElseThrow(), ctx);
        Dns01Solver.Builder b = Dns01Solver.builder().provider(provider).id(ctx.id() + " solvers[" + index + "]");
        d.string("cnameStrategy").ifPresent(c -> b.cnameStrategy(switch (c) {
            case "None" -> CnameStrategy.NONE;
            case "Follow" -> CnameStrategy.FOLLOW;
            default -> throw d.error("cnameStrategy", "'" + c + "' is not supported: use None or Follow");
        }));
        d.done();
        options.dns01Customizer().accept(b);
        return wrapGet(d, "", () -> b.build());
    }

    private DnsProvider cloudflare(YamlObject c, IssuerContext ctx) {
        Optional<String> email = c.string("email");
        Optional<YamlObject> keyRef = c.object("apiKeySecretRef");
        Optional<YamlObject> tokenRef = c.object("apiTokenSecretRef");
        if (keyRef.isPresent() == tokenRef.isPresent()) {
            throw c.error("set exactly one of apiTokenSecretRef (an API token; recommended) and apiKeySecretRef (the global API key, with email)");
        }
        Map<String, String> config = new HashMap<>();
        String credentials;
        if (tokenRef.isPresent()) {
            config.put("apiToken", secrets.value(tokenRef.get(), ctx.secretNamespace(), true, null));
            credentials = "apiTokenSecretRef";
        } else {
            String mail = email.orElseThrow(() -> c.error("email", "is required with apiKeySecretRef: the Cloudflare account's email"));
            config.put("apiKey", secrets.value(keyRef.get(), ctx.secretNamespace(), true, null));
            config.put("email", mail);
            credentials = "apiKeySecretRef";
        }
        options.cloudflareBaseUrl().ifPresent(u -> config.put("baseUrl", u.toString()));
        c.done();
        // the manifest gives only the credentials: a refused value is theirs
        return provider(c, credentials, "cloudflare", config);
    }

    private DnsProvider rfc2136(YamlObject r, IssuerContext ctx) {
        String ns = r.requiredString("nameserver");
        InetSocketAddress address = ipAndPort(ns);
        if (address == null) {
            throw r.error("nameserver", "'" + ns + "' is not an IP address with an optional port: write 192.0.2.1:53 or [2001:db8::1]:53");
        }
        Map<String, String> config = new HashMap<>();
        config.put("nameserver", "[" + address.getAddress().getHostAddress() + "]:" + address.getPort());
        Optional<String> keyName = r.string("tsigKeyName");
        String algorithm = r.string("tsigAlgorithm").orElse("HMACMD5");
        String javaAlgorithm = switch (algorithm.toUpperCase(Locale.ROOT)) {
            case "HMACMD5" -> "hmac-md5";
            case "HMACSHA1" -> "hmac-sha1";
            case "HMACSHA256" -> "hmac-sha256";
            case "HMACSHA512" -> "hmac-sha512";
            default -> throw r.error("tsigAlgorithm", "'" + algorithm + "' is not supported: use HMACMD5, HMACSHA1, HMACSHA256 or HMACSHA512");
        };
        Optional<YamlObject> secretRef = r.object("tsigSecretSecretRef");
        if (keyName.isPresent() != secretRef.isPresent()) {
            throw r.error("set both tsigKeyName and tsigSecretSecretRef, or neither");
        }
        if (keyName.isPresent()) {
            config.put("tsigKeyName", keyName.get());
            config.put("tsigAlgorithm", javaAlgorithm);
            config.put("tsigSecret", secrets.value(secretRef.get(), ctx.secretNamespace(), true, null));
        }
        r.unsupported("protocol", "updates are sent as the DNS library chooses; remove protocol");
        r.done();
        // the nameserver is checked above: a refused setting is the TSIG key's
        return provider(r, keyName.isPresent() ? "tsigSecretSecretRef" : "", "rfc2136", config);
    }

    private static DnsProvider provider(YamlObject at, String field, String name, Map<String, String> config) {
        return wrapGet(at, field, () -> DnsProviders.byName(name, config));
    }

    /** An IP literal with an optional port (53 if absent), never a host name (no DNS lookup); null if malformed. */
    static InetSocketAddress ipAndPort(String text) {
        String host = text;
        String port = null;
        if (text.startsWith("[")) {
            int close = text.indexOf(']');
            if (close < 0) {
                return null;
            }
            host = text.substring(1, close);
            String rest = text.substring(close + 1);
            if (!rest.isEmpty()) {
                if (!rest.startsWith(":")) {
                    return null;
                }
                port = rest.substring(1);
            }
        } else if (text.indexOf(':') >= 0 && text.indexOf(':') == text.lastIndexOf(':')) {
            host = text.substring(0, text.indexOf(':'));
            port = text.substring(text.indexOf(':') + 1);
        }
        boolean v4 = IPV4.matcher(host).matches();
        boolean v6 = host.contains(":") && IPV6.matcher(host).matches();
        if (!v4 && !v6) {
            return null;
        }
        int p = 53;
        if (port != null) {
            if (!port.matches("\\d{1,5}") || Integer.parseInt(port) > 65535) {
                return null;
            }
            p = Integer.parseInt(port);
        }
        try {
            return new InetSocketAddress(InetAddress.getByName(host), p);
        } catch (IOException e) {
            return null;
        }
    }

    private Solver http01(YamlObject h, IssuerContext ctx) {
        h.unsupported("gatewayHTTPRoute", "only http01.ingress is read; route the challenge path to the application yourself");
        YamlObject i = h.object("ingress").orElseThrow(() -> h.error("ingress", "is required"));
        Optional<String> name = i.string("name");
        Optional<String> cls = i.string("class");
        Optional<String> className = i.string("ingressClassName");
        Optional<String> serviceType = i.string("serviceType");
        serviceType.filter(t -> !t.equals("NodePort") && !t.equals("ClusterIP")).ifPresent(t -> {
            throw i.error("serviceType", "'" + t + "' is not supported: use NodePort or ClusterIP");
        });
        Map<String, String> labels = Map.of();
        Map<String, String> annotations = Map.of();
        Optional<YamlObject> template = i.object("ingressTemplate");
        if (template.isPresent()) {
            YamlObject meta = template.get().object("metadata").orElseThrow(() -> template.get().error("metadata", "is required"));
            labels = meta.stringMap("labels");
            annotations = meta.stringMap("annotations");
            meta.done();
            template.get().done();
        }
        i.unsupported("podTemplate", "there is no solver pod: the application answers the challenge itself; remove podTemplate");
        i.done();
        h.done();
        Http01IngressConfig config;
        try {
            config = new Http01IngressConfig(ctx.name(), Optional.ofNullable(ctx.namespace()), name, cls, className, serviceType, labels, annotations);
        } catch (IllegalArgumentException e) {
            throw h.error("ingress", e.getMessage());
        }
        Http01SolverFactory factory = options.http01Solvers().orElseThrow(() -> h.error("ingress",
                "needs an HTTP-01 solver: pass ManifestOptions.builder().http01Solvers(IngressHttp01SolverFactory.builder(client)"
                        + ".namespace(..).service(name, port).responder(http01).build()) (autocert4j-manifests-k8s), or a "
                        + "factory of your own that returns the solver answering /.well-known/acme-challenge/ for this Ingress"));
        Solver solver;
        try {
            solver = requireNonNullSolver(h, factory.create(config));
        } catch (ManifestException e) {
            throw e;
        } catch (IllegalArgumentException | IllegalStateException e) {
            throw h.error("ingress", e.getMessage());
        }
        if (solver.challengeType() != ChallengeType.HTTP_01) {
            throw h.error("ingress", "the http01Solvers factory returned a " + solver.challengeType().acmeName() + " solver: return an HTTP-01 one");
        }
        return solver;
    }

    private static Solver requireNonNullSolver(YamlObject at, Solver solver) {
        if (solver == null) {
            throw at.error("ingress", "the http01Solvers factory returned null: return a solver");
        }
        return solver;
    }
}
