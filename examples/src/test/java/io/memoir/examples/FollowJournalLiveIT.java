package io.memoir.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.memoir.store.testing.ChildJvm;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** Example 9: a follower JVM prints every change a writer JVM makes, in order, as it is made. */
class FollowJournalLiveIT {
    private static final int COUNT = 3;
    private static final Duration END = Duration.ofSeconds(90);

    @TempDir
    Path dir;

    @Test
    @Timeout(180)
    void shouldShowTheFollowerEveryWriteOfTheWriter() throws Exception {
        final String store = dir.resolve("store").toString();
        // A new store: the writer's changes are the CREATE of ticker, then per step a WRITE of ticker and a PUT of status.
        final int entries = 1 + 2 * COUNT;
        try (ChildJvm follower = ChildJvm.start(FollowJournalLive.class, "follow", store, "" + entries, "60")) {
            follower.await(l -> l.startsWith("following the journal of "), END);
            try (ChildJvm writer = ChildJvm.start(FollowJournalLive.class, "write", store, "" + COUNT, "50")) {
                final List<String> out = writer.finish(END);
                assertEquals(0, writer.exitCode(), String.join("\n", out));
            }
            final List<String> out = follower.finish(END);
            final String all = String.join("\n", out);
            assertEquals(0, follower.exitCode(), all);
            final List<String> changes = new ArrayList<>();
            for (String line : out.subList(1, out.size())) {
                changes.add(line.replaceAll("^index=0x\\p{XDigit}+ ", "").replaceAll(" pid=\\d+$", ""));
            }
            final List<String> expected = new ArrayList<>();
            final List<String> expectedObjects = new ArrayList<>();
            expected.add("tag=ticker op=CREATE version=1 offset=0 length=64 data=\"\"");
            for (int i = 1; i <= COUNT; i++) {
                expected.add("tag=ticker op=WRITE version=" + (i + 1) + " offset=0 length=64 data=\"tick " + i + "\"");
                expected.add("tag=status op=PUT version=" + i + " offset=0 length=");
                expectedObjects.add("object={tick=" + i + ", ok=true}");
            }
            assertEquals(expected.size(), changes.size(), all);
            for (int i = 0; i < expected.size(); i++) {
                assertTrue(changes.get(i).startsWith(expected.get(i)), "entry " + i + ": " + changes.get(i) + "\nexpected "
                    + expected.get(i) + "\nin\n" + all);
            }
            for (int i = 1; i <= COUNT; i++) {
                assertTrue(changes.get(2 * i).endsWith(expectedObjects.get(i - 1)), changes.get(2 * i));
            }
            assertEquals(1, out.stream().skip(1).map(l -> l.replaceAll(".* pid=", "")).distinct().count(),
                "one writer pid: " + all);
        }
    }
}
