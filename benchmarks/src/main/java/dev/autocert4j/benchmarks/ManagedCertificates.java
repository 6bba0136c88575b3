package dev.autocert4j.benchmarks;

import dev.autocert4j.Certificate;
import dev.autocert4j.CertificateManager;
import dev.autocert4j.IssuerRef;
import java.util.ArrayList;
import java.util.List;

/** Builds specs for many certificates and a manager that keeps them, issued by {@link TestCaIssuer}. */
final class ManagedCertificates {
    private ManagedCertificates() {
    }

    /** @return the DNS name of certificate {@code i} */
    static String dnsName(int i) {
        return "host" + i + ".bench.example.test";
    }

    /** @return {@code count} specs, certificate {@code i} for {@link #dnsName(int) dnsName(i)} */
    static List<Certificate> specs(int count) {
        List<Certificate> specs = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            specs.add(Certificate.builder("c" + i).dnsNames(dnsName(i))
                    .issuerRef(IssuerRef.clusterIssuer(TestCaIssuer.NAME)).build());
        }
        return specs;
    }

    /**
     * Manages every spec and issues them all on the calling thread ({@link CertificateManager#runDue()}).
     *
     * @param manager a manager with a {@link TestCaIssuer}
     * @param specs the certificates
     */
    static void manageAndIssue(CertificateManager manager, List<Certificate> specs) {
        for (Certificate spec : specs) {
            manager.manage(spec);
        }
        int looked = manager.runDue();
        if (looked < specs.size()) {
            throw new IllegalStateException("only " + looked + " of " + specs.size() + " certificates were due");
        }
    }
}
