package dev.autocert4j.internal.x509;

import java.nio.ByteBuffer;
import java.security.GeneralSecurityException;
import java.security.cert.CertificateEncodingException;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * cert-manager's {@code ParseSingleCertificateChain} ({@code pkg/util/pki/parse_certificate_chain.go}): certificates
 * in any order, duplicates allowed, become one chain from the leaf up, and the CA relying parties should trust.
 * Stateless.
 */
public final class SingleChain {
    /** As cert-manager: a bound on the quadratic merge below, against hostile input. */
    static final int MAX_CERTIFICATES = 1000;

    /**
     * cert-manager's {@code PEMBundle}.
     *
     * @param chain what goes into {@code tls.crt}: the leaf up to the highest certificate that is not self-signed
     * @param ca what goes into {@code ca.crt}: the self-signed root, else the highest certificate when there are
     *     several, else (a lone certificate that is not self-signed) none
     */
    public record Bundle(List<X509Certificate> chain, Optional<X509Certificate> ca) {
        /**
         * Copies the chain.
         *
         * @param chain see the record description
         * @param ca see the record description
         */
        public Bundle {
            chain = List.copyOf(chain);
        }
    }

    /** A certificate and the one above it; cert-manager's {@code chainNode}. */
    private static final class Node {
        final X509Certificate certificate;
        Node issuer;

        Node(X509Certificate certificate) {
            this.certificate = certificate;
        }

        Node root() {
            Node node = this;
            while (node.issuer != null) {
                node = node.issuer;
            }
            return node;
        }
    }

    private SingleChain() {
    }

    /**
     * @param certificates certificates of one chain, in any order, duplicates allowed
     * @return the chain and its CA, as cert-manager's CA-type issuers write them
     * @throws IllegalArgumentException when the certificates are not one unbroken chain (a gap, a branch, a
     *     stranger), or more than 1000 different ones
     */
    public static Bundle parse(List<X509Certificate> certificates) {
        // De-duplicated by encoding; cert-manager also sorts them by encoding, which only changes which of two
        // equally fitting merges wins, and a single chain has none.
        Map<ByteBuffer, X509Certificate> unique = new LinkedHashMap<>();
        for (X509Certificate certificate : certificates) {
            unique.putIfAbsent(ByteBuffer.wrap(encoded(certificate)), certificate);
        }
        if (unique.size() > MAX_CERTIFICATES) {
            throw new IllegalArgumentException("certificate chain is too long, must be less than 1000 certificates");
        }
        List<Node> chains = new ArrayList<>();
        unique.values().forEach(certificate -> chains.add(new Node(certificate)));
        while (chains.size() > 1) {
            Node last = chains.remove(chains.size() - 1);
            boolean merged = false;
            for (int i = 0; i < chains.size() && !merged; i++) {
                Node joined = tryMerge(last, chains.get(i));
                if (joined != null) {
                    chains.set(i, joined);
                    merged = true;
                }
            }
            if (!merged) {
                throw new IllegalArgumentException("certificate chain is malformed or broken: "
                        + describe(unique.values()) + " are not one chain from a leaf up to its CA");
            }
        }
        return toBundleAndCa(chains.get(0));
    }

    /** cert-manager's {@code tryMergeChain}: b below a, or a below b; null when neither. */
    private static Node tryMerge(Node a, Node b) {
        Node bRoot = b.root();
        if (signs(a.certificate, bRoot.certificate)) {
            bRoot.issuer = a;
            return b;
        }
        Node aRoot = a.root();
        if (signs(b.certificate, aRoot.certificate)) {
            aRoot.issuer = b;
            return a;
        }
        return null;
    }

    /** cert-manager's {@code toBundleAndCA}. */
    private static Bundle toBundleAndCa(Node bottom) {
        List<X509Certificate> chain = new ArrayList<>();
        Node node = bottom;
        while (node.issuer != null) {
            chain.add(node.certificate);
            node = node.issuer;
        }
        X509Certificate top = node.certificate;
        boolean selfSigned = signs(top, top);
        if (chain.isEmpty()) {
            return new Bundle(List.of(top), selfSigned ? Optional.of(top) : Optional.empty());
        }
        if (!selfSigned) {
            chain.add(top);
        }
        return new Bundle(chain, Optional.of(top));
    }

    /**
     * Go's {@code bytes.Equal(child.RawIssuer, parent.RawSubject) && child.CheckSignatureFrom(parent) == nil}; for a
     * certificate and itself, without the name comparison, Go's {@code isSelfSignedCertificate}. The parent must be
     * allowed to sign certificates: a version 3 certificate only with basic constraints {@code CA:TRUE}, and with
     * {@code keyCertSign} when it names key usages.
     */
    private static boolean signs(X509Certificate parent, X509Certificate child) {
        if (parent != child && !Arrays.equals(child.getIssuerX500Principal().getEncoded(),
                parent.getSubjectX500Principal().getEncoded())) {
            return false;
        }
        if (parent.getVersion() == 3 && parent.getBasicConstraints() < 0) {
            return false;
        }
        boolean[] usage = parent.getKeyUsage();
        if (usage != null && names(usage) && (usage.length <= 5 || !usage[5])) {
            return false; // Go: KeyUsage != 0 && KeyUsage&KeyUsageCertSign == 0
        }
        try {
            child.verify(parent.getPublicKey());
            return true;
        } catch (GeneralSecurityException | RuntimeException e) {
            return false;
        }
    }

    private static boolean names(boolean[] usage) {
        for (boolean bit : usage) {
            if (bit) {
                return true;
            }
        }
        return false;
    }

    private static byte[] encoded(X509Certificate certificate) {
        try {
            return certificate.getEncoded();
        } catch (CertificateEncodingException e) {
            throw new IllegalArgumentException("certificate chain contains a certificate that cannot be encoded", e);
        }
    }

    private static String describe(Iterable<X509Certificate> certificates) {
        List<String> subjects = new ArrayList<>();
        certificates.forEach(c -> subjects.add(c.getSubjectX500Principal().getName()));
        return subjects.toString();
    }
}
