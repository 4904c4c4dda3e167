package io.memoir.tools;

import io.memoir.store.JournalEntry;
import io.memoir.store.MemoirException;
import io.memoir.store.Region;
import io.memoir.store.Store;
import io.memoir.store.Versioned;
import io.memoir.store.Watch;
import io.memoir.store.Watcher;
import java.time.Duration;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * Hidden {@code memoir soak-reader}: one of the soak's reader JVMs, validating every read on its own
 * ({@link SoakValues}) and checking that each tag's version never goes back. Kinds: {@code poll} reads
 * the tags round robin; {@code await} waits for each tag's next version ({@code Store.await}) and reads
 * it; {@code watch} follows the journal from its start ({@code Store.watch}), checks every entry's data
 * and that each tag's versions follow 1, 2, 3 ... in journal order, and reads the region of every
 * 16th entry. A watch reader stops only once it has read the whole journal.
 */
@Command(name = "soak-reader", hidden = true, description = "A soak reader (started by 'memoir soak').")
public final class SoakReaderCommand implements Callable<Integer> {
    /** The reader kinds, in the order {@code memoir soak} gives them out. */
    static final List<String> KINDS = List.of("watch", "await", "poll");
    private static final Duration WAIT = Duration.ofMillis(10);

    @Mixin
    StoreOptions store;

    @Mixin
    SoakRun run;

    @Option(names = "--kind", required = true, description = "watch, await or poll.")
    String kind;

    private final Map<String, Long> counts = new LinkedHashMap<>();
    private final Map<String, Long> versions = new HashMap<>();
    private final Map<String, Region> regions = new HashMap<>();
    private Store s;

    @Override
    public Integer call() {
        if (!KINDS.contains(kind)) {
            throw new UsageException("--kind must be one of " + KINDS + ": kind=" + kind);
        }
        for (String k : List.of("reads", "torn", "regressions", "entries", "gaps", "errors")) {
            counts.put(k, 0L);
        }
        // Writable, like any application JVM: a reader that meets a dead writer's lock repairs it.
        try (Store opened = store.openWritable()) {
            s = opened;
            final List<String> tags = run.ready();
            if (kind.equals("watch")) {
                watch(tags);
            } else {
                for (int i = 0; !run.stopRequested(); i = (i + 1) % tags.size()) {
                    if (kind.equals("poll")) {
                        read(tags.get(i));
                    } else {
                        awaitAndRead(tags.get(i));
                    }
                }
            }
        }
        run.summary(counts);
        return ExitCodes.OK;
    }

    private void awaitAndRead(final String tag) {
        final long last = versions.getOrDefault(tag, 0L);
        final long v = s.await(tag, last, WAIT);
        if (v < last) {
            regression(tag, last, v, "await");
        } else if (v > last) {
            read(tag);
        }
    }

    private void watch(final List<String> tags) {
        final Map<String, Long> journal = new HashMap<>();
        try (Watcher w = s.watch(Watch.tags(tags).fromStart())) {
            while (true) {
                final JournalEntry e = w.next(WAIT);
                if (e == null) {
                    if (run.stopRequested()) {
                        return;
                    }
                    continue;
                }
                final long entries = counts.merge("entries", 1L, Long::sum);
                final long before = journal.getOrDefault(e.tag(), 0L);
                if (e.version() != before + 1) {
                    counts.merge("gaps", 1L, Long::sum);
                    run.problem("gap: tag=" + e.tag() + " version=" + e.version() + " follows version=" + before
                        + " in the journal at index=0x" + Long.toHexString(e.index()));
                }
                journal.put(e.tag(), e.version());
                final String p = SoakValues.checkEntry(e);
                if (p != null) {
                    torn(e.tag(), "journal entry index=0x" + Long.toHexString(e.index()) + " " + e.op() + " v"
                        + e.version() + " pid=" + e.writer() + ": " + p);
                }
                if (entries % 16 == 0) {
                    read(e.tag());
                }
            }
        }
    }

    /** Reads a tag, validates what it read and its version. */
    private void read(final String tag) {
        try {
            final String p;
            if (SoakValues.isCounter(tag)) {
                final Versioned<Object> v = s.getVersioned(tag, Object.class);
                version(tag, v.version());
                p = SoakValues.checkCounter(v.value(), v.version());
            } else {
                version(tag, s.version(tag));
                Region r = regions.get(tag);
                if (r == null) {
                    r = s.region(tag);
                    regions.put(tag, r);
                }
                p = SoakValues.checkContent(r.readAll());
            }
            counts.merge("reads", 1L, Long::sum);
            if (p != null) {
                torn(tag, p);
            }
        } catch (MemoirException.RegionNotFoundException e) {
            counts.merge("absent", 1L, Long::sum); // not created yet, or deleted: its version was checked
        } catch (MemoirException.WrongTypeException e) {
            torn(tag, "not a counter object: " + e.getMessage());
        } catch (RuntimeException e) {
            counts.merge("errors", 1L, Long::sum);
            run.problem("error: reader=" + kind + " tag=" + tag + ": " + e);
        }
    }

    private void version(final String tag, final long v) {
        final long last = versions.getOrDefault(tag, 0L);
        if (v < last) {
            regression(tag, last, v, "read");
        } else {
            versions.put(tag, v);
        }
    }

    private void regression(final String tag, final long last, final long v, final String how) {
        counts.merge("regressions", 1L, Long::sum);
        run.problem("version went back: tag=" + tag + " version=" + v + " after version=" + last + " (" + how + ")");
    }

    private void torn(final String tag, final String what) {
        counts.merge("torn", 1L, Long::sum);
        run.problem("torn or invalid: tag=" + tag + ": " + what);
    }
}
