package io.memoir.examples;

import static io.memoir.examples.ExampleSupport.arg;
import static io.memoir.examples.ExampleSupport.intArg;

import io.memoir.store.JsonMmap;
import io.memoir.store.Store;
import io.memoir.store.Versioned;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/**
 * {@code jsonmmap}'s {@code ObjectMmap}: a master publishes a JSON value (a list of random length) under
 * the tag {@code share_mmap}, again and again; a follower in another process reads the latest one.
 * In Java it is {@link JsonMmap} on a store: {@code jsonwrite} is {@link JsonMmap#jsonWrite},
 * {@code jsonread_master} {@link JsonMmap#jsonReadMaster}, {@code jsonread_follower}
 * {@link JsonMmap#jsonReadFollowerVersioned}.
 *
 * <p>Ports seed {@code 003_57dc8cce05bfd7c7.txt} (also seed {@code 001_fdac01724508108e.txt}),
 * sections "3.基于mmap和json实现内存共享" ({@code ObjectMmap}) and "4.举例" (the master and follower):
 * <pre>
 * # master                                                  master
 * mm = ObjectMmap(-1, 1024*1024, access=mmap.ACCESS_WRITE,  new JsonMmap(store, "share_mmap")
 *                 tagname='share_mmap')
 * while True:                                               for each of count:
 *     p = range(random.randint(1, 100))                         list 0..n-1, n random in 1..100
 *     mm.jsonwrite(p)                                           jsonWrite(p)
 *     print('*' * 30); print(mm.jsonread_master())              print jsonReadMaster()
 * # follower                                                follower
 * mm = ObjectMmap(-1, 1024*1024, access=mmap.ACCESS_READ,   new JsonMmap(store, "share_mmap")
 *                 tagname='share_mmap')
 * while True:                                               until LISTS new versions were seen:
 *     print('*' * 30); print(mm.jsonread_follower())            awaitChange, then print jsonReadFollower
 * </pre>
 * What changes: the seed's follower spins, printing whatever the map holds (a list being written
 * half over the previous one, or a stale cached one when {@code json.loads} fails); this follower
 * waits for a new version ({@link JsonMmap#awaitChange}) and always gets a whole list with its
 * version. If the master writes faster than the follower reads, the follower skips to the latest
 * (it is shared state, not a queue; {@link FollowJournalLive} shows how to see every change). The
 * master waits {@code INTERVAL_MS} between lists (the seed does not wait at all).
 *
 * <p>Run, in two terminals, the follower first (both default to the store
 * {@code <tmpdir>/memoir-examples/jsonmmap}):
 * <pre>
 * mvn -q -pl examples exec:exec -Dexample=JsonMmapMasterFollower -Dexample.args="follower [STORE [LISTS [TIMEOUT_S]]]"
 * mvn -q -pl examples exec:exec -Dexample=JsonMmapMasterFollower -Dexample.args="master [STORE [COUNT [INTERVAL_MS]]]"
 * </pre>
 * Defaults: the master writes 10 lists 200 ms apart; the follower stops once the version has moved
 * on by {@code LISTS} (default 10), or after {@code TIMEOUT_S} (default 30) without a change.
 */
public final class JsonMmapMasterFollower {
    /** The seed's tagname. */
    static final String TAGNAME = "share_mmap";
    private static final String STARS = "*".repeat(30);

    private JsonMmapMasterFollower() {
    }

    /**
     * Runs one side.
     *
     * @param args {@code master|follower}, then that side's optional arguments (see the class comment)
     * @throws InterruptedException if interrupted while sleeping
     */
    public static void main(final String[] args) throws InterruptedException {
        final String role = arg(args, 0, "");
        final Path dir = Path.of(arg(args, 1, ExampleSupport.defaultPath("jsonmmap").toString()));
        switch (role) {
            case "master" -> master(dir, intArg(args, 2, 10), intArg(args, 3, 200));
            case "follower" -> follower(dir, intArg(args, 2, 10), intArg(args, 3, 30));
            default -> ExampleSupport.usage("usage: JsonMmapMasterFollower master [STORE [COUNT [INTERVAL_MS]]]",
                "       JsonMmapMasterFollower follower [STORE [LISTS [TIMEOUT_S]]]");
        }
    }

    static void master(final Path dir, final int count, final int intervalMs) throws InterruptedException {
        final Random random = new Random();
        try (Store store = Store.open(dir)) {
            final JsonMmap mm = new JsonMmap(store, TAGNAME);
            for (int i = 1; i <= count; i++) {
                final int length = 1 + random.nextInt(100);            // random.randint(1, 100)
                final List<Integer> p = new ArrayList<>(length);        // range(length)
                for (int k = 0; k < length; k++) {
                    p.add(k);
                }
                final long version = mm.jsonWrite(p);
                System.out.println(STARS);
                System.out.println("version " + version + ": " + mm.jsonReadMaster());
                if (i < count) {
                    Thread.sleep(intervalMs);
                }
            }
        }
    }

    static void follower(final Path dir, final int lists, final int timeoutSeconds) {
        try (Store store = Store.open(dir)) {
            final JsonMmap mm = new JsonMmap(store, TAGNAME);
            final long start = store.version(TAGNAME);
            System.out.println("following " + TAGNAME + " from version " + start);
            long seen = start;
            while (seen < start + lists) {
                if (mm.awaitChange(seen, Duration.ofSeconds(timeoutSeconds)) <= seen) {
                    System.out.println("no new version in " + timeoutSeconds + " s: stopping");
                    return;
                }
                final Versioned<Object> latest = mm.jsonReadFollowerVersioned();
                System.out.println(STARS);
                System.out.println("version " + latest.version() + ": " + latest.value());
                seen = latest.version();
            }
        }
    }
}
