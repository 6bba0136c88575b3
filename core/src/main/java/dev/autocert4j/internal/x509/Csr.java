package dev.autocert4j.internal.x509;

import dev.autocert4j.Certificate;
import java.io.IOException;
import java.security.InvalidKeyException;
import java.security.KeyPair;
import java.util.ArrayList;
import java.util.List;
import org.bouncycastle.asn1.pkcs.PKCSObjectIdentifiers;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x500.X500NameBuilder;
import org.bouncycastle.asn1.x500.style.BCStyle;
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
     * @param certificate the certificate whose names go into the CSR
     * @param keyPair the key pair that signs it
     * @return the DER-encoded CSR with the common name (if any) and every DNS name and IP address as SAN
     */
    public static byte[] create(Certificate certificate, KeyPair keyPair) {
        X500NameBuilder subject = new X500NameBuilder(BCStyle.INSTANCE);
        certificate.commonName().ifPresent(cn -> subject.addRDN(BCStyle.CN, cn));
        X500Name name = subject.build();
        List<GeneralName> sans = new ArrayList<>();
        certificate.dnsNames().forEach(n -> sans.add(new GeneralName(GeneralName.dNSName, n)));
        certificate.ipAddresses().forEach(a -> sans.add(new GeneralName(GeneralName.iPAddress, a)));
        try {
            ExtensionsGenerator extensions = new ExtensionsGenerator();
            extensions.addExtension(Extension.subjectAlternativeName, false,
                    new GeneralNames(sans.toArray(GeneralName[]::new)));
            JcaPKCS10CertificationRequestBuilder builder = new JcaPKCS10CertificationRequestBuilder(name, keyPair.getPublic());
            builder.addAttribute(PKCSObjectIdentifiers.pkcs_9_at_extensionRequest, extensions.generate());
            ContentSigner signer = P256.isP256(keyPair.getPrivate())
                    ? P256.contentSigner(keyPair.getPrivate()) // a sixth of SunEC's CPU
                    : new JcaContentSignerBuilder(KeyPairs.signatureAlgorithm(keyPair.getPublic())).build(keyPair.getPrivate());
            return builder.build(signer).getEncoded();
        } catch (IOException | OperatorCreationException | InvalidKeyException e) {
            throw new IllegalStateException("Could not build a CSR for " + certificate.id(), e);
        }
    }
}
