package io.memoir.bench;

import io.memoir.store.JournalEntry;
import io.memoir.store.JournalReader;
import io.memoir.store.Region;
import io.memoir.store.Store;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Reading the journal: what a watcher, a subscription, a cursor, history and replay pay per entry
 * (Chronicle Queue's tailer, the entry's fields, its checksum, the entry object). The journal holds
 * 100,000 in-place writes of {@code dataBytes} bytes to 8 tags; each call reads the next entry, from
 * the start again at the end.
 *
 * <pre>mvn -B -q -pl bench -am package -DskipTests -Prun -Dbench.args="JournalReadBenchmark -prof gc"</pre>
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
@State(Scope.Benchmark)
public class JournalReadBenchmark {
    private static final int ENTRIES = 100_000;
    private static final int TAGS = 8;

    /** The bytes each entry carries. */
    @Param({"16", "885"})
    public int dataBytes;

    private Path dir;
    private Store store;
    private JournalReader reader;

    /** Writes the journal once. */
    @Setup(Level.Trial)
    public void setUp() throws IOException {
        dir = Files.createTempDirectory("memoir-bench");
        store = Store.open(dir.resolve("store"));
        final Region[] regions = new Region[TAGS];
        for (int t = 0; t < TAGS; t++) {
            regions[t] = store.region("sensor." + t, dataBytes);
        }
        final byte[] data = new byte[dataBytes];
        for (int i = 0; i < ENTRIES; i++) {
            data[i % dataBytes]++;
            regions[i % TAGS].write(0, data);
        }
        reader = store.journal().reader();
    }

    /** Closes and deletes everything. */
    @TearDown(Level.Trial)
    public void tearDown() throws IOException {
        reader.close();
        store.close();
        WatchLatency.deleteTree(dir);
    }

    /** The next entry, decoded and checked. */
    @Benchmark
    public JournalEntry next() {
        JournalEntry e = reader.next();
        if (e == null) {
            reader.moveToIndex(store.journal().firstIndex());
            e = reader.next();
        }
        return e;
    }
}
