package io.memoir.store.mmap;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.memoir.store.Capacity;
import io.memoir.store.Store;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.condition.EnabledOnOs;
import org.junit.jupiter.api.condition.OS;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Replays every case recorded from CPython 3.11 by {@code src/test/python/record_mmap.py} (the
 * {@code *.csv} files next to this class) against {@link Mmap}, step by step: same result or same
 * exception type and message, same {@code tell()} afterwards. Cases that map a file run twice, once
 * through {@link Mmap#map(Path, long, int, long)} and once through the {@code FileChannel} factory,
 * and those that fit a store region ({@link Recording.Case#fitsRegion()}) a third time through
 * {@link Mmap#open(Store, String, long, int)}, each with a tag of its own in one shared store.
 * These runs use the default storage check ({@code tracked}), the file's truncations (Python's
 * {@code os.truncate}) going through {@link Mmap#truncate(Path, long)}; the cases that truncate the
 * file run once more in {@code strict} mode with the file truncated by plain Java I/O.
 */
@EnabledOnOs(OS.LINUX)
class MmapCPythonTest {

    private static final AtomicInteger TAGS = new AtomicInteger();

    @TempDir
    static Path storeDir;

    private static Store store;

    @BeforeAll
    static void recordedOnThisPageSize() {
        assumeTrue(Mmap.PAGESIZE == 4096, "the recordings were made with 4096-byte pages, this machine has "
                + Mmap.PAGESIZE);
        store = regionStore(storeDir);
    }

    @AfterAll
    static void closeStore() {
        if (store != null) {
            store.close();
        }
    }

    /** A store for replaying many cases as regions: room for a region per case, each up to 64 KiB. */
    static Store regionStore(Path dir) {
        return Store.builder().rollCycle("TEST8_DAILY").capacity(new Capacity(4096, 4096, 1 << 16))
                .open(dir.resolve("store"));
    }

    static Stream<Arguments> cases() throws IOException {
        List<Arguments> out = new ArrayList<>();
        for (Recording.Case c : loadAll()) {
            out.add(Arguments.of(c + " via PATH", c, MmapReplayer.Variant.PATH));
            if (c.usesFile() && !c.expects("FileNotFoundError") && !c.expects("IsADirectoryError")) {
                out.add(Arguments.of(c + " via CHANNEL", c, MmapReplayer.Variant.CHANNEL));
            }
            if (c.fitsRegion()) {
                out.add(Arguments.of(c + " via REGION", c, MmapReplayer.Variant.REGION));
            }
        }
        return out.stream();
    }

    /** Every {@code *.csv} in this class's resource directory, sorted by name. */
    static List<Recording.Case> loadAll() throws IOException {
        URL anchor = MmapCPythonTest.class.getResource("methods.csv");
        if (anchor == null) {
            throw new IOException("recordings missing: run python3 src/test/python/record_mmap.py");
        }
        List<Path> files;
        try (Stream<Path> list = Files.list(Path.of(anchor.toURI()).getParent())) {
            files = list.filter(p -> p.toString().endsWith(".csv")).sorted().collect(Collectors.toList());
        } catch (URISyntaxException e) {
            throw new IOException(e);
        }
        List<Recording.Case> all = new ArrayList<>();
        for (Path f : files) {
            try (Reader in = new InputStreamReader(Files.newInputStream(f), StandardCharsets.UTF_8)) {
                all.addAll(Recording.read(f.getFileName().toString(), in));
            }
        }
        return all;
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void shouldBehaveAsCPython(String name, Recording.Case recorded, MmapReplayer.Variant variant,
            @TempDir Path dir) {
        assertFalse(recorded.steps.isEmpty(), name);
        if (variant == MmapReplayer.Variant.REGION) {
            replay(recorded, new MmapReplayer(dir, store, "case-" + TAGS.incrementAndGet()), variant);
        } else {
            replay(recorded, new MmapReplayer(dir, variant), variant);
        }
    }

    /** The cases that truncate the file, for {@link #shouldBehaveAsCPythonInStrictModeWhenTruncatedOutsideMemoir}. */
    static Stream<Arguments> truncatingCases() throws IOException {
        return loadAll().stream().filter(Recording.Case::truncatesFile).map(c -> Arguments.of(c + " via PATH", c));
    }

    /**
     * In {@code strict} mode a map sees a truncation by any means before each access: the cases
     * that truncate the file, replayed with {@link java.io.RandomAccessFile#setLength} in place of
     * {@link Mmap#truncate(Path, long)}, behave as CPython too.
     */
    @ParameterizedTest(name = "{0}")
    @MethodSource("truncatingCases")
    void shouldBehaveAsCPythonInStrictModeWhenTruncatedOutsideMemoir(String name, Recording.Case recorded,
            @TempDir Path dir) {
        replay(recorded, new MmapReplayer(dir, MmapReplayer.Variant.PATH, StorageCheck.STRICT, true),
                MmapReplayer.Variant.PATH);
    }

    /**
     * Replays a case, failing at the first step whose outcome differs, with the whole transcript;
     * closes the replayer.
     */
    static void replay(Recording.Case recorded, MmapReplayer replayer, MmapReplayer.Variant variant) {
        StringBuilder transcript = new StringBuilder();
        try (replayer) {
            for (Recording.Step step : recorded.steps) {
                Recording.Outcome actual = replayer.run(step.target, step.op, step.args);
                transcript.append("\n  ").append(step).append("  ").append(actual);
                if (!actual.equals(step.expected)) {
                    assertEquals(step.expected.toString(), actual.toString(), recorded + " via " + variant
                            + ", step " + step + ": CPython " + step.expected + ", Java " + actual
                            + "\ntranscript:" + transcript);
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
