package dev.autocert4j.docs;

import dev.autocert4j.AutocertException;
import dev.autocert4j.Certificate;
import dev.autocert4j.CertificateManager;
import dev.autocert4j.IssuerRef;
import dev.autocert4j.issuer.AcmeIssuer;
import dev.autocert4j.issuer.CaIssuer;
import dev.autocert4j.issuer.SelfSignedIssuer;
import dev.autocert4j.solver.http.Http01Solver;
import dev.autocert4j.store.StoredCertificate;
import dev.autocert4j.store.file.FileCertificateStore;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import javax.net.ssl.SSLContext;

/** The README's first sections: five lines for Let's Encrypt, renewal and hot reload, private CAs. */
final class GettingStarted {
    private GettingStarted() {
    }

    static StoredCertificate fiveLines() throws AutocertException, InterruptedException {
        // tag::five-lines[]
        CertificateManager manager = CertificateManager.builder()
                .issuer(AcmeIssuer.builder("letsencrypt").letsEncrypt().email("ops@example.com").build())
                .solver(Http01Solver.builder().standalone("0.0.0.0", 80).build())
                .store(FileCertificateStore.of(Path.of("/var/lib/myapp/certificates"))).build();
        StoredCertificate cert = manager.obtain(Certificate.builder("www").dnsNames("www.example.com")
                .issuerRef(IssuerRef.clusterIssuer("letsencrypt")).build());
        // end::five-lines[]
        return cert;
    }

    static SSLContext renewal() {
        // tag::renewal[]
        CertificateManager manager = CertificateManager.builder()
                .issuer(AcmeIssuer.builder("letsencrypt").letsEncrypt().email("ops@example.com").build())
                .issuer(AcmeIssuer.builder("zerossl").directory(URI.create("https://acme.zerossl.com/v2/DV90"))
                        .externalAccountBinding(System.getenv("ZEROSSL_EAB_KID"), System.getenv("ZEROSSL_EAB_HMAC"))
                        .email("ops@example.com").build())
                .solver(Http01Solver.builder().standalone("0.0.0.0", 80).build())
                .store(FileCertificateStore.of(Path.of("/var/lib/myapp/certificates")))
                .defaultServerName("www.example.com")          // for clients that send no (or an unknown) SNI name
                .build();
        Certificate www = Certificate.builder("www").dnsNames("www.example.com", "example.com")
                .issuerRef(IssuerRef.clusterIssuer("letsencrypt"))
                .fallbackIssuerRefs(IssuerRef.clusterIssuer("zerossl"))   // tried in order when Let's Encrypt fails
                .build();

        manager.manage(www);                    // issue when nothing valid is stored, then renew in the background
        manager.start();                        // one scheduler thread for all managed certificates
        SSLContext tls = manager.sslContext();  // give this (or manager.keyManager()) to your server, once
        // ...
        manager.close();                        // at shutdown: stops renewing; the key manager keeps serving
        // end::renewal[]
        return tls;
    }

    static StoredCertificate privateCa() throws AutocertException, InterruptedException {
        // tag::private-ca[]
        Certificate root = Certificate.builder("internal-ca").commonName("ca.internal").dnsNames("ca.internal")
                .isCA(true).duration(Duration.ofDays(3650)).issuerRef(IssuerRef.clusterIssuer("selfsigned")).build();
        CertificateManager manager = CertificateManager.builder()
                .issuer(SelfSignedIssuer.builder("selfsigned").build())
                .issuer(CaIssuer.builder("internal-ca").secret(root).build())
                .store(FileCertificateStore.of(Path.of("/var/lib/myapp/certificates"))).build();
        manager.obtain(root);
        StoredCertificate api = manager.obtain(Certificate.builder("api").dnsNames("api.internal")
                .issuerRef(IssuerRef.clusterIssuer("internal-ca")).build());   // chain: api, internal-ca
        // end::private-ca[]
        return api;
    }
}
