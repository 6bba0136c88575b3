package dev.autocert4j.benchmarks;

import dev.autocert4j.Certificate;
import dev.autocert4j.IssuerRef;
import dev.autocert4j.PrivateKeySpec;

/** The certificates the issuance benchmarks order: one name each under {@code bench.test}, ECDSA P-256, from Pebble. */
final class BenchCertificates {
    private BenchCertificates() {
    }

    /** @return certificate {@code <prefix>-<n>} for {@code <prefix>-<n>.bench.test}, issued by ClusterIssuer {@code pebble} */
    static Certificate numbered(String prefix, int n) {
        return Certificate.builder(prefix + "-" + n)
                .dnsNames(prefix + "-" + n + ".bench.test")
                .issuerRef(IssuerRef.clusterIssuer("pebble"))
                .privateKey(PrivateKeySpec.ecdsa(256))
                .build();
    }
}
