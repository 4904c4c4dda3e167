package io.memoir.bench;

import io.memoir.store.JournalEntry;
import io.memoir.store.JournalReader;
import io.memoir.store.Op;
import io.memoir.store.Region;
import io.memoir.store.Store;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Where the time of sharing a ~1 KiB JSON-like config goes ({@link ConfigShare}'s Memoir rows, taken
 * apart): a put of the map (of the same length, or of another), a get of it, both, both for the typed
 * config, a watcher's decode of each journaled version, and a put of the same number of raw bytes (the
 * store's part without the codec). Single-threaded; one store per trial.
 *
 * <pre>mvn -B -q -pl bench -am package -DskipTests -Prun -Dbench.args="ObjectsBenchmark -prof gc"</pre>
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
@State(Scope.Benchmark)
public class ObjectsBenchmark {
    private Path dir;
    private Store store;
    private Region raw;
    private byte[] rawBytes;
    private final Map<String, Object> config = ConfigShare.config();
    private final TypedConfig typed = TypedConfig.sample();
    /** Changed before each put, as a master changes its config: a put of equal content would journal nothing. */
    private long version;
    /** Reads {@value #FOLLOWED} versions of the config under {@code "followed"}, as a watcher does. */
    private JournalReader follower;
    private long followFrom;
    /** The same under {@code "followedOtherLength"}, whose owner's name alternates between two lengths. */
    private JournalReader otherLengthFollower;
    private long otherLengthFrom;
    private static final int FOLLOWED = 20_000;

    /** Opens a fresh store holding the config once. */
    @Setup(Level.Trial)
    public void setUp() throws IOException {
        dir = Files.createTempDirectory("memoir-bench");
        store = Store.open(dir.resolve("store"));
        store.put("config", config);
        store.put("typed", typed);
        rawBytes = store.region("config").readAll();
        raw = store.region("raw", rawBytes.length);
        final Map<String, Object> followed = ConfigShare.config();
        followFrom = store.journal().lastIndex() + 1;
        for (int i = 0; i < FOLLOWED; i++) {
            followed.put("version", (long) i);
            store.put("followed", followed);
        }
        follower = store.journal().reader();
        follower.moveToIndex(followFrom);
        otherLengthFrom = store.journal().lastIndex() + 1;
        for (int i = 0; i < FOLLOWED; i++) {
            followed.put("version", (long) i);
            followed.put("owner", (i & 1) == 0 ? "platform-team@example.internal" : "platform@example.internal");
            store.put("followedOtherLength", followed);
        }
        otherLengthFollower = store.journal().reader();
        otherLengthFollower.moveToIndex(otherLengthFrom);
    }

    /** Closes and deletes everything. */
    @TearDown(Level.Trial)
    public void tearDown() throws IOException {
        follower.close();
        otherLengthFollower.close();
        store.close();
        WatchLatency.deleteTree(dir);
    }

    /** Encode + journaled put. */
    @Benchmark
    public long putMap() {
        config.put("version", ++version);
        return store.put("config", config);
    }

    /**
     * Encode + journaled put of another length: the owner's name alternates between two lengths 5 bytes
     * apart (the record keeps its length, the value padded in it; the journal gets a {@code SPLICE}).
     */
    @Benchmark
    public long putMapOtherLength() {
        final long v = ++version;
        config.put("version", v);
        config.put("owner", (v & 1) == 0 ? "platform-team@example.internal" : "platform@example.internal");
        return store.put("config", config);
    }

    /**
     * Encode + journaled put of the same length with changes far apart: the version near the start and
     * the owner's last character at the end (journal format 3 journals the edits, a {@code SPLICE}).
     */
    @Benchmark
    public long putMapFarApart() {
        final long v = ++version;
        config.put("version", v);
        config.put("owner", OWNERS[(int) (v & 3)]);
        return store.put("config", config);
    }

    /**
     * Encode + journaled put whose two values far apart change length by more than the splice walk
     * reaches (16 bytes): the second host's name (32 bytes) and the owner's (19 bytes) alternate between
     * two lengths. Journaled as a {@code SPLICE} of each change since session 10, whole before.
     */
    @Benchmark
    public long putMapTwoLongChanges() {
        final long v = ++version;
        config.put("version", v);
        secondHost().put("host", (v & 1) == 0 ? "node-1.example.internal"
            : "node-1.a-much-longer-domain-name-here.example.internal");
        config.put("owner", (v & 1) == 0 ? "platform-team@example.internal"
            : "the-platform-infrastructure-team@example.internal");
        return store.put("config", config);
    }

    @SuppressWarnings("unchecked")
    private Map<String, Object> secondHost() {
        return (Map<String, Object>) ((List<Object>) config.get("hosts")).get(1);
    }

    private static final String[] OWNERS = {"platform-team@example.internal", "platform-team@example.internaL",
        "platform-team@example.interNal", "platform-team@example.inteRnal"};

    /**
     * Consistent read + decode of an unchanged config: this thread's {@code TreeCache} finds the same
     * bytes and hands out a copy of its containers.
     */
    @Benchmark
    public Object getMap() {
        return store.get("config", Map.class);
    }

    /** ConfigShare's Memoir row: the get decodes only the changed version (this thread's {@code TreeCache}). */
    @Benchmark
    public Object putGetMap() {
        config.put("version", ++version);
        store.put("config", config);
        return store.get("config", Map.class);
    }

    /** ConfigShare's typed row: the same content as a {@link TypedConfig}. */
    @Benchmark
    public Object putGetTyped() {
        typed.version = ++version;
        store.put("typed", typed);
        return store.get("typed", TypedConfig.class);
    }

    /**
     * A watcher's work for one change of the config: the next journal entry (a {@code PATCH}, handed out
     * as the whole put) and its object, as {@code entry.object(Map.class)} in a subscription's callback.
     */
    @Benchmark
    public Object followMap() {
        return follow(follower, followFrom, otherLengthFrom, "followed");
    }

    /**
     * {@link #followMap} when every change is of another length (a {@code SPLICE}, handed out as the
     * whole put): the object read patches the value that changed its length.
     */
    @Benchmark
    public Object followMapOtherLength() {
        return follow(otherLengthFollower, otherLengthFrom, Long.MAX_VALUE, "followedOtherLength");
    }

    /** The next version of {@code tag}, journaled in {@code [from, until)}, and after the last the first again. */
    private static Object follow(final JournalReader reader, final long from, final long until, final String tag) {
        JournalEntry e;
        do {
            e = reader.next();
            if (e == null || e.index() >= until) {
                reader.moveToIndex(from);
                e = reader.next();
            }
        } while (e.op() != Op.PUT || !e.tag().equals(tag));
        return e.object(Map.class);
    }

    /** {@link #putMapOtherLength} + get: the length changes every time, so every get decodes the whole config. */
    @Benchmark
    public Object putGetMapOtherLength() {
        putMapOtherLength();
        return store.get("config", Map.class);
    }

    /** The store's part: a journaled put of as many bytes with one 8-byte word changed, no codec. */
    @Benchmark
    public long putRawBytes() {
        final long v = ++version;
        for (int i = 0; i < Long.BYTES; i++) {
            rawBytes[i] = (byte) (v >>> (i << 3));
        }
        return raw.put(rawBytes);
    }

    /** A consistent read of as many bytes, no codec. */
    @Benchmark
    public byte[] readRawBytes() {
        return raw.readAll();
    }
}
