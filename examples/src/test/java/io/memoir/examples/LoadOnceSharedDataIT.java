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

/** Example 6: the first JVM loads the data, the second finds it (and resets it). */
class LoadOnceSharedDataIT {
    private static final Duration END = Duration.ofSeconds(90);

    @TempDir
    Path dir;

    @Test
    @Timeout(180)
    void shouldLetTheSecondProcessFindTheDataTheFirstLoaded() throws Exception {
        final String store = dir.resolve("store").toString();
        final List<String> first = run(store);
        assertEquals("Load data to memory", first.get(0), String.join("\n", first));
        assertEquals("This is the test data", first.get(1), String.join("\n", first));
        assertTrue(first.get(2).matches("\\(version 2, written by pid \\d+, this process\\)"), String.join("\n", first));

        final List<String> second = run(store, "reset");
        final String all = String.join("\n", second);
        assertEquals("The data is in memory", second.get(0), all);
        assertEquals("This is the test data", second.get(1), all);
        assertEquals(first.get(2).replace(", this process", ""), second.get(2), "the first process loaded it: " + all);
        assertEquals("reset: the next process loads the data again", second.get(3), all);
        assertEquals("Load data to memory again", second.get(4), all);
        assertTrue(second.get(5).matches("\\(version 3, written by pid \\d+, this process\\)"), all);
    }

    private static List<String> run(final String... args) throws InterruptedException {
        try (ChildJvm jvm = ChildJvm.start(LoadOnceSharedData.class, args)) {
            final List<String> out = jvm.finish(END);
            assertEquals(0, jvm.exitCode(), String.join("\n", out));
            return out;
        }
    }
}
