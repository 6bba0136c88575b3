package dev.autocert4j.store;

import java.math.BigInteger;
import java.security.InvalidKeyException;
import java.security.NoSuchAlgorithmException;
import java.security.NoSuchProviderException;
import java.security.SignatureException;
import java.security.cert.CertificateException;
import java.security.Principal;
import java.security.PublicKey;
import java.security.cert.CertificateEncodingException;
import java.security.cert.CertificateExpiredException;
import java.security.cert.CertificateNotYetValidException;
import java.security.cert.X509Certificate;
import java.util.Date;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import javax.security.auth.x500.X500Principal;

/** A certificate that counts the signature checks made on it; everything else is the wrapped one's. */
final class CountingCertificate extends X509Certificate {
    private static final long serialVersionUID = 1L;
    private final X509Certificate wrapped;
    private final transient AtomicInteger verifications = new AtomicInteger();

    CountingCertificate(X509Certificate wrapped) {
        this.wrapped = wrapped;
    }

    int verifications() {
        return verifications.get();
    }

    @Override
    public void verify(PublicKey key) throws CertificateException, NoSuchAlgorithmException, InvalidKeyException,
            NoSuchProviderException, SignatureException {
        verifications.incrementAndGet();
        wrapped.verify(key);
    }

    @Override
    public void verify(PublicKey key, String sigProvider) throws CertificateException, NoSuchAlgorithmException,
            InvalidKeyException, NoSuchProviderException, SignatureException {
        verifications.incrementAndGet();
        wrapped.verify(key, sigProvider);
    }

    @Override
    public void checkValidity() throws CertificateExpiredException, CertificateNotYetValidException {
        wrapped.checkValidity();
    }

    @Override
    public void checkValidity(Date date) throws CertificateExpiredException, CertificateNotYetValidException {
        wrapped.checkValidity(date);
    }

    @Override
    public int getVersion() {
        return wrapped.getVersion();
    }

    @Override
    public BigInteger getSerialNumber() {
        return wrapped.getSerialNumber();
    }

    @Override
    @SuppressWarnings("deprecation")
    public Principal getIssuerDN() {
        return wrapped.getIssuerDN();
    }

    @Override
    @SuppressWarnings("deprecation")
    public Principal getSubjectDN() {
        return wrapped.getSubjectDN();
    }

    @Override
    public X500Principal getIssuerX500Principal() {
        return wrapped.getIssuerX500Principal();
    }

    @Override
    public X500Principal getSubjectX500Principal() {
        return wrapped.getSubjectX500Principal();
    }

    @Override
    public Date getNotBefore() {
        return wrapped.getNotBefore();
    }

    @Override
    public Date getNotAfter() {
        return wrapped.getNotAfter();
    }

    @Override
    public byte[] getTBSCertificate() throws java.security.cert.CertificateEncodingException {
        return wrapped.getTBSCertificate();
    }

    @Override
    public byte[] getSignature() {
        return wrapped.getSignature();
    }

    @Override
    public String getSigAlgName() {
        return wrapped.getSigAlgName();
    }

    @Override
    public String getSigAlgOID() {
        return wrapped.getSigAlgOID();
    }

    @Override
    public byte[] getSigAlgParams() {
        return wrapped.getSigAlgParams();
    }

    @Override
    public boolean[] getIssuerUniqueID() {
        return wrapped.getIssuerUniqueID();
    }

    @Override
    public boolean[] getSubjectUniqueID() {
        return wrapped.getSubjectUniqueID();
    }

    @Override
    public boolean[] getKeyUsage() {
        return wrapped.getKeyUsage();
    }

    @Override
    public int getBasicConstraints() {
        return wrapped.getBasicConstraints();
    }

    @Override
    public byte[] getEncoded() throws CertificateEncodingException {
        return wrapped.getEncoded();
    }

    @Override
    public String toString() {
        return wrapped.toString();
    }

    @Override
    public PublicKey getPublicKey() {
        return wrapped.getPublicKey();
    }

    @Override
    public boolean hasUnsupportedCriticalExtension() {
        return wrapped.hasUnsupportedCriticalExtension();
    }

    @Override
    public Set<String> getCriticalExtensionOIDs() {
        return wrapped.getCriticalExtensionOIDs();
    }

    @Override
    public Set<String> getNonCriticalExtensionOIDs() {
        return wrapped.getNonCriticalExtensionOIDs();
    }

    @Override
    public byte[] getExtensionValue(String oid) {
        return wrapped.getExtensionValue(oid);
    }
}
