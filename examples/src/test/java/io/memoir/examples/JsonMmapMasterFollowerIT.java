package io.memoir.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.memoir.store.testing.ChildJvm;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** Example 5: a jsonmmap master JVM and a follower JVM. */
class JsonMmapMasterFollowerIT {
    private static final int COUNT = 5;
    private static final Duration END = Duration.ofSeconds(90);

    @TempDir
    Path dir;

    @Test
    @Timeout(180)
    void shouldLetTheFollowerSeeTheMastersListsWholeAndInOrder() throws Exception {
        final String store = dir.resolve("store").toString();
        try (ChildJvm follower = ChildJvm.start(JsonMmapMasterFollower.class, "follower", store, "" + COUNT, "60")) {
            follower.await("following share_mmap from version 0"::equals, END);
            final Map<Long, String> written;
            try (ChildJvm master = ChildJvm.start(JsonMmapMasterFollower.class, "master", store, "" + COUNT, "100")) {
                final List<String> out = master.finish(END);
                assertEquals(0, master.exitCode(), String.join("\n", out));
                written = lists(out);
            }
            assertEquals(COUNT, written.size(), "the master's lists: " + written);
            final List<String> out = follower.finish(END);
            assertEquals(0, follower.exitCode(), String.join("\n", out));
            final Map<Long, String> seen = lists(out);
            assertTrue(!seen.isEmpty(), String.join("\n", out));
            long previous = 0;
            for (Map.Entry<Long, String> e : seen.entrySet()) {
                assertTrue(e.getKey() > previous, "versions out of order: " + seen.keySet());
                assertEquals(written.get(e.getKey()), e.getValue(), "the follower's version " + e.getKey());
                previous = e.getKey();
            }
            assertEquals(COUNT, previous, "the follower's last version");
        }
    }

    /** The {@code version V: [0, 1, ...]} lines, each checked to be a whole {@code range(n)}. */
    private static Map<Long, String> lists(final List<String> out) {
        final Map<Long, String> lists = new LinkedHashMap<>();
        for (String line : out) {
            if (line.startsWith("version ")) {
                final int colon = line.indexOf(": ");
                final String list = line.substring(colon + 2);
                final int n = list.split(", ").length;
                final List<Integer> range = new ArrayList<>();
                for (int i = 0; i < n; i++) {
                    range.add(i);
                }
                assertEquals(range.toString(), list, "not a whole range(n): " + line);
                assertTrue(lists.put(Long.parseLong(line.substring("version ".length(), colon)), list) == null,
                    "a version printed twice: " + line);
            }
        }
        return lists;
    }
}
