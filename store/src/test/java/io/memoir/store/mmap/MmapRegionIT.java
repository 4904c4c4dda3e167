package io.memoir.store.mmap;

import static java.nio.charset.StandardCharsets.US_ASCII;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.memoir.store.JournalEntry;
import io.memoir.store.Op;
import io.memoir.store.Store;
import io.memoir.store.testing.ChildJvm;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Two JVMs with {@code Mmap.open(store, "share_mmap", 1024)}: each sees the other's writes at once,
 * the journal records who wrote which bytes, and a resize by one leaves the other's map with its
 * length and a clear error past the region's new end. The in-process form of the same sharing is
 * {@link MmapRegionTest}.
 */
class MmapRegionIT {

    private static final String TAG = "share_mmap";
    private static final byte[] PING = "ping from the first JVM".getBytes(US_ASCII);
    private static final byte[] PONG = "pong from the second JVM".getBytes(US_ASCII);
    private static final int PONG_AT = 512;
    /** Where the first JVM sets 1 once it has checked the pong: the peer may shrink the region. */
    private static final int GO_AT = 1000;
    private static final Duration WAIT = Duration.ofSeconds(60);

    @TempDir
    Path dir;

    /**
     * The second JVM: maps the tag, waits to see the ping, writes the pong, waits for the go byte,
     * then shrinks the region. It waits by reading its map, as the Python seeds' readers do.
     */
    public static final class Peer {
        public static void main(final String[] args) {
            try (Store store = MmapRegionTest.builder().open(Path.of(args[0]));
                    Mmap mm = Mmap.open(store, TAG, 1024, Mmap.ACCESS_WRITE)) {
                System.out.println("OPEN");
                System.out.flush();
                long deadline = System.nanoTime() + WAIT.toNanos();
                while (!Arrays.equals(PING, mm.getSlice(0, PING.length))) {
                    spinUntil(deadline, "no ping: " + new String(mm.getSlice(0, PING.length), US_ASCII));
                }
                mm.seek(PONG_AT);
                mm.write(PONG);
                System.out.println("PONG");
                System.out.flush();
                while (mm.get(GO_AT) != 1) {
                    spinUntil(deadline, "no go");
                }
                mm.resize(16);
                System.out.println("RESIZED");
            }
        }

        private static void spinUntil(final long deadline, final String failure) {
            if (System.nanoTime() > deadline) {
                System.out.println(failure);
                System.exit(2);
            }
            Thread.onSpinWait();
        }
    }

    @Test
    @Timeout(120)
    void shouldShareWritesAcrossJvmsAndJournalWhoWroteWhichBytes() throws Exception {
        Path storeDir = dir.resolve("store");
        try (Store store = MmapRegionTest.builder().open(storeDir);
                Mmap mm = Mmap.open(store, TAG, 1024, Mmap.ACCESS_WRITE);
                ChildJvm peer = ChildJvm.start(Peer.class, storeDir.toString())) {
            peer.await("OPEN"::equals, WAIT);
            mm.write(PING);
            peer.await("PONG"::equals, WAIT);
            assertArrayEquals(PONG, mm.getSlice(PONG_AT, PONG_AT + PONG.length),
                    "the other JVM's write is visible as soon as it returned");
            mm.set(GO_AT, 1);
            peer.await("RESIZED"::equals, WAIT);
            assertEquals(0, waitFor(peer), "peer exit code; output: " + peer.lines());

            assertEquals(1024, mm.length(), "another JVM's resize leaves this map's length");
            assertEquals(16, mm.size());
            assertArrayEquals(Arrays.copyOf(PING, 16), mm.getSlice(0, 16));
            Mmap.OSError e = assertThrows(Mmap.OSError.class, () -> mm.get(PONG_AT));
            assertEquals(14, e.errno(), e.getMessage());

            long me = ProcessHandle.current().pid();
            List<String> history = store.history(TAG).stream()
                    .map(x -> describe(x, me)).collect(Collectors.toList());
            assertEquals(List.of(
                    "CREATE @0 len=1024 0B by this JVM",
                    "WRITE @0 len=1024 " + PING.length + "B by this JVM",
                    "WRITE @" + PONG_AT + " len=1024 " + PONG.length + "B by the peer",
                    "WRITE @" + GO_AT + " len=1024 1B by this JVM",
                    "RESIZE @0 len=16 0B by the peer"), history);
            JournalEntry pong = store.history(TAG).get(2);
            assertEquals(Op.WRITE, pong.op());
            assertArrayEquals(PONG, pong.data(), "the entry holds only the bytes written");
        }
    }

    private static int waitFor(ChildJvm peer) throws InterruptedException {
        peer.finish(WAIT);
        return peer.exitCode();
    }

    private static String describe(JournalEntry e, long me) {
        return e.op() + " @" + e.offset() + " len=" + e.length() + " " + e.data().length + "B by "
                + (e.writer() == me ? "this JVM" : "the peer");
    }
}
