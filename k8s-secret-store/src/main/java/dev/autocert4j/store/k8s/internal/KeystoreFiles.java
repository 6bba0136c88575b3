package dev.autocert4j.store.k8s.internal;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.util.Base64;
import org.bouncycastle.pkcs.PKCS12PfxPdu;
import org.bouncycastle.pkcs.PKCSException;
import org.bouncycastle.pkcs.bc.BcPKCS12MacCalculatorBuilderProvider;
import org.bouncycastle.operator.bc.BcDefaultDigestProvider;

/**
 * Whether a keystore file in a Secret still opens with the password its certificate names now, so that a
 * changed password re-makes it: the PKCS#12 MAC or the JKS integrity check, nothing decrypted. Stateless.
 */
final class KeystoreFiles {
    private KeystoreFiles() {
    }

    /**
     * @param base64 the Secret data value of a {@code .p12} file
     * @param password the password it should open with
     * @return whether its MAC verifies with the password; false also for a file that is not PKCS#12
     */
    static boolean pkcs12OpensWith(String base64, char[] password) {
        try {
            PKCS12PfxPdu pfx = new PKCS12PfxPdu(Base64.getDecoder().decode(base64));
            return pfx.hasMac() && pfx.isMacValid(new BcPKCS12MacCalculatorBuilderProvider(BcDefaultDigestProvider.INSTANCE),
                    password);
        } catch (IOException | PKCSException | RuntimeException e) {
            return false;
        }
    }

    /**
     * @param base64 the Secret data value of a {@code .jks} file
     * @param password the password it should open with
     * @return whether its integrity check passes with the password; false also for a file that is not JKS
     */
    static boolean jksOpensWith(String base64, char[] password) {
        try {
            KeyStore keystore = KeyStore.getInstance("JKS");
            keystore.load(new ByteArrayInputStream(Base64.getDecoder().decode(base64)), password);
            return true;
        } catch (GeneralSecurityException | IOException | RuntimeException e) {
            return false;
        }
    }
}
