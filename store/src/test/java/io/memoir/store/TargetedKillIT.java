package io.memoir.store;

import static org.junit.jupiter.api.Assertions.assertTrue;

import io.memoir.store.testing.ChildJvm;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * kill -9 aimed at one kind of change: a victim JVM loops only that change (a resize, a delete, a
 * compare-and-set, a put of another length journaled as a splice, or in-place writes across journal
 * cycle rolls), so a kill at a random moment lands
 * inside it, while a survivor JVM loops the same change on the same tag. After each kill the survivor
 * must make 100 more changes, none waiting more than {@link #STALL} (no stuck lock, also after a kill
 * during a roll); at the end the
 * survivor is killed too, and a reopened store must verify, hold every acknowledged version, and have
 * contiguous versions. For the roll, the store's roll cycle is {@code TEST_SECONDLY} (a new journal file
 * every second) and each kill is timed to land 0 to 6 ms after a second starts, when the next append
 * rolls the journal to a new file. Trials per kind: 3, or {@code -Dmemoir.kill.targeted.trials=N}.
 *
 * <p>Readers: six reader JVMs, each holding one thing most of the time (the map lock, a region being
 * replaced, an await, a journal tailer, a durable cursor, a read-only open), are killed one by one while
 * a writer resizes flat out; after each kill the writer must make 100 more changes, none waiting more
 * than {@link #STALL}. Rounds: 1 (6 kills), or {@code -Dmemoir.kill.reader.rounds=N}.
 */
class TargetedKillIT {
    private static final Duration LONG = Duration.ofSeconds(90);
    /** The longest a survivor may wait for its next change after a kill: the queue's dead-lock takeover is 3 s. */
    static final Duration STALL = Duration.ofSeconds(Long.getLong("memoir.kill.stall.seconds", 10));
    private static final int TRIALS = Integer.getInteger("memoir.kill.targeted.trials", 3);
    private static final int READER_ROUNDS = Integer.getInteger("memoir.kill.reader.rounds", 1);
    private static final Capacity CAPACITY = new Capacity(16, 512, 4096);

    @TempDir
    Path dir;

    /**
     * Loops one kind of change ({@code args[1]}) on one tag; prints {@code ACK tag version millis} after
     * each. With a third argument it pauses 200 µs after each change (a survivor: it need not be fast,
     * and a shorter journal keeps the final verify short).
     */
    public static final class Looper {
        public static void main(final String[] args) {
            final String kind = args[1];
            final boolean paced = args.length > 2;
            try (Store store = Store.builder().capacity(CAPACITY).open(Path.of(args[0]))) {
                System.out.println("READY");
                System.out.flush();
                for (long i = 0; ; i++) {
                    final long version = change(store, kind, i);
                    if (version > 0) {
                        System.out.println("ACK " + kind + " " + version + " " + System.currentTimeMillis());
                        System.out.flush();
                    }
                    if (paced) {
                        LockSupport.parkNanos(200_000);
                    }
                }
            }
        }

        private static long change(final Store store, final String kind, final long i) {
            try {
                switch (kind) {
                    case "resize":
                        return store.region(kind, 64).resize(i % 2 == 0 ? 200 : 64);
                    case "delete":
                        return store.region(kind, 64).delete(); // the next turn creates it again
                    case "cas":
                        final long v = store.version(kind);
                        return store.compareAndSet(kind, v, "v" + v);
                    case "splice": // journaled as splices: puts of another length (a new record: the name, last,
                        // grows by more than the record's room, or shrinks by more than a quarter), and of the
                        // same length with changes far apart (in place)
                        final Map<String, Object> m = new LinkedHashMap<>();
                        m.put("n", i);
                        m.put("pad", "x".repeat(80) + (char) ('a' + i % 26));
                        m.put("name", i % 2 == 0 || i % 4 == 3 ? "even" : "odd-" + i + "y".repeat(60));
                        return store.put(kind, m);
                    default: // "roll": in-place writes, flat out, across the journal's cycles
                        return store.region(kind, 64).write((int) (i % 56), new byte[] {(byte) i, 1, 2, 3, 4, 5, 6, 7});
                }
            } catch (MemoirException.VersionConflictException | MemoirException.RegionNotFoundException e) {
                return 0; // lost a race with the other JVM: nothing changed
            }
        }
    }

    /**
     * A reader of the tag {@code resize} that holds something most of the time ({@code args[1]}):
     * {@code lookup} the map lock (exists, list, version of an absent tag), {@code read} a region
     * being replaced, {@code await} a version, {@code watch} a journal tailer, {@code cursor} a durable
     * cursor it acknowledges to, {@code readonly} a read-only open doing look-ups and reads. Prints
     * {@code TICK} every 200 rounds.
     */
    public static final class Reader {
        public static void main(final String[] args) {
            final String kind = args[1];
            try (Store store = Store.builder().readOnly(kind.equals("readonly")).open(Path.of(args[0]));
                 Watcher watcher = kind.equals("watch") || kind.equals("cursor")
                     ? store.watch(kind.equals("cursor") ? Watch.all().cursor("c" + ProcessHandle.current().pid())
                         : Watch.all().fromNow()) : null) {
                System.out.println("READY");
                System.out.flush();
                long seen = 0;
                for (long i = 1; ; i++) {
                    seen = readOnce(store, kind, watcher, seen);
                    if (i % 200 == 0) {
                        System.out.println("TICK");
                        System.out.flush();
                    }
                }
            }
        }

        private static long readOnce(final Store store, final String kind, final Watcher watcher, final long seen) {
            switch (kind) {
                case "read":
                    return store.region("resize").readAll().length;
                case "await":
                    store.await("absent", 0, Duration.ofMillis(1));
                    return store.await("resize", seen, Duration.ofMillis(100));
                case "watch":
                case "cursor":
                    final JournalEntry e = watcher.next(Duration.ofMillis(100));
                    if (e != null && watcher.cursor() != null) {
                        watcher.ack(e);
                    }
                    return e == null ? seen : e.version();
                default: // lookup, readonly
                    store.exists("resize");
                    store.list();
                    return store.version("absent") + store.region("resize").version();
            }
        }
    }

    @Test
    @Timeout(300)
    void shouldSurviveKillsDuringResizes() throws Exception {
        campaign("resize", "FAST_DAILY");
    }

    @Test
    @Timeout(300)
    void shouldSurviveKillsDuringDeletes() throws Exception {
        campaign("delete", "FAST_DAILY");
    }

    @Test
    @Timeout(300)
    void shouldSurviveKillsDuringCompareAndSets() throws Exception {
        campaign("cas", "FAST_DAILY");
    }

    @Test
    @Timeout(300)
    void shouldSurviveKillsDuringSplicedPuts() throws Exception {
        campaign("splice", "FAST_DAILY");
        try (Store store = Store.builder().capacity(CAPACITY).open(dir)) {
            final List<JournalEntry> splices = TestStores.journaled(store, "splice").stream()
                .filter(e -> e.op() == Op.SPLICE).toList();
            assertTrue(splices.stream().filter(e -> e.offset() != e.length()).count() > 100, "of another length");
            assertTrue(splices.stream().filter(e -> e.offset() == e.length()).count() > 100, "of the same length");
        }
    }

    @Test
    @Timeout(300)
    void shouldSurviveKillsDuringJournalRolls() throws Exception {
        campaign("roll", "TEST_SECONDLY");
    }

    @Test
    @Timeout(300)
    void shouldNotBlockWritersWhenReadersAreKilled() throws Exception {
        Store.builder().capacity(CAPACITY).open(dir).close();
        final List<String> kinds = List.of("lookup", "read", "await", "watch", "cursor", "readonly");
        final Map<String, Long> acked = new HashMap<>();
        long worstRecoveryMs = 0;
        int kills = 0;
        try (ChildJvm writer = ChildJvm.start(Looper.class, dir.toString(), "resize", "paced")) {
            writer.await("READY"::equals, LONG);
            for (int round = 0; round < READER_ROUNDS; round++) {
                final List<ChildJvm> readers = new ArrayList<>();
                try {
                    for (String kind : kinds) {
                        readers.add(ChildJvm.start(Reader.class, dir.toString(), kind));
                    }
                    for (ChildJvm r : readers) {
                        r.await("READY"::equals, LONG);
                        r.await("TICK"::equals, LONG);
                    }
                    Collections.shuffle(readers);
                    for (ChildJvm r : readers) {
                        TimeUnit.MILLISECONDS.sleep(ThreadLocalRandom.current().nextInt(0, 50));
                        r.kill9();
                        kills++;
                        worstRecoveryMs = Math.max(worstRecoveryMs, moreAcks(writer, 100, System.currentTimeMillis(), STALL));
                    }
                } finally {
                    readers.forEach(ChildJvm::close);
                }
            }
            writer.kill9();
            KillChecks.collect(writer.finish(LONG), acked);
        }
        final int repairs = KillChecks.reopenAndCheck(dir, acked);
        System.out.println("kill -9 of readers (" + String.join(", ", kinds) + "): kills=" + kills + ", writer acknowledged"
            + " versions=" + acked + ", repairs at the reopen=" + repairs + ", slowest writer recovery="
            + worstRecoveryMs + " ms, verify ok");
    }

    private void campaign(final String kind, final String rollCycle) throws Exception {
        Store.builder().capacity(CAPACITY).rollCycle(rollCycle).open(dir).close();
        final Map<String, Long> acked = new HashMap<>();
        final List<Long> recoveriesMs = new ArrayList<>();
        try (ChildJvm survivor = ChildJvm.start(Looper.class, dir.toString(), kind, "paced")) {
            survivor.await("READY"::equals, LONG);
            for (int trial = 0; trial < TRIALS; trial++) {
                try (ChildJvm victim = ChildJvm.start(Looper.class, dir.toString(), kind)) {
                    victim.await("READY"::equals, LONG);
                    final int acks = ThreadLocalRandom.current().nextInt(20, 400);
                    for (int i = 0; i < acks; i++) {
                        victim.await(l -> l.startsWith("ACK"), LONG);
                    }
                    if (kind.equals("roll")) {
                        sleepUntilJustAfterASecondStarts();
                    }
                    victim.kill9();
                    final long killed = System.currentTimeMillis();
                    KillChecks.collect(victim.finish(LONG), acked);
                    recoveriesMs.add(moreAcks(survivor, 100, killed, STALL));
                }
            }
            survivor.kill9();
            final List<String> lines = survivor.finish(LONG);
            lines.stream().filter(l -> l.contains("Repaired")).forEach(l -> System.out.println("survivor: " + l)); // its repairs
            KillChecks.collect(lines, acked);
        }
        final int repairs = KillChecks.reopenAndCheck(dir, acked);
        System.out.println("targeted kill -9 during " + kind + ": trials=" + TRIALS + " (+1 survivor kill), acknowledged"
            + " versions=" + acked + ", repairs at the reopen=" + repairs + ", survivor recoveries (ms)="
            + recoveriesMs + ", verify ok");
    }

    /** For roll trials: the kill lands 0 to 6 ms into a new second, a new journal cycle. */
    private static void sleepUntilJustAfterASecondStarts() throws InterruptedException {
        final long now = System.currentTimeMillis();
        TimeUnit.MILLISECONDS.sleep(1000 - now % 1000 + ThreadLocalRandom.current().nextInt(0, 7));
    }

    /**
     * Waits for {@code n} changes the survivor acknowledged after {@code since} (its lines carry the
     * time: lines it printed before the kill may still be queued), each within {@code stall}.
     *
     * @return milliseconds from {@code since} to its first change
     */
    static long moreAcks(final ChildJvm survivor, final int n, final long since, final Duration stall)
        throws InterruptedException {
        long first = -1;
        for (int i = 0; i < n; i++) {
            final String line;
            try {
                line = survivor.await(l -> l.startsWith("ACK") && ackTime(l) > since, stall);
            } catch (AssertionError stalled) {
                throw new AssertionError("stalled " + (System.currentTimeMillis() - since) + " ms after the kill at "
                    + since + ": " + stalled.getMessage() + "\nthread dump:\n" + survivor.threadDump(), stalled);
            }
            if (first < 0) {
                first = ackTime(line) - since;
            }
        }
        return first;
    }

    private static long ackTime(final String ackLine) {
        return Long.parseLong(ackLine.substring(ackLine.lastIndexOf(' ') + 1));
    }
}
