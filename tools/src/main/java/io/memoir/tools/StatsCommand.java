package io.memoir.tools;

import io.memoir.store.Capacity;
import io.memoir.store.Journal;
import io.memoir.store.RegionInfo;
import io.memoir.store.Store;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.stream.Stream;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** {@code memoir stats}: regions, capacity used, journal entries and cycles, bytes on disk. */
@Command(name = "stats", mixinStandardHelpOptions = true, versionProvider = Version.class,
    description = "Print regions and capacity used, journal entries and files, bytes on disk.")
public final class StatsCommand implements Callable<Integer> {
    @Mixin
    StoreOptions store;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        final PrintWriter out = spec.commandLine().getOut();
        try (Store s = store.openReadOnly()) {
            final List<RegionInfo> regions = s.list();
            final Capacity cap = s.capacity();
            long bytes = 0;
            int largest = 0;
            for (RegionInfo r : regions) {
                bytes += r.length();
                largest = Math.max(largest, r.length());
            }
            final Journal j = s.journal();
            final Path dir = s.directory();
            out.printf("store              %s%n", dir);
            out.printf("regions            %d of maxRegions=%d (%.1f%%)%n", regions.size(), cap.maxRegions(),
                100.0 * regions.size() / cap.maxRegions());
            out.printf("region bytes       %d (largest %d of maxRegionSize=%d, averageRegionSize=%d)%n", bytes,
                largest, cap.maxRegionSize(), cap.averageRegionSize());
            out.printf("journal entries    %d%n", j.entryCount());
            if (j.lastIndex() >= 0) {
                out.printf("journal indexes    %s .. %s%n", Formats.index(j.firstIndex()), Formats.index(j.lastIndex()));
            }
            out.printf("journal cycles     %d files%n", count(dir.resolve(Store.JOURNAL_DIR), ".cq4"));
            out.printf("bytes on disk      %d apparent (journal %d, map and control %d)%n", diskBytes(dir),
                diskBytes(dir.resolve(Store.JOURNAL_DIR)), diskBytes(dir) - diskBytes(dir.resolve(Store.JOURNAL_DIR)));
        }
        out.flush();
        return ExitCodes.OK;
    }

    private static long count(final Path dir, final String suffix) {
        try (Stream<Path> files = Files.list(dir)) {
            return files.filter(p -> p.getFileName().toString().endsWith(suffix)).count();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot list dir=" + dir + ": " + e.getMessage(), e);
        }
    }

    /** Bytes of the files under {@code dir}: their apparent size (the map and journal files are sparse). */
    private static long diskBytes(final Path dir) {
        try (Stream<Path> files = Files.walk(dir)) {
            long sum = 0;
            for (Path f : (Iterable<Path>) files.filter(Files::isRegularFile)::iterator) {
                sum += Files.size(f);
            }
            return sum;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot walk dir=" + dir + ": " + e.getMessage(), e);
        }
    }
}
