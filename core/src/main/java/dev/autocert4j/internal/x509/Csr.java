package dev.autocert4j.internal.x509;

import dev.autocert4j.Certificate;
import dev.autocert4j.SignatureAlgorithm;
import java.io.IOException;
import java.security.InvalidKeyException;
import java.security.KeyPair;
import java.util.ArrayList;
import java.util.List;
import org.bouncycastle.asn1.pkcs.PKCSObjectIdentifiers;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.ExtensionsGenerator;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.operator.ContentSigner;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.bouncycastle.pkcs.jcajce.JcaPKCS10CertificationRequestBuilder;

/** PKCS #10 certificate signing requests for a {@link Certificate}, with BouncyCastle. */
public final class Csr {
    private Csr() {
    }

    /**
     * As cert-manager's {@code GenerateCSR} ({@code pkg/util/pki/csr.go}): the subject from
     * {@link X509Subjects}; the SANs in Go's order (DNS names, email addresses, IP addresses, URIs;
     * {@code pkg/util/pki/sans.go}), critical when the subject is empty; signed with the
     * certificate's {@code signatureAlgorithm}, or the one that fits the key.
     *
     * @param certificate the certificate whose names go into the CSR
     * @param keyPair the key pair that signs it
     * @return the DER-encoded CSR
     */
    public static byte[] create(Certificate certificate, KeyPair keyPair) {
        X500Name name = X509Subjects.of(certificate);
        List<GeneralName> sans = new ArrayList<>();
        certificate.dnsNames().forEach(n -> sans.add(new GeneralName(GeneralName.dNSName, n)));
        certificate.emailAddresses().forEach(e -> sans.add(new GeneralName(GeneralName.rfc822Name, e)));
        certificate.ipAddresses().forEach(a -> sans.add(new GeneralName(GeneralName.iPAddress, a)));
        certificate.uris().forEach(u -> sans.add(new GeneralName(GeneralName.uniformResourceIdentifier, u)));
        String algorithm = certificate.signatureAlgorithm().map(SignatureAlgorithm::jcaName)
                .orElseGet(() -> KeyPairs.signatureAlgorithm(keyPair.getPublic()));
        try {
            JcaPKCS10CertificationRequestBuilder builder = new JcaPKCS10CertificationRequestBuilder(name, keyPair.getPublic());
            if (!sans.isEmpty()) {
                ExtensionsGenerator extensions = new ExtensionsGenerator();
                extensions.addExtension(Extension.subjectAlternativeName, name.getRDNs().length == 0,
                        new GeneralNames(sans.toArray(GeneralName[]::new)));
                builder.addAttribute(PKCSObjectIdentifiers.pkcs_9_at_extensionRequest, extensions.generate());
            }
            ContentSigner signer = P256.isP256(keyPair.getPrivate()) && P256.standsInForJdk()
                    && "SHA256withECDSA".equalsIgnoreCase(algorithm)
                    ? P256.contentSigner(keyPair.getPrivate()) // a sixth of SunEC's CPU
                    : new JcaContentSignerBuilder(algorithm).build(keyPair.getPrivate());
            return builder.build(signer).getEncoded();
        } catch (IOException | OperatorCreationException | InvalidKeyException e) {
            throw new IllegalStateException("Could not build a CSR for " + certificate.id(), e);
        }
    }
}
