import dev.autocert4j.testing.CertificateStoreContract;
import dev.autocert4j.testing.PebbleExtension;

/** autocert4j-testing from the BOM alone: its JUnit extension is built, its contract class loads. */
public final class Smoke {
    public static void main(String[] args) throws Exception {
        PebbleExtension extension = PebbleExtension.builder().build();
        if (extension == null || CertificateStoreContract.class.getDeclaredMethods().length == 0) {
            throw new AssertionError("expected an extension and a contract");
        }
        System.out.println("testing: PebbleExtension built, CertificateStoreContract loaded");
    }
}
