package dev.autocert4j.solver.http.ingress.internal;

import static org.assertj.core.api.Assertions.assertThat;

import dev.autocert4j.testing.support.ReadmeFigures;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/**
 * How often the solver looks for routes a dead process left (a list of the namespace's Ingresses), as the README
 * states it: "on first use and at most once a minute after".
 */
class LeftoverSweepReadmeTest {
    @Test
    void theLeftoverLookupRunsAtMostAsOftenAsTheReadmeStates() {
        String figure = ReadmeFigures.figure("on first use and at most once (a minute|every \\d+ minutes) after, the solver removes");
        Duration documented = figure.equals("a minute") ? Duration.ofMinutes(1)
                : Duration.ofMinutes(Long.parseLong(figure.replaceAll("\\D", "")));

        assertThat(LeftoverSweep.INTERVAL).isEqualTo(documented);
    }
}
