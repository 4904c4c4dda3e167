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

/** Example 7: a master JVM changes the config; the two follower JVMs it starts read it, read-only. */
class SharedConfigMasterFollowersIT {
    private static final int FOLLOWERS = 2;
    private static final int CHANGES = 3;

    @TempDir
    Path dir;

    @Test
    @Timeout(240)
    void shouldShowEveryFollowerTheMastersConfigAndRefuseItsWrites() throws Exception {
        try (ChildJvm master = ChildJvm.start(SharedConfigMasterFollowers.class, dir.resolve("store").toString(),
            "" + FOLLOWERS, "" + CHANGES, "100")) {
            final List<String> out = master.finish(Duration.ofSeconds(200));
            final String all = String.join("\n", out);
            assertEquals(0, master.exitCode(), all);
            final List<String> published = out.stream().filter(l -> l.startsWith("master: config v"))
                .map(l -> l.substring("master: ".length())).toList();
            assertEquals(CHANGES + 1, published.size(), all);
            for (int id = 1; id <= FOLLOWERS; id++) {
                final String me = "follower " + id + ": ";
                final List<String> lines = out.stream().filter(l -> l.startsWith(me))
                    .map(l -> l.substring(me.length())).toList();
                assertTrue(lines.get(0).startsWith("ready, config v1: "), all);
                assertEquals("cannot change the config (ReadOnlyStoreException)", lines.get(1), all);
                // Every config it saw is one the master published, in the master's order, up to the last.
                int at = 0;
                for (String seen : lines.subList(2, lines.size())) {
                    final int i = published.indexOf(seen);
                    assertTrue(i > at, me + "saw \"" + seen + "\" out of order in\n" + all);
                    at = i;
                }
                assertEquals(CHANGES, at, me + "did not see the last config in\n" + all);
            }
            assertEquals("master: 2 of 2 followers saw v" + (CHANGES + 1), out.get(out.size() - 1), all);
        }
    }
}
