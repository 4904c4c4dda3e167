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

/** Example 2: the parent JVM and the child JVM it starts talk through one store region. */
class ParentChildSharedMemoryIT {
    @TempDir
    Path dir;

    @Test
    @Timeout(120)
    void shouldLetParentAndChildJvmReadEachOthersWrites() throws Exception {
        try (ChildJvm parent = ChildJvm.start(ParentChildSharedMemory.class, dir.resolve("store").toString())) {
            final List<String> out = parent.finish(Duration.ofSeconds(100));
            final String all = String.join("\n", out);
            assertEquals(0, parent.exitCode(), all);
            // The seed's output, in the seed's order: the child reads what the parent wrote, then the parent
            // reads what the child wrote.
            assertEquals(List.of(
                "write successfully",
                "Read from the mmap:",
                "b'Original msg" + "\\x00".repeat(15) + "'",
                "Read from the child:",
                "b'Original msg sth from child'"), out.subList(0, 5), all);
            assertTrue(out.get(7).matches("  version 2 WRITE offset=0 data=\"Original msg\" by pid \\d+ \\(parent\\)"), all);
            assertTrue(out.get(8).matches("  version 3 WRITE offset=12 data=\" sth from child\" by pid \\d+ \\(child\\)"), all);
        }
    }
}
