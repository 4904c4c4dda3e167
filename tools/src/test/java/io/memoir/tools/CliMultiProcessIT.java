package io.memoir.tools;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.memoir.store.JournalEntry;
import io.memoir.store.JournalReader;
import io.memoir.store.Region;
import io.memoir.store.RegionInfo;
import io.memoir.store.Snapshot;
import io.memoir.store.Store;
import io.memoir.store.testing.ChildJvm;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** The CLI with other processes: tail -f, replay and verify of concurrent writers, recover, demo. */
@Timeout(300)
class CliMultiProcessIT {
    private static final Duration WAIT = Duration.ofSeconds(60);

    @TempDir
    Path tmp;

    /** Child JVM: writes tick-1, waits for the next journal cycle (1 s), writes tick-2. */
    public static final class TickWriter {
        public static void main(final String[] args) throws InterruptedException {
            try (Store s = Store.open(Path.of(args[0]))) {
                final Region r = s.region("ticks");
                r.write(0, "tick-1".getBytes(UTF_8));
                final long second = System.currentTimeMillis() / 1000;
                while (System.currentTimeMillis() / 1000 == second) {
                    Thread.sleep(10); // pacing the writer so the journal rolls (TEST_SECONDLY cycles)
                }
                r.write(0, "tick-2".getBytes(UTF_8));
            }
            System.out.println("wrote");
        }
    }

    @Test
    void shouldFollowWritesOfOtherProcessesAcrossJournalRolls() throws Exception {
        final Path dir = tmp.resolve("store");
        try (Store s = Store.builder().rollCycle("TEST_SECONDLY").open(dir)) {
            s.region("ticks", 8);
            s.region("other", 8);
        }
        try (ChildJvm tail = Cli.start("tail", "-f", "--store=" + dir, "--from=start", "--tag=ticks")) {
            tail.await(l -> l.contains("ticks  CREATE  v1"), WAIT);
            try (ChildJvm writer = ChildJvm.start(TickWriter.class, dir.toString())) {
                tail.await(l -> l.contains("ticks  WRITE  v2  @0 +6  \"tick-1\""), WAIT);
                tail.await(l -> l.contains("ticks  WRITE  v3  @0 +6  \"tick-2\""), WAIT);
                writer.finish(WAIT);
            }
            Cli.runWithStdin("tick-3".getBytes(UTF_8), "put", "--store=" + dir, "ticks", "--offset=2", "-").expect(0);
            tail.await(l -> l.contains("ticks  WRITE  v4  @2 +6  \"tick-3\""), WAIT);
            assertTrue(tail.lines().stream().noneMatch(l -> l.contains("other")), "--tag filters");
        }
        try (Stream<Path> files = Files.list(dir.resolve(Store.JOURNAL_DIR))) {
            assertTrue(files.filter(p -> p.toString().endsWith(".cq4")).count() >= 2, "the journal rolled");
        }
    }

    /** Child JVM: {@code count} writes to its own tag and to its own slot of the shared one. */
    public static final class Writer {
        public static void main(final String[] args) {
            final int slot = Integer.parseInt(args[1]);
            final int count = Integer.parseInt(args[2]);
            try (Store s = Store.open(Path.of(args[0]))) {
                final Region own = s.region("own-" + slot, 16);
                final Region shared = s.region("shared", 64);
                for (int i = 0; i < count; i++) {
                    final byte[] b = String.format("%d:%06d", slot, i).getBytes(UTF_8);
                    own.write(0, b);
                    shared.write(slot * 16L, b);
                }
            }
            System.out.println("done");
        }
    }

    @Test
    void shouldVerifyAndReplayStoreWrittenByConcurrentJvms() throws Exception {
        final Path dir = tmp.resolve("store");
        try (Store s = Store.open(dir)) {
            s.region("shared", 64);
        }
        try (ChildJvm a = ChildJvm.start(Writer.class, dir.toString(), "0", "300");
             ChildJvm b = ChildJvm.start(Writer.class, dir.toString(), "1", "300")) {
            a.finish(WAIT);
            b.finish(WAIT);
            assertEquals(0, a.exitCode());
            assertEquals(0, b.exitCode());
        }
        final String ok = Cli.run("verify", "--store=" + dir).expect(0).out().strip();
        assertTrue(ok.matches("ok: regions=3 entries=\\d+ differences=0"), ok);

        final Path all = tmp.resolve("all");
        final String replayed = Cli.run("replay", "--store=" + dir, "--to", all.toString()).expect(0).out().strip();
        assertTrue(replayed.startsWith("replayed entries="), replayed);
        final JournalEntry middle;
        try (Store src = Store.builder().readOnly(true).open(dir); Store copy = Store.builder().readOnly(true).open(all)) {
            assertTrue(copy.verify().ok());
            assertEquals(names(src.list()), names(copy.list()));
            for (RegionInfo r : src.list()) {
                assertArrayEquals(src.region(r.tag()).readAll(), copy.region(r.tag()).readAll(), r.tag());
                assertEquals(r.version(), copy.region(r.tag()).version(), r.tag());
            }
            assertEquals(1 + 2 * (1 + 2 * 300), src.journal().entryCount(), "CREATEs and every write journaled");
            assertEquals(src.journal().entryCount(), copy.journal().entryCount(), "every entry copied");
            middle = src.history("shared").get(250);
        }

        final Path then = tmp.resolve("then");
        Cli.run("replay", "--store=" + dir, "--to=" + then, "--until=" + Formats.index(middle.index())).expect(0);
        try (Store src = Store.builder().readOnly(true).open(dir); Store copy = Store.builder().readOnly(true).open(then)) {
            final Snapshot expected = src.replay(middle.index());
            assertArrayEquals(expected.content("shared"), copy.region("shared").readAll());
            assertEquals(middle.version(), copy.region("shared").version());
            long upToMiddle = 0;
            try (JournalReader r = src.journal().reader()) {
                for (JournalEntry e = r.next(); e != null && e.index() <= middle.index(); e = r.next()) {
                    upToMiddle++;
                }
            }
            assertEquals(upToMiddle, copy.journal().entryCount(), "copied up to the index, no further");
        }
    }

    private static List<String> names(final List<RegionInfo> regions) {
        return regions.stream().map(RegionInfo::tag).toList();
    }

    @Test
    void shouldListDifferencesThenRecoverFromTheJournal() throws IOException {
        final Path dir = tmp.resolve("store");
        try (Store s = Store.open(dir)) {
            s.region("victim", 32).write(0, "MARKER-0123456789".getBytes(UTF_8));
            s.region("bystander", 4);
        }
        damage(dir.resolve("regions.cm3"), "MARKER-0123456789".getBytes(UTF_8));

        final Cli.Result bad = Cli.run("verify", "--store=" + dir).expect(1);
        assertTrue(bad.out().lines().anyMatch(l -> l.startsWith("tag=victim")), bad.out());
        assertTrue(bad.out().contains("DIFFERENT: regions=2"), bad.out());

        final Cli.Result recovered = Cli.run("recover", "--store=" + dir).expect(0);
        assertTrue(recovered.out().contains("repaired: tag=victim"), recovered.out());
        assertTrue(recovered.out().contains("ok: regions=2"), recovered.out());
        try (Store s = Store.builder().readOnly(true).open(dir)) {
            assertTrue(s.verify().ok());
            assertEquals("MARKER-0123456789", new String(s.region("victim").read(0, 17), UTF_8));
        }
    }

    @Test
    void shouldRebuildATruncatedMapFromTheJournal() throws IOException {
        final Path dir = tmp.resolve("truncated-map");
        try (Store s = Store.open(dir)) {
            s.region("kept", 16).write(0, "KEPT".getBytes(UTF_8));
        }
        try (FileChannel ch = FileChannel.open(dir.resolve("regions.cm3"), StandardOpenOption.WRITE)) {
            ch.truncate(ch.size() / 2);
        }
        final Cli.Result refused = Cli.run("recover", "--store=" + dir).expect(1);
        assertTrue(refused.err().contains("regions.cm3") && refused.err().contains("--rebuild-map"), refused.err());

        final Cli.Result rebuilt = Cli.run("recover", "--store=" + dir, "--rebuild-map").expect(0);
        assertTrue(rebuilt.out().contains("rebuilt from the journal: tags=1"), rebuilt.out());
        assertTrue(rebuilt.out().contains("ok: regions=1"), rebuilt.out());
        try (Store s = Store.builder().readOnly(true).open(dir)) {
            assertEquals("KEPT", new String(s.region("kept").read(0, 4), UTF_8));
        }
    }

    /** Changes one byte of the first occurrence of {@code marker} in {@code file}, behind the store's back. */
    private static void damage(final Path file, final byte[] marker) throws IOException {
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ, StandardOpenOption.WRITE)) {
            final ByteBuffer buf = ch.map(FileChannel.MapMode.READ_WRITE, 0, ch.size());
            outer:
            for (int i = 0; i + marker.length <= buf.limit(); i++) {
                for (int j = 0; j < marker.length; j++) {
                    if (buf.get(i + j) != marker[j]) {
                        continue outer;
                    }
                }
                buf.put(i, (byte) 'X');
                return;
            }
        }
        throw new AssertionError("marker not found in " + file);
    }

    @Test
    void shouldRunTheDemoToTheEnd() throws IOException {
        final Cli.Result r = Cli.run("demo", "--updates", "3", "--interval-ms", "50").expect(0);
        final String out = r.out();
        assertTrue(out.contains("[follower-1] received 3 updates"), out);
        assertTrue(out.contains("[follower-2] received 3 updates"), out);
        assertTrue(out.contains("[master    ] wrote ticker v4 \"tick 3 from pid"), out);
        assertTrue(out.contains("verify (memoir verify): ok: regions=1 entries=5 differences=0"), out);
        final String dir = out.substring(out.indexOf("store=") + 6, out.indexOf(" (temporary)"));
        assertFalse(Files.exists(Path.of(dir)), "the temporary store is deleted");
    }
}
