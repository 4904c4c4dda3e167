package io.memoir.tools;

import io.memoir.store.JournalEntry;
import io.memoir.store.JournalReader;
import io.memoir.store.Store;
import io.memoir.tools.Converters.Position;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code memoir replay --to DIR}: a new store holding the journal up to a point and the regions as they
 * were then. The source is opened read-only.
 */
@Command(name = "replay", mixinStandardHelpOptions = true, versionProvider = Version.class,
    description = {"Write a new store holding the journal up to a point and the regions as they were then.",
        "DIR must be new or empty; --until defaults to the end. A progress bar is shown on a "
        + "terminal."})
public final class ReplayCommand implements Callable<Integer> {
    @Mixin
    StoreOptions store;

    @Spec
    CommandSpec spec;

    @Option(names = "--to", required = true, paramLabel = "DIR", description = "A new or empty directory.")
    Path to;

    @Option(names = "--until", paramLabel = "POS", converter = Converters.PositionConverter.class,
        description = "Last entry (inclusive): an INDEX (0x... or decimal), a TIME (ISO-8601) or end (default).")
    Position until;

    @Override
    public Integer call() throws InterruptedException {
        final Path target = to.toAbsolutePath().normalize();
        if (target.equals(store.dir())) {
            throw new UsageException("replay target is the store itself: dir=" + target);
        }
        final PrintWriter out = spec.commandLine().getOut();
        try (Store s = store.openReadOnly()) {
            final long untilIndex = new JournalRange(Position.parse("start"), until).untilIndex(s.journal());
            final long entries = count(s, untilIndex);
            try (Progress progress = Progress.start(System.console() != null, spec.commandLine().getErr(), entries,
                target)) {
                s.replayTo(target, untilIndex);
                progress.done();
            }
            try (Store copy = Store.builder().readOnly(true).open(target)) {
                out.println("replayed entries=" + entries + " regions=" + copy.list().size() + " into dir=" + target
                    + (untilIndex == Long.MAX_VALUE ? "" : " until index=" + Formats.index(untilIndex)));
            }
        }
        out.flush();
        return ExitCodes.OK;
    }

    private static long count(final Store s, final long untilIndex) {
        long n = 0;
        try (JournalReader r = s.journal().reader()) {
            for (JournalEntry e = r.next(); e != null && e.index() <= untilIndex; e = r.next()) {
                n++;
            }
        }
        return n;
    }
}
