package dev.autocert4j.solver.http.ingress;

import static org.assertj.core.api.Assertions.assertThat;

import dev.autocert4j.testing.support.ReadmeFigures;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** The Ingress solver's self-check limit as the README states it, read from the README's sentence. */
class IngressReadmeDefaultsTest {
    @Test
    void theSelfCheckGivesUpAfterTheTimeTheReadmeStates() {
        Duration documented = Duration.ofMinutes(Long.parseLong(ReadmeFigures.figure(
                "until it answers the key authorization, for at most selfCheckTimeout \\((\\d+) minutes\\)")));

        assertThat(IngressHttp01Solver.Builder.DEFAULT_SELF_CHECK_TIMEOUT).isEqualTo(documented);
    }
}
