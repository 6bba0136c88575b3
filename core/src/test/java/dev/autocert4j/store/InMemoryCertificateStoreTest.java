package dev.autocert4j.store;

import static org.assertj.core.api.Assertions.assertThat;

import dev.autocert4j.lock.LockProvider;
import org.junit.jupiter.api.Test;

class InMemoryCertificateStoreTest {
    @Test
    void coordinatesThisJvmOnly() {
        assertThat(new InMemoryCertificateStore().defaultLockProvider()).isSameAs(LockProvider.inJvm());
    }

    @Test
    void toStringCountsEntries() {
        assertThat(new InMemoryCertificateStore()).hasToString("InMemoryCertificateStore[certificates=0, accountKeys=0]");
    }
}
