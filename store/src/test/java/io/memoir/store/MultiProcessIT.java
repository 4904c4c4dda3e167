package io.memoir.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.memoir.store.testing.ChildJvm;
import io.memoir.store.testing.Patterns;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Several JVMs on one store: contiguous versions, journal order, never a torn read, and no lost or
 * blocked write when a writer is killed with SIGKILL. Each child is a nested class with a main.
 */
class MultiProcessIT {
    private static final int REGION = 4096;
    private static final Duration LONG = Duration.ofSeconds(90);

    @TempDir
    Path dir;

    /** Writes self-checking patterns to a tag; prints {@code ACK version crc} after each returned write. */
    public static final class Writer {
        public static void main(final String[] args) throws Exception {
            final Path dir = Path.of(args[0]);
            final String tag = args[1];
            final int count = Integer.parseInt(args[2]);
            final int seqBase = Integer.parseInt(args[3]);
            try (Store store = TestStores.builder().open(dir)) {
                final Region r = store.region(tag);
                System.out.println("READY");
                System.out.flush();
                for (int i = 0; count < 0 || i < count; i++) {
                    final byte[] p = Patterns.pattern(seqBase + i, REGION);
                    final long version = r.write(0, p);
                    System.out.println("ACK " + version + " " + Patterns.crc(p));
                    System.out.flush();
                }
                System.out.println("DONE");
            }
        }
    }

    /** Reads a tag until a stop file exists; checks every read; prints {@code READS n torn t back b}. */
    public static final class Reader {
        public static void main(final String[] args) throws Exception {
            final Path dir = Path.of(args[0]);
            final String tag = args[1];
            final Path stop = Path.of(args[2]);
            long reads = 0;
            long torn = 0;
            long backwards = 0;
            long lastVersion = 0;
            try (Store store = TestStores.builder().open(dir)) {
                final Region r = store.region(tag);
                final byte[] buf = new byte[REGION];
                System.out.println("READY");
                System.out.flush();
                while (!Files.exists(stop) || reads == 0) {
                    for (int i = 0; i < 1000; i++) {
                        final long v1 = r.version();
                        r.read(0, buf, 0, REGION);
                        try {
                            Patterns.check(buf);
                        } catch (AssertionError e) {
                            torn++;
                            System.out.println("TORN " + e.getMessage());
                        }
                        if (v1 < lastVersion) {
                            backwards++;
                        }
                        lastVersion = v1;
                        reads++;
                    }
                }
            }
            System.out.println("READS " + reads + " torn " + torn + " back " + backwards);
        }
    }

    private void createStore(final String... tags) {
        try (Store store = TestStores.builder().open(dir)) {
            for (String t : tags) {
                store.region(t, REGION);
            }
        }
    }

    @Test
    @Timeout(180)
    void shouldKeepVersionsContiguousAcrossWriterJvms() throws Exception {
        createStore("same", "a", "b");
        final Path stop = dir.resolveSibling("stop-" + dir.getFileName());
        try (ChildJvm w1 = ChildJvm.start(Writer.class, dir.toString(), "same", "1500", "0");
             ChildJvm w2 = ChildJvm.start(Writer.class, dir.toString(), "same", "1500", "100000");
             ChildJvm wa = ChildJvm.start(Writer.class, dir.toString(), "a", "1000", "0");
             ChildJvm wb = ChildJvm.start(Writer.class, dir.toString(), "b", "1000", "0");
             ChildJvm reader = ChildJvm.start(Reader.class, dir.toString(), "same", stop.toString())) {
            for (ChildJvm w : List.of(w1, w2, wa, wb)) {
                w.await("DONE"::equals, LONG);
            }
            Files.createFile(stop);
            final String summary = reader.await(l -> l.startsWith("READS"), LONG);
            assertTrue(summary.endsWith("torn 0 back 0"), summary + "\n" + reader.lines());
            assertAcksAscending(w1.lines());
            assertAcksAscending(w2.lines());
        }
        try (Store store = TestStores.builder().open(dir)) {
            assertContiguous(store, "same", 3001);
            assertContiguous(store, "a", 1001);
            assertContiguous(store, "b", 1001);
            final VerifyReport report = store.verify();
            assertTrue(report.ok(), report::toString);
            Patterns.check(store.region("same").readAll());
        }
    }

    @Test
    @Timeout(120)
    void shouldKeepVersionsContiguousAcrossWriterThreads() throws Exception {
        try (Store store = TestStores.builder().open(dir)) {
            final Region r = store.region("same", REGION);
            final List<Thread> threads = new ArrayList<>();
            for (int t = 0; t < 3; t++) {
                final int base = t * 100_000;
                threads.add(new Thread(() -> {
                    for (int i = 0; i < 1500; i++) {
                        r.write(0, Patterns.pattern(base + i, REGION));
                    }
                }));
            }
            threads.forEach(Thread::start);
            final byte[] buf = new byte[REGION];
            while (threads.stream().anyMatch(Thread::isAlive)) {
                r.read(0, buf, 0, REGION);
                Patterns.check(buf);
            }
            for (Thread t : threads) {
                t.join();
            }
            assertContiguous(store, "same", 4501);
            assertTrue(store.verify().ok());
        }
    }

    @Test
    @Timeout(240)
    void shouldLoseNothingAndBlockNobodyWhenAWriterIsKilled() throws Exception {
        createStore("k");
        final Map<Long, Long> acked = new HashMap<>();
        for (int trial = 0; trial < 3; trial++) {
            final Path stop = dir.resolveSibling("stop-" + trial + "-" + dir.getFileName());
            try (ChildJvm survivor = ChildJvm.start(Writer.class, dir.toString(), "k", "-1", "0");
                 ChildJvm victim = ChildJvm.start(Writer.class, dir.toString(), "k", "-1", "500000");
                 ChildJvm reader = ChildJvm.start(Reader.class, dir.toString(), "k", stop.toString())) {
                for (ChildJvm c : List.of(survivor, victim, reader)) {
                    c.await("READY"::equals, LONG); // JVM start-up is not what the 10 s write-gap bound is about
                }
                final int killAfter = ThreadLocalRandom.current().nextInt(200, 3000);
                countAcks(victim, killAfter);
                victim.kill9();
                // The survivor must go on: 2000 more writes with no stall longer than the await below.
                final int before = ackCount(survivor);
                countAcks(survivor, before + 2000);
                survivor.kill9(); // a second crash, at another random point
                Files.createFile(stop);
                final String summary = reader.await(l -> l.startsWith("READS"), LONG);
                assertTrue(summary.endsWith("torn 0 back 0"), summary);
                collectAcks(victim.finish(LONG), acked);
                collectAcks(survivor.finish(LONG), acked);
            }
            try (Store store = TestStores.builder().open(dir)) {
                final VerifyReport report = store.verify();
                assertTrue(report.ok(), () -> report + " repairs=" + store.repairs());
                final List<JournalEntry> history = store.history("k");
                final Map<Long, JournalEntry> byVersion = new HashMap<>();
                for (JournalEntry e : history) {
                    byVersion.put(e.version(), e);
                }
                for (Map.Entry<Long, Long> a : acked.entrySet()) {
                    final JournalEntry e = byVersion.get(a.getKey());
                    assertTrue(e != null, "acknowledged version " + a.getKey() + " missing from the journal");
                    assertEquals(a.getValue(), Patterns.crc(e.data()), "data of version " + a.getKey());
                }
                assertContiguous(store, "k", history.size());
                Patterns.check(store.region("k").readAll());
            }
        }
    }

    private static void countAcks(final ChildJvm writer, final int n) throws InterruptedException {
        while (ackCount(writer) < n) {
            writer.await(l -> l.startsWith("ACK"), Duration.ofSeconds(10));
        }
    }

    private static int ackCount(final ChildJvm writer) {
        return (int) writer.lines().stream().filter(l -> l.startsWith("ACK")).count();
    }

    private static void collectAcks(final List<String> lines, final Map<Long, Long> acked) {
        for (String l : lines) {
            final String[] p = l.split(" ");
            if (p.length == 3 && p[0].equals("ACK")) {
                acked.put(Long.parseLong(p[1]), Long.parseLong(p[2]));
            }
        }
    }

    private static void assertAcksAscending(final List<String> lines) {
        long last = 0;
        for (String l : lines) {
            if (l.startsWith("ACK")) {
                final long v = Long.parseLong(l.split(" ")[1]);
                assertTrue(v > last, "versions acknowledged out of order: " + last + " then " + v);
                last = v;
            }
        }
    }

    private static void assertContiguous(final Store store, final String tag, final long versions) {
        final List<JournalEntry> h = store.history(tag);
        assertEquals(versions, h.size(), "journal entries of tag=" + tag);
        for (int i = 0; i < h.size(); i++) {
            assertEquals(i + 1, h.get(i).version(), "version at position " + i + " of tag=" + tag);
        }
        assertEquals(versions, store.region(tag).version());
    }
}
