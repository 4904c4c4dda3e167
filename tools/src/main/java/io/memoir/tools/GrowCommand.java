package io.memoir.tools;

import io.memoir.store.Capacity;
import io.memoir.store.JournalEntry;
import io.memoir.store.JournalReader;
import io.memoir.store.RegionInfo;
import io.memoir.store.Store;
import io.memoir.store.VerifyReport;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code memoir grow}: rebuilds a store with a larger capacity from its journal, offline, keeping every
 * region and its whole history; the old store is kept beside it.
 */
@Command(name = "grow", mixinStandardHelpOptions = true, versionProvider = Version.class,
    description = {"Rebuild the store with a larger capacity, keeping every region and its history (offline).",
        "Stop every process using the store first. The journal is replayed into DIR.grow-new with the new "
        + "capacity, checked against the old store, then swapped in; the old store is kept as "
        + "DIR.grow-old-TIME (delete it once satisfied)."})
public final class GrowCommand implements Callable<Integer> {
    private static final DateTimeFormatter STAMP = DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss");

    @Mixin
    StoreOptions store;

    @Spec
    CommandSpec spec;

    @Option(names = "--max-regions", paramLabel = "N", description = "How many regions it can hold.")
    Integer maxRegions;

    @Option(names = "--max-region-size", paramLabel = "SIZE", converter = Converters.SizeConverter.class,
        description = "The largest region, bytes (e.g. 4M).")
    Integer maxRegionSize;

    @Option(names = "--average-region-size", paramLabel = "SIZE", converter = Converters.SizeConverter.class,
        description = "The expected average region size, bytes (sizes the map file).")
    Integer averageRegionSize;

    @Override
    public Integer call() throws IOException {
        final Path dir = store.dir();
        final Path fresh = dir.resolveSibling(dir.getFileName() + ".grow-new");
        if (Files.exists(fresh)) {
            throw new UsageException("a previous grow left dir=" + fresh + ": delete it, then grow again");
        }
        final Capacity old;
        final Capacity grown;
        final List<RegionInfo> regions;
        try (Store s = store.openReadOnly()) {
            old = s.capacity();
            grown = grown(old);
            checkFits(s, grown);
            regions = s.list();
            s.replayTo(fresh, Long.MAX_VALUE, grown);
        }
        final VerifyReport report;
        try (Store s = Store.builder().readOnly(true).open(fresh)) {
            report = s.verify();
            if (!report.ok() || !s.list().equals(regions)) {
                throw new IllegalStateException("the rebuilt store differs from the old one: dir=" + fresh
                    + ", differences=" + report.differences() + "; the old store is unchanged");
            }
        }
        final Path kept = dir.resolveSibling(dir.getFileName() + ".grow-old-" + LocalDateTime.now().format(STAMP));
        Files.move(dir, kept, StandardCopyOption.ATOMIC_MOVE);
        Files.move(fresh, dir, StandardCopyOption.ATOMIC_MOVE);
        final PrintWriter out = spec.commandLine().getOut();
        out.println("grown store=" + dir + ": maxRegions " + old.maxRegions() + " -> " + grown.maxRegions()
            + ", maxRegionSize " + old.maxRegionSize() + " -> " + grown.maxRegionSize() + ", averageRegionSize "
            + old.averageRegionSize() + " -> " + grown.averageRegionSize() + "; regions=" + regions.size()
            + ", entries=" + report.entries());
        out.println("old store kept in dir=" + kept + " (delete it once satisfied)");
        out.flush();
        return ExitCodes.OK;
    }

    private Capacity grown(final Capacity old) {
        final int regions = maxRegions == null ? old.maxRegions() : maxRegions;
        final int largest = maxRegionSize == null ? old.maxRegionSize() : maxRegionSize;
        final int average = averageRegionSize == null ? old.averageRegionSize() : averageRegionSize;
        if (regions < old.maxRegions() || largest < old.maxRegionSize()) {
            throw new UsageException("grow cannot shrink a store: maxRegions=" + old.maxRegions() + ", maxRegionSize="
                + old.maxRegionSize() + "; asked maxRegions=" + regions + ", maxRegionSize=" + largest);
        }
        final Capacity grown = new Capacity(regions, average, largest);
        if (grown.equals(old)) {
            throw new UsageException("nothing to grow: give --max-regions or --max-region-size above maxRegions="
                + old.maxRegions() + ", maxRegionSize=" + old.maxRegionSize());
        }
        return grown;
    }

    /** Every tag the journal ever had keeps a record (a tombstone if deleted): all must fit. */
    private static void checkFits(final Store s, final Capacity grown) {
        final Set<String> tags = new HashSet<>();
        try (JournalReader r = s.journal().reader()) {
            for (JournalEntry e = r.next(); e != null; e = r.next()) {
                tags.add(e.tag());
            }
        }
        if (tags.size() > grown.maxRegions()) {
            throw new UsageException("the journal has tags=" + tags.size() + " (deleted ones keep a record): give "
                + "--max-regions " + tags.size() + " or more");
        }
    }
}
