package dev.autocert4j.spring;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * One solver under {@code autocert4j.solvers.<name>}, cert-manager's {@code spec.acme.solvers[]}: a DNS-01
 * provider with its settings, and the selector that says which names it serves. Not thread-safe: Spring binds
 * it once at start-up. Secrets are hidden in {@link #toString()}.
 */
public class SolverProperties {

    /** Which names this solver serves; every name when empty. */
    private final Selector selector = new Selector();

    /** The DNS-01 solver: one provider ({@code rfc2136} or {@code cloudflare}) and how records are checked. */
    private final Dns01 dns01 = new Dns01();

    /** Creates empty settings, for Spring's binder. */
    public SolverProperties() {
    }

    /** @return which names this solver serves */
    public Selector getSelector() {
        return selector;
    }

    /** @return the DNS-01 settings */
    public Dns01 getDns01() {
        return dns01;
    }

    @Override
    public String toString() {
        return "SolverProperties[selector=" + selector + ", dns01=" + dns01 + "]";
    }

    /** cert-manager's {@code solvers[].selector}: the names a solver serves. */
    public static class Selector {
        /** Exact names, wildcards as written ({@code *.example.com}); a match here wins over a zone match. */
        private List<String> dnsNames = new ArrayList<>();

        /** Zones whose names (and the apex) the solver serves; the longest matching zone wins. */
        private List<String> dnsZones = new ArrayList<>();

        /** Creates an empty selector, which matches every name. */
        public Selector() {
        }

        /** @return exact names the solver serves */
        public List<String> getDnsNames() {
            return dnsNames;
        }

        /** @param dnsNames exact names the solver serves */
        public void setDnsNames(List<String> dnsNames) {
            this.dnsNames = dnsNames;
        }

        /** @return zones the solver serves */
        public List<String> getDnsZones() {
            return dnsZones;
        }

        /** @param dnsZones zones the solver serves */
        public void setDnsZones(List<String> dnsZones) {
            this.dnsZones = dnsZones;
        }

        @Override
        public String toString() {
            return "Selector[dnsNames=" + dnsNames + ", dnsZones=" + dnsZones + "]";
        }
    }

    /** A DNS-01 solver: exactly one provider, and the checks before the CA is asked to look. */
    public static class Dns01 {
        /** An RFC 2136 dynamic-update server (BIND, Knot, PowerDNS) with a TSIG key. */
        private final Rfc2136 rfc2136 = new Rfc2136();

        /** Cloudflare's API; needs the dependency {@code dev.autocert4j:autocert4j-solvers-dns-cloudflare}. */
        private final Cloudflare cloudflare = new Cloudflare();

        /** Zone apexes records are written to, so that no SOA lookup is needed; looked up when empty. */
        private List<String> zones = new ArrayList<>();

        /** Recursive DNS servers (ip or ip:port) for zone, CNAME and nameserver lookups; the system's when empty. */
        private List<String> resolvers = new ArrayList<>();

        /** The port the zone's authoritative nameservers answer on, when asked whether the record is visible. */
        private Integer nameserverPort;

        /** Whether to follow a CNAME at {@code _acme-challenge.<name>} ({@code follow}) or not ({@code none}). */
        private String cnameStrategy;

        /** How long to wait for every authoritative nameserver to answer the record; 2 minutes when unset. */
        private Duration propagationTimeout;

        /** How often the nameservers are asked while waiting; 2 seconds when unset. */
        private Duration pollInterval;

        /** Creates empty settings, for Spring's binder. */
        public Dns01() {
        }

        /** @return the RFC 2136 provider's settings */
        public Rfc2136 getRfc2136() {
            return rfc2136;
        }

        /** @return the Cloudflare provider's settings */
        public Cloudflare getCloudflare() {
            return cloudflare;
        }

        /** @return zone apexes records are written to */
        public List<String> getZones() {
            return zones;
        }

        /** @param zones zone apexes records are written to */
        public void setZones(List<String> zones) {
            this.zones = zones;
        }

        /** @return recursive DNS servers, ip or ip:port */
        public List<String> getResolvers() {
            return resolvers;
        }

        /** @param resolvers recursive DNS servers, ip or ip:port */
        public void setResolvers(List<String> resolvers) {
            this.resolvers = resolvers;
        }

        /** @return the authoritative nameservers' port, or null for 53 */
        public Integer getNameserverPort() {
            return nameserverPort;
        }

        /** @param nameserverPort the authoritative nameservers' port */
        public void setNameserverPort(Integer nameserverPort) {
            this.nameserverPort = nameserverPort;
        }

        /** @return {@code follow} or {@code none}, or null for none */
        public String getCnameStrategy() {
            return cnameStrategy;
        }

        /** @param cnameStrategy {@code follow} or {@code none} */
        public void setCnameStrategy(String cnameStrategy) {
            this.cnameStrategy = cnameStrategy;
        }

        /** @return how long to wait for the record to be visible, or null for the default */
        public Duration getPropagationTimeout() {
            return propagationTimeout;
        }

        /** @param propagationTimeout how long to wait for the record to be visible */
        public void setPropagationTimeout(Duration propagationTimeout) {
            this.propagationTimeout = propagationTimeout;
        }

        /** @return how often the nameservers are asked, or null for the default */
        public Duration getPollInterval() {
            return pollInterval;
        }

        /** @param pollInterval how often the nameservers are asked */
        public void setPollInterval(Duration pollInterval) {
            this.pollInterval = pollInterval;
        }

        @Override
        public String toString() {
            return "Dns01[rfc2136=" + rfc2136 + ", cloudflare=" + cloudflare + ", zones=" + zones + "]";
        }
    }

    /** cert-manager's {@code dns01.rfc2136}: a nameserver that takes dynamic updates signed with a TSIG key. */
    public static class Rfc2136 {
        /** The server's IP address, with {@code :port} unless it is 53. */
        private String nameserver;

        /** The TSIG key's name, as in the server's {@code key "name" { ... };}. */
        private String tsigKeyName;

        /** The TSIG algorithm, as {@code tsig-keygen -a} names it. */
        private String tsigAlgorithm = "hmac-sha256";

        /** The TSIG key's base64 secret; a secret, best taken from the environment ({@code ${TSIG_SECRET}}). */
        private String tsigSecret;

        /** Creates empty settings, for Spring's binder. */
        public Rfc2136() {
        }

        /** @return whether any setting is given, so that this provider is the one chosen */
        boolean isConfigured() {
            return nameserver != null || tsigKeyName != null || tsigSecret != null;
        }

        /** @return the server's address */
        public String getNameserver() {
            return nameserver;
        }

        /** @param nameserver the server's address */
        public void setNameserver(String nameserver) {
            this.nameserver = nameserver;
        }

        /** @return the TSIG key's name */
        public String getTsigKeyName() {
            return tsigKeyName;
        }

        /** @param tsigKeyName the TSIG key's name */
        public void setTsigKeyName(String tsigKeyName) {
            this.tsigKeyName = tsigKeyName;
        }

        /** @return the TSIG algorithm */
        public String getTsigAlgorithm() {
            return tsigAlgorithm;
        }

        /** @param tsigAlgorithm the TSIG algorithm */
        public void setTsigAlgorithm(String tsigAlgorithm) {
            this.tsigAlgorithm = tsigAlgorithm;
        }

        /** @return the TSIG secret */
        public String getTsigSecret() {
            return tsigSecret;
        }

        /** @param tsigSecret the TSIG secret */
        public void setTsigSecret(String tsigSecret) {
            this.tsigSecret = tsigSecret;
        }

        @Override
        public String toString() {
            return "Rfc2136[nameserver=" + nameserver + ", tsigKeyName=" + tsigKeyName + ", tsigAlgorithm=" + tsigAlgorithm
                    + ", tsigSecret=" + Secrets.mask(tsigSecret) + "]";
        }
    }

    /** cert-manager's {@code dns01.cloudflare}: an API token, or the global API key and the account's email. */
    public static class Cloudflare {
        /** An API token with Zone:Read and DNS:Edit; a secret, best {@code ${CLOUDFLARE_API_TOKEN}}. */
        private String apiToken;

        /** The account's global API key, with {@code email}; a secret. Prefer {@code api-token}. */
        private String apiKey;

        /** The account's email address, with {@code api-key}. */
        private String email;

        /** A separate token used only to find zones; a secret. */
        private String zoneToken;

        /** The API's base URL; Cloudflare's own when unset (https, or http on a loopback address for tests). */
        private String baseUrl;

        /** Creates empty settings, for Spring's binder. */
        public Cloudflare() {
        }

        /** @return whether any setting is given, so that this provider is the one chosen */
        boolean isConfigured() {
            return apiToken != null || apiKey != null || email != null || zoneToken != null || baseUrl != null;
        }

        /** @return the API token */
        public String getApiToken() {
            return apiToken;
        }

        /** @param apiToken the API token */
        public void setApiToken(String apiToken) {
            this.apiToken = apiToken;
        }

        /** @return the global API key */
        public String getApiKey() {
            return apiKey;
        }

        /** @param apiKey the global API key */
        public void setApiKey(String apiKey) {
            this.apiKey = apiKey;
        }

        /** @return the account's email */
        public String getEmail() {
            return email;
        }

        /** @param email the account's email */
        public void setEmail(String email) {
            this.email = email;
        }

        /** @return the zone-lookup token */
        public String getZoneToken() {
            return zoneToken;
        }

        /** @param zoneToken the zone-lookup token */
        public void setZoneToken(String zoneToken) {
            this.zoneToken = zoneToken;
        }

        /** @return the API's base URL */
        public String getBaseUrl() {
            return baseUrl;
        }

        /** @param baseUrl the API's base URL */
        public void setBaseUrl(String baseUrl) {
            this.baseUrl = baseUrl;
        }

        @Override
        public String toString() {
            return "Cloudflare[apiToken=" + Secrets.mask(apiToken) + ", apiKey=" + Secrets.mask(apiKey) + ", email=" + email
                    + ", zoneToken=" + Secrets.mask(zoneToken) + ", baseUrl=" + baseUrl + "]";
        }
    }

    /** How a secret shows in {@code toString()}: whether it is set, never its value. */
    private static final class Secrets {
        private Secrets() {
        }

        static String mask(String secret) {
            return secret == null ? "unset" : "(hidden)";
        }
    }
}
