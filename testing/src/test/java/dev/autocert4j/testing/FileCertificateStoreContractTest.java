package dev.autocert4j.testing;

import dev.autocert4j.store.CertificateStore;
import dev.autocert4j.store.file.FileCertificateStore;
import java.nio.file.Path;
import org.junit.jupiter.api.io.TempDir;

class FileCertificateStoreContractTest extends CertificateStoreContract {
    @TempDir
    Path root;

    @Override
    protected CertificateStore newStore() {
        return FileCertificateStore.of(root);
    }
}
