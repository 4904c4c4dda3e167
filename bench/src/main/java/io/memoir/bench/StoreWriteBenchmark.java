package io.memoir.bench;

import io.memoir.store.Region;
import io.memoir.store.Store;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import net.openhft.chronicle.bytes.Bytes;
import net.openhft.chronicle.bytes.BytesStore;
import net.openhft.chronicle.core.time.SystemTimeProvider;
import net.openhft.chronicle.hash.Data;
import net.openhft.chronicle.map.ChronicleMap;
import net.openhft.chronicle.map.ChronicleMapBuilder;
import net.openhft.chronicle.map.ExternalMapQueryContext;
import net.openhft.chronicle.queue.ExcerptAppender;
import net.openhft.chronicle.queue.RollCycles;
import net.openhft.chronicle.queue.impl.single.SingleChronicleQueue;
import net.openhft.chronicle.queue.impl.single.SingleChronicleQueueBuilder;
import net.openhft.chronicle.wire.DocumentContext;
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
 * Journaled writes side by side with the raw baseline they are built from: an in-place Chronicle Map
 * value write (query context, write lock) plus a raw Chronicle Queue append of the same bytes.
 * Single-threaded; one store per trial.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
@State(Scope.Benchmark)
public class StoreWriteBenchmark {
    private Path dir;
    private Store store;
    private Region kib;
    private Region mib;
    private Region small;
    private final byte[] sixteen = new byte[16];
    private final byte[] twoFiftySix = new byte[256];
    private final byte[] readBuffer = new byte[1024];
    private int offset;

    private ChronicleMap<CharSequence, byte[]> rawMap;
    private SingleChronicleQueue rawQueue;
    private ExcerptAppender rawAppender;
    private final Bytes<?> rawScratch = Bytes.allocateElasticOnHeap(64);

    /** Opens a fresh store and a fresh raw map and queue. */
    @Setup(Level.Trial)
    public void setUp() throws IOException {
        dir = Files.createTempDirectory("memoir-bench");
        store = Store.builder().rollCycle("FAST_DAILY").open(dir.resolve("store"));
        kib = store.region("kib", 1024);
        mib = store.region("mib", 1 << 20);
        small = store.region("small", 256);
        rawMap = ChronicleMapBuilder.of(CharSequence.class, byte[].class)
            .entries(16).averageKeySize(8).averageValueSize(1024 + 64).entryAndValueOffsetAlignment(8)
            .checksumEntries(false).createPersistedTo(dir.resolve("raw.cm3").toFile());
        rawMap.put("kib", new byte[1024 + 64]);
        rawQueue = SingleChronicleQueueBuilder.binary(dir.resolve("raw-queue")).rollCycle(RollCycles.FAST_DAILY).build();
        rawAppender = rawQueue.createAppender();
    }

    /** Closes and deletes everything. */
    @TearDown(Level.Trial)
    public void tearDown() throws IOException {
        store.close();
        rawMap.close();
        rawQueue.close();
        try (Stream<Path> files = Files.walk(dir)) {
            files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        }
    }

    private int nextOffset(final int regionLength) {
        offset = (offset + 16) & (regionLength - 1);
        return offset;
    }

    /** A journaled 16-byte write into a 1 KiB region. */
    @Benchmark
    public long write16Into1KiB() {
        return kib.write(nextOffset(1024), sixteen);
    }

    /** A journaled 16-byte write into a 1 MiB region: must cost the same as into 1 KiB. */
    @Benchmark
    public long write16Into1MiB() {
        return mib.write(nextOffset(1 << 20), sixteen);
    }

    /** A lock-free, never-torn read of 1 KiB. */
    @Benchmark
    public int read1KiB() {
        return kib.read(0, readBuffer, 0, 1024);
    }

    /** A journaled whole-region put of 256 bytes. */
    @Benchmark
    public long put256() {
        return small.put(twoFiftySix);
    }

    /** The raw baseline: Chronicle Map in-place value write plus a raw Chronicle Queue append. */
    @Benchmark
    public long rawMapWritePlusQueueAppend() {
        final int off = nextOffset(1024);
        try (ExternalMapQueryContext<CharSequence, byte[], ?> c = rawMap.queryContext("kib")) {
            c.writeLock().lock();
            final Data<byte[]> v = c.entry().value();
            ((BytesStore<?, ?>) v.bytes()).write(v.offset() + 64 + off, sixteen);
        }
        rawScratch.clear();
        rawScratch.write(sixteen);
        try (DocumentContext dc = rawAppender.writingDocument()) {
            dc.wire().write("time").int64(SystemTimeProvider.CLOCK.currentTimeNanos())
                .write("tag").text("kib")
                .write("offset").int64(off)
                .write("data").bytes(rawScratch);
        }
        return rawAppender.lastIndexAppended();
    }
}
