package io.memoir.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.memoir.store.testing.ChildJvm;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** Runs the README's API tour (StoreTour) as its own JVM and checks what it prints. */
class StoreTourIT {
    @TempDir
    Path dir;

    @Test
    @Timeout(120)
    void shouldRunTheTour() throws Exception {
        try (ChildJvm tour = ChildJvm.start(StoreTour.class, dir.resolve("store").toString())) {
            final List<String> out = tour.finish(Duration.ofSeconds(90));
            assertEquals(0, tour.exitCode(), String.join("\n", out));
            assertTrue(out.contains("now: msg 5"), String.join("\n", out));
            assertTrue(out.contains("replayed to version 3: msg 2"), String.join("\n", out));
            assertTrue(out.stream().anyMatch(l -> l.startsWith("verify: OK (1 regions, 6 journal entries)")),
                String.join("\n", out));
        }
    }
}
