package io.memoir.store;

import io.memoir.store.testing.ChildJvm;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ThreadLocalRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * kill -9 of a writer at random moments while it mixes every kind of change — in-place writes, puts of
 * other lengths (new records), resizes, deletes and re-creations, compare-and-sets of objects — with a
 * second writer running on: after each kill the survivor keeps going, reopening repairs the store,
 * verify passes and every change acknowledged before the kill is in the journal. Trials: 20, or
 * {@code -Dmemoir.kill.trials=N}. The store uses the default roll cycle: the test roll cycle's 2^17
 * entries per cycle would run out (Chronicle then refuses appends).
 */
class KillCampaignIT {
    private static final Duration LONG = Duration.ofSeconds(90);
    private static final int TRIALS = Integer.getInteger("memoir.kill.trials", 20);
    private static final List<String> TAGS = List.of("a", "b", "c");

    @TempDir
    Path dir;

    /** Applies random changes forever; prints {@code ACK tag version} after each one returns. */
    public static final class MixedWriter {
        public static void main(final String[] args) {
            final Random random = new Random(Long.parseLong(args[1]));
            try (Store store = Store.builder().capacity(new Capacity(16, 512, 4096)).open(Path.of(args[0]))) {
                System.out.println("READY");
                System.out.flush();
                while (true) {
                    final String tag = TAGS.get(random.nextInt(TAGS.size()));
                    final int kind = random.nextInt(6);
                    final long version = change(store, tag, kind, random);
                    if (version > 0) {
                        System.out.println("ACK " + (kind == 4 ? tag + ".n" : kind == 5 ? tag + ".cas" : tag) + " " + version);
                        System.out.flush();
                    }
                }
            }
        }

        private static long change(final Store store, final String tag, final int kind, final Random random) {
            try {
                switch (kind) {
                    case 0:
                        final Region r = store.region(tag, 64);
                        return r.write(random.nextInt(Math.max(1, r.length())), new byte[] {(byte) random.nextInt()});
                    case 1:
                        return store.region(tag, 64).put(new byte[1 + random.nextInt(300)]);
                    case 2:
                        return store.region(tag, 64).resize(1 + random.nextInt(200));
                    case 3:
                        return store.exists(tag) ? store.delete(tag) : 0;
                    case 4:
                        return store.update(tag + ".n", Long.class, n -> n == null ? 1L : n + 1);
                    default:
                        final long v = store.version(tag + ".cas");
                        return store.compareAndSet(tag + ".cas", v, "v" + v);
                }
            } catch (MemoirException.VersionConflictException | MemoirException.RegionNotFoundException
                     | IndexOutOfBoundsException e) {
                return 0; // lost a race with the other writer (it resized or deleted the tag): nothing changed
            }
        }
    }

    @Test
    @Timeout(900)
    void shouldRecoverEveryAcknowledgedChangeAfterEachKill() throws Exception {
        Store.builder().capacity(new Capacity(16, 512, 4096)).open(dir).close();
        final Map<String, Long> acked = new HashMap<>();
        int repairsSeen = 0;
        try (ChildJvm survivor = ChildJvm.start(MixedWriter.class, dir.toString(), "1")) {
            survivor.await("READY"::equals, LONG);
            for (int trial = 0; trial < TRIALS; trial++) {
                try (ChildJvm victim = ChildJvm.start(MixedWriter.class, dir.toString(), Integer.toString(100 + trial))) {
                    victim.await("READY"::equals, LONG);
                    final int killAfter = ThreadLocalRandom.current().nextInt(50, 1500);
                    for (int i = 0; i < killAfter; i++) {
                        victim.await(l -> l.startsWith("ACK"), LONG);
                    }
                    victim.kill9();
                    KillChecks.collect(victim.finish(LONG), acked);
                    // The survivor goes on past the kill: 200 more acknowledged changes.
                    final long before = survivor.lines().stream().filter(l -> l.startsWith("ACK")).count();
                    while (survivor.lines().stream().filter(l -> l.startsWith("ACK")).count() < before + 200) {
                        survivor.await(l -> l.startsWith("ACK"), Duration.ofSeconds(20));
                    }
                }
            }
            survivor.kill9();
            KillChecks.collect(survivor.finish(LONG), acked);
        }
        repairsSeen += KillChecks.reopenAndCheck(dir, acked);
        System.out.println("kill campaign: trials=" + TRIALS + " (+1 survivor kill), tags with acknowledged changes="
            + acked.size() + ", repairs at the last open=" + repairsSeen + ", verify ok");
    }
}
