package io.memoir.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.memoir.store.testing.ChildJvm;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.zip.CRC32;
import net.openhft.chronicle.wire.SelfDescribingMarshallable;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Objects across JVMs: a master and followers (never a torn or partial object, versions only go up),
 * four JVMs incrementing one counter with update(), and a follower killed and resumed by its cursor.
 */
@Timeout(300)
class ObjectsIT {
    private static final Duration LONG = Duration.ofSeconds(120);
    private static final int CONFIG_UPDATES = 10_000;

    @TempDir
    Path dir;

    /** A config whose parts all repeat its serial number, with a CRC over them: a torn copy cannot pass. */
    public static final class Settings extends SelfDescribingMarshallable {
        long serial;
        List<String> hosts = new ArrayList<>();
        long crc;

        static Settings of(final long serial) {
            final Settings s = new Settings();
            s.serial = serial;
            for (int i = 0; i < 1 + (int) (serial % 17); i++) { // varying length: some puts change the region's length
                s.hosts.add("host-" + serial + "-" + i);
            }
            s.crc = s.crc();
            return s;
        }

        long crc() {
            final CRC32 c = new CRC32();
            c.update(Long.toString(serial).getBytes());
            hosts.forEach(h -> c.update(h.getBytes()));
            return c.getValue();
        }

        void check(final long version) {
            if (serial != version || crc != crc() || hosts.size() != 1 + (int) (serial % 17)) {
                throw new AssertionError("torn or wrong object at version " + version + ": " + this);
            }
            for (String h : hosts) {
                if (!h.startsWith("host-" + serial + "-")) {
                    throw new AssertionError("mixed object at version " + version + ": " + this);
                }
            }
        }
    }

    /** Publishes Settings 1..n to tag "config". */
    public static final class Master {
        public static void main(final String[] args) {
            final int n = Integer.parseInt(args[1]);
            try (Store store = TestStores.builder().open(Path.of(args[0]))) {
                for (int i = 1; i <= n; i++) {
                    store.put("config", Settings.of(i));
                }
                System.out.println("DONE");
            }
        }
    }

    /**
     * Follows "config" until version n: mode "await" reads the latest after each wake-up (conflating),
     * mode "watch" gets every version from the journal. Prints {@code DONE seen last problems}.
     */
    public static final class Follower {
        public static void main(final String[] args) throws Exception {
            final int n = Integer.parseInt(args[1]);
            final boolean watch = args[2].equals("watch");
            long seen = 0;
            long last = 0;
            long problems = 0;
            try (Store store = TestStores.builder().open(Path.of(args[0]));
                 Watcher w = watch ? store.watch(Watch.tag("config").afterVersion(0)) : null) {
                System.out.println("READY");
                System.out.flush();
                while (last < n) {
                    final Settings s;
                    final long version;
                    if (watch) {
                        final JournalEntry e = w.next(LONG);
                        if (e == null) {
                            break;
                        }
                        version = e.version();
                        s = e.object(Settings.class);
                        problems += version == last + 1 ? 0 : 1;
                    } else {
                        if (store.await("config", last, LONG) <= last) {
                            break;
                        }
                        final Versioned<Settings> v = store.getVersioned("config", Settings.class);
                        version = v.version();
                        s = v.value();
                        problems += version > last ? 0 : 1;
                    }
                    try {
                        s.check(version);
                    } catch (AssertionError e) {
                        problems++;
                        System.out.println("PROBLEM " + e.getMessage());
                    }
                    last = version;
                    seen++;
                }
            }
            System.out.println("DONE " + seen + " " + last + " " + problems);
        }
    }

    /** Increments "counter" n times with update(). */
    public static final class Incrementer {
        public static void main(final String[] args) {
            final int n = Integer.parseInt(args[1]);
            try (Store store = TestStores.builder().open(Path.of(args[0]))) {
                System.out.println("READY");
                System.out.flush();
                for (int i = 0; i < n; i++) {
                    store.update("counter", Long.class, c -> c == null ? 1L : c + 1);
                }
                System.out.println("DONE");
            }
        }
    }

    /** Follows "events" with cursor "billing", printing {@code GOT version} for each, until version n. */
    public static final class CursorFollower {
        public static void main(final String[] args) throws Exception {
            final int n = Integer.parseInt(args[1]);
            final CountDownLatch done = new CountDownLatch(1);
            final MessageDigest work = MessageDigest.getInstance("SHA-256");
            final byte[] block = new byte[16 << 10];
            try (Store store = TestStores.builder().open(Path.of(args[0]));
                 Subscription s = store.subscribe(Watch.tag("events").fromStart().cursor("billing"), e -> {
                     work.update(block); // some work per change, so that a kill lands mid-stream
                     work.digest();
                     System.out.println("GOT " + e.version());
                     System.out.flush();
                     if (e.version() == n) {
                         done.countDown();
                     }
                 })) {
                System.out.println("READY");
                System.out.flush();
                done.await();
                System.out.println("DONE " + s.lastIndex());
            }
        }
    }

    @Test
    void shouldShowFollowersEveryConfigWholeAndInOrder() throws Exception {
        TestStores.builder().open(dir).close();
        final List<ChildJvm> followers = List.of(
            ChildJvm.start(Follower.class, dir.toString(), Integer.toString(CONFIG_UPDATES), "await"),
            ChildJvm.start(Follower.class, dir.toString(), Integer.toString(CONFIG_UPDATES), "await"),
            ChildJvm.start(Follower.class, dir.toString(), Integer.toString(CONFIG_UPDATES), "watch"));
        try {
            for (ChildJvm f : followers) {
                f.await("READY"::equals, LONG);
            }
            try (ChildJvm master = ChildJvm.start(Master.class, dir.toString(), Integer.toString(CONFIG_UPDATES))) {
                master.await("DONE"::equals, LONG);
            }
            for (ChildJvm f : followers) {
                final String[] done = f.await(l -> l.startsWith("DONE"), LONG).split(" ");
                assertEquals(CONFIG_UPDATES, Long.parseLong(done[2]), "finished on the last version: " + f.lines());
                assertEquals(0, Long.parseLong(done[3]), "no torn, partial or backward object: " + f.lines());
                assertTrue(Long.parseLong(done[1]) >= 1, String.join("\n", f.lines()));
            }
            final String watchDone = followers.get(2).lines().stream().filter(l -> l.startsWith("DONE")).findFirst()
                .orElseThrow();
            assertEquals(CONFIG_UPDATES, Long.parseLong(watchDone.split(" ")[1]), "the journal watcher saw every version");
        } finally {
            followers.forEach(ChildJvm::close);
        }
        try (Store store = TestStores.builder().open(dir)) {
            assertEquals(CONFIG_UPDATES, store.version("config"));
            assertTrue(store.verify().ok());
            // each put changes the config's length: most were journaled as splices, which the followers'
            // journal reads and the verify above rebuilt
            final long splices = TestStores.journaled(store, "config").stream().filter(e -> e.op() == Op.SPLICE)
                .count();
            assertTrue(splices > CONFIG_UPDATES / 2, "splices=" + splices);
        }
    }

    @Test
    void shouldCountExactlyWithUpdatesFromFourJvms() throws Exception {
        final int jvms = 4;
        final int each = 10_000;
        TestStores.builder().open(dir).close();
        final List<ChildJvm> children = new ArrayList<>();
        try {
            for (int i = 0; i < jvms; i++) {
                children.add(ChildJvm.start(Incrementer.class, dir.toString(), Integer.toString(each)));
            }
            for (ChildJvm c : children) {
                c.await("DONE"::equals, Duration.ofSeconds(240));
            }
        } finally {
            children.forEach(ChildJvm::close);
        }
        try (Store store = TestStores.builder().open(dir)) {
            final Versioned<Long> v = store.getVersioned("counter", Long.class);
            assertEquals(jvms * each, v.value());
            assertEquals(jvms * each, v.version());
            final List<Versioned<Long>> history = store.history("counter", Long.class);
            assertEquals(jvms * each, history.size());
            for (int i = 0; i < history.size(); i++) {
                assertEquals(i + 1, history.get(i).version());
                assertEquals(i + 1, history.get(i).value(), "each version holds one more than the one before");
            }
            final Snapshot replayed = store.replay(store.journal().lastIndex());
            assertEquals(jvms * each, ObjectCodec.decode(replayed.content("counter"), Long.class, "counter", 0));
            assertTrue(store.verify().ok());
            long patches = 0;
            try (JournalReader r = store.journal().reader().asJournaled()) {
                for (JournalEntry e = r.next(); e != null; e = r.next()) {
                    patches += e.op() == Op.PATCH ? 1 : 0;
                }
            }
            assertTrue(patches > jvms * each / 2, "most increments were journaled as patches: " + patches);
        }
    }

    @Test
    void shouldResumeAKilledFollowerExactlyAfterItsLastAcknowledgedChange() throws Exception {
        final int n = 20_000;
        try (Store store = TestStores.builder().open(dir)) {
            for (int i = 1; i <= n; i++) {
                store.put("events", i);
            }
        }
        final List<Long> first = new ArrayList<>();
        try (ChildJvm f = ChildJvm.start(CursorFollower.class, dir.toString(), Integer.toString(n))) {
            f.await(l -> l.equals("GOT 2000"), LONG);
            f.kill9();
            for (String l : f.finish(LONG)) {
                if (l.startsWith("GOT ")) {
                    first.add(Long.parseLong(l.substring(4)));
                }
            }
        }
        final long acked;
        try (Store store = TestStores.builder().open(dir)) {
            final long position = store.cursor("billing").position();
            try (JournalReader r = store.journal().readerFrom(position)) {
                acked = r.next().version();
            }
        }
        final long lastGot = first.get(first.size() - 1);
        assertContiguous(first, 1);
        assertTrue(acked == lastGot || acked == lastGot - 1, "acked=" + acked + " lastGot=" + lastGot
            + ": the cursor holds the last finished change");
        final List<Long> second = new ArrayList<>();
        try (ChildJvm f = ChildJvm.start(CursorFollower.class, dir.toString(), Integer.toString(n))) {
            f.await(l -> l.startsWith("DONE"), LONG);
            for (String l : f.lines()) {
                if (l.startsWith("GOT ")) {
                    second.add(Long.parseLong(l.substring(4)));
                }
            }
        }
        System.out.println("cursor follower: killed after " + first.size() + " changes (acked " + acked
            + "), resumed with " + second.size());
        assertContiguous(second, acked + 1);
        assertEquals(n, second.get(second.size() - 1));
    }

    private static void assertContiguous(final List<Long> versions, final long from) {
        assertTrue(!versions.isEmpty(), "no versions");
        for (int i = 0; i < versions.size(); i++) {
            assertEquals(from + i, versions.get(i), "versions " + versions.subList(0, Math.min(versions.size(), 20)));
        }
    }
}
