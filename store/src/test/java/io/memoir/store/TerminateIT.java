package io.memoir.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.memoir.store.testing.ChildJvm;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * SIGTERM (plain {@code kill}, a container stop, Ctrl-C's cousin) of a JVM in the middle of writing: the JVM
 * ends as any JVM ends on SIGTERM (exit 143), not with a crash report because a shutdown hook unmapped the
 * store under a thread still writing to it, and the store it leaves behind reopens, verifies and holds
 * every change it acknowledged, as after a kill -9.
 */
class TerminateIT {
    private static final Duration LONG = Duration.ofSeconds(90);
    private static final int TRIALS = 4;

    @TempDir
    Path dir;

    /** {@link KillCampaignIT.MixedWriter}'s changes, plus a thread that puts and gets an object flat out. */
    public static final class BusyWriter {
        public static void main(final String[] args) {
            final Thread busy = new Thread(() -> {
                try (Store store = Store.open(Path.of(args[0]))) {
                    final Map<String, Object> config = new HashMap<>(Map.of("hosts", List.of("a", "b"), "n", 0L));
                    for (long n = 0; ; n++) {
                        config.put("n", n);
                        store.put("busy", config);
                        store.get("busy", Map.class);
                    }
                }
            }, "busy");
            busy.setDaemon(true);
            busy.start();
            KillCampaignIT.MixedWriter.main(args);
        }
    }

    @Test
    @Timeout(600)
    void shouldEndOnSigtermWithoutCrashingAndLoseNothingAcknowledged() throws Exception {
        Store.builder().capacity(new Capacity(16, 512, 4096)).open(dir).close();
        final Map<String, Long> acked = new HashMap<>();
        for (int t = 0; t < TRIALS; t++) {
            try (ChildJvm writer = ChildJvm.start(BusyWriter.class, dir.toString(), Integer.toString(7 + t))) {
                writer.await("READY"::equals, LONG);
                for (int i = 0; i < 500 + 1_000 * t; i++) {
                    writer.await(l -> l.startsWith("ACK"), LONG);
                }
                writer.terminate();
                final List<String> out = writer.finish(LONG);
                final String crash = out.stream().filter(l -> l.contains("fatal error") || l.contains("SIGSEGV")
                    || l.contains("SIGBUS")).findFirst().orElse(null);
                assertNull(crash, () -> "the JVM crashed on SIGTERM:\n"
                    + String.join("\n", out.subList(Math.max(0, out.size() - 40), out.size())));
                assertEquals(143, writer.exitCode(), "exit code after SIGTERM");
                KillChecks.collect(out, acked);
            }
        }
        assertTrue(acked.size() > 0, "the writers acknowledged changes");
        KillChecks.reopenAndCheck(dir, acked);
    }
}
