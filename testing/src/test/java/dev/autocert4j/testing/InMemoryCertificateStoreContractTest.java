package dev.autocert4j.testing;

import dev.autocert4j.store.CertificateStore;
import dev.autocert4j.store.InMemoryCertificateStore;

class InMemoryCertificateStoreContractTest extends CertificateStoreContract {
    @Override
    protected CertificateStore newStore() {
        return new InMemoryCertificateStore();
    }
}
