package io.memoir.bench;

import io.memoir.store.Store;
import io.memoir.store.mmap.Mmap;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.ByteBuffer;
import java.nio.MappedByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
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
 * 64-byte reads and writes at position 0 of a 4 KiB file: through {@link Mmap} (the Python form,
 * {@code mm.seek(0); mm.read(64)}, and the allocation-free {@code readInto}), against a raw
 * {@link MappedByteBuffer} on the same file, and through {@code Mmap} on a store region. The
 * {@code mmap*} rows run in the default storage check mode ({@code tracked}: one volatile read per
 * access), the {@code *Strict} rows with {@code -Dmemoir.mmap.storage.check=strict} (an {@code fstat}
 * per access), the {@code *Off} rows with {@code off} (no check). {@code src/main/python/mmap_bench.py}
 * times the same operations in CPython. One thread.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 5, time = 1)
@Measurement(iterations = 10, time = 1)
@Fork(1)
@State(Scope.Benchmark)
public class MmapBenchmark {
    private static final int SIZE = 64;
    private static final int FILE_LENGTH = 4096;
    private static final String STRICT = "-D" + Mmap.STORAGE_CHECK_PROP_NAME + "=strict";
    private static final String OFF = "-D" + Mmap.STORAGE_CHECK_PROP_NAME + "=off";

    private Path dir;
    private RandomAccessFile raf;
    private MappedByteBuffer raw;
    private Mmap file;
    private Store store;
    private Mmap region;
    private final byte[] src = new byte[SIZE];
    private final byte[] dst = new byte[SIZE];

    /** Maps one file twice (raw and through Mmap) and a store region. */
    @Setup(Level.Trial)
    public void setUp() throws IOException {
        for (int i = 0; i < SIZE; i++) {
            src[i] = (byte) ('a' + i % 26);
        }
        dir = Files.createTempDirectory("memoir-mmap-bench");
        Path data = Files.write(dir.resolve("data"), new byte[FILE_LENGTH]);
        raf = new RandomAccessFile(data.toFile(), "rw");
        raw = raf.getChannel().map(FileChannel.MapMode.READ_WRITE, 0, FILE_LENGTH);
        file = Mmap.map(data, FILE_LENGTH, Mmap.ACCESS_WRITE);
        store = Store.builder().rollCycle("FAST_DAILY").open(dir.resolve("store"));
        region = Mmap.open(store, "bench", FILE_LENGTH, Mmap.ACCESS_WRITE);
    }

    /** Closes and deletes everything. */
    @TearDown(Level.Trial)
    public void tearDown() throws IOException {
        region.close();
        store.close();
        file.close();
        raf.close();
        try (Stream<Path> s = Files.walk(dir)) {
            s.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        }
    }

    /** Baseline: {@code MappedByteBuffer.get(0, dst, 0, 64)}. */
    @Benchmark
    public byte[] rawRead64() {
        raw.get(0, dst, 0, SIZE);
        return dst;
    }

    /** Baseline: {@code MappedByteBuffer.put(0, src, 0, 64)}. */
    @Benchmark
    public ByteBuffer rawWrite64() {
        return raw.put(0, src, 0, SIZE);
    }

    /** Python's {@code mm.seek(0); mm.read(64)}: a new array each time. */
    @Benchmark
    public byte[] mmapRead64() {
        return read64(file);
    }

    /** {@code mm.seek(0); mm.readInto(dst)}: no allocation. */
    @Benchmark
    public byte[] mmapReadInto64() {
        return readInto64(file);
    }

    /** Python's {@code mm.seek(0); mm.write(src)}. */
    @Benchmark
    public int mmapWrite64() {
        return write64(file);
    }

    /** {@link #mmapReadInto64()} with an {@code fstat} before every access. */
    @Benchmark
    @Fork(value = 1, jvmArgsAppend = STRICT)
    public byte[] mmapReadInto64Strict() {
        return mmapReadInto64();
    }

    /** {@link #mmapWrite64()} with an {@code fstat} before every access. */
    @Benchmark
    @Fork(value = 1, jvmArgsAppend = STRICT)
    public int mmapWrite64Strict() {
        return mmapWrite64();
    }

    /** {@link #mmapReadInto64()} without any storage check. */
    @Benchmark
    @Fork(value = 1, jvmArgsAppend = OFF)
    public byte[] mmapReadInto64Off() {
        return mmapReadInto64();
    }

    /** {@link #mmapWrite64()} without any storage check. */
    @Benchmark
    @Fork(value = 1, jvmArgsAppend = OFF)
    public int mmapWrite64Off() {
        return mmapWrite64();
    }

    /** {@code mm.seek(0); mm.read(64)} on a store region: a seqlocked, never-torn read. */
    @Benchmark
    public byte[] regionRead64() {
        return read64(region);
    }

    /** {@code mm.seek(0); mm.readInto(dst)} on a store region. */
    @Benchmark
    public byte[] regionReadInto64() {
        return readInto64(region);
    }

    /** {@code mm.seek(0); mm.write(src)} on a store region: a journaled, atomic write. */
    @Benchmark
    public int regionWrite64() {
        return write64(region);
    }

    private static byte[] read64(final Mmap mm) {
        mm.seek(0);
        return mm.read(SIZE);
    }

    private byte[] readInto64(final Mmap mm) {
        mm.seek(0);
        mm.readInto(dst);
        return dst;
    }

    private int write64(final Mmap mm) {
        mm.seek(0);
        return mm.write(src);
    }
}
