package dev.autocert4j.internal.acme;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.Authenticator;
import java.net.http.HttpClient;
import java.util.concurrent.Executor;
import java.util.concurrent.atomic.AtomicReference;
import javax.net.ssl.SSLContext;
import org.junit.jupiter.api.Test;
import org.shredzone.acme4j.connector.NetworkSettings;

class AcmeHttpProviderTest {
    private static HttpClient client(NetworkSettings settings) throws Exception {
        return new AcmeHttpProvider(SSLContext.getDefault()).createHttpClient(settings);
    }

    @Test
    void theAcmeClientRunsItsResponseStagesOnTheThreadThatHandsThemOver() throws Exception {
        HttpClient client = client(new NetworkSettings());

        assertThat(client.version()).isEqualTo(HttpClient.Version.HTTP_1_1);
        assertThat(client.executor()).as("an executor of our own instead of the JDK's worker pool").isPresent();
        Executor executor = client.executor().orElseThrow();
        AtomicReference<Thread> ranOn = new AtomicReference<>();
        executor.execute(() -> ranOn.set(Thread.currentThread()));
        assertThat(ranOn.get()).isSameAs(Thread.currentThread());
    }

    @Test
    void aClientWithAProxyAuthenticatorKeepsTheJdksWorkerThreadsForThatCallback() throws Exception {
        NetworkSettings settings = new NetworkSettings();
        settings.setAuthenticator(new Authenticator() {
        });

        HttpClient client = client(settings);

        assertThat(client.authenticator()).isPresent();
        assertThat(client.executor()).as("the JDK's default worker pool").isEmpty();
    }
}
