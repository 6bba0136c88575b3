package dev.autocert4j.examples;

import dev.autocert4j.solver.dns.Dns01Solver;
import dev.autocert4j.solver.dns.DnsProviders;
import java.util.Map;

/**
 * Shows that the custom {@link dev.autocert4j.examples.dns.ExecDnsProvider} is found by name
 * through {@link java.util.ServiceLoader}, next to the built-in ones, and builds a DNS-01 solver
 * with it. Run: {@code mvn -pl examples exec:java -Dexec.mainClass=dev.autocert4j.examples.DnsProviderByName}.
 */
public final class DnsProviderByName {
    private DnsProviderByName() {
    }

    /** @param args ignored */
    public static void main(String[] args) {
        System.out.println("DNS providers found: " + DnsProviders.names(DnsProviders.class.getClassLoader()));
        Dns01Solver solver = Dns01Solver.builder()
                .provider("exec", Map.of("command", "/usr/local/bin/dns-hook"))
                .build();
        System.out.println("Built " + solver);
    }
}
