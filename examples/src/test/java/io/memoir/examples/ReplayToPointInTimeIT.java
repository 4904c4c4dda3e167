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

/** Example 8: the region and the object replayed to a moment between two writes. */
class ReplayToPointInTimeIT {
    @TempDir
    Path dir;

    @Test
    @Timeout(120)
    void shouldPrintThePastValue() throws Exception {
        try (ChildJvm jvm = ChildJvm.start(ReplayToPointInTime.class, dir.resolve("store").toString(), "5")) {
            final List<String> out = jvm.finish(Duration.ofSeconds(90));
            final String all = String.join("\n", out);
            assertEquals(0, jvm.exitCode(), all);
            assertTrue(out.stream().anyMatch(l -> l.matches("at \\S+Z the region held: msg 3")), all);
            assertTrue(out.stream().anyMatch(l -> l.matches("at journal index 0x\\p{XDigit}+ the region held: msg 3")), all);
            assertTrue(out.contains("at that moment status was: {\"count\":3,\"last\":\"msg 3\"}")
                || out.contains("at that moment status was: {\"last\":\"msg 3\",\"count\":3}"), all);
            assertTrue(out.contains("now the region holds: msg 5"), all);
        }
    }
}
