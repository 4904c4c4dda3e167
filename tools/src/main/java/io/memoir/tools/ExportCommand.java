package io.memoir.tools;

import io.memoir.store.JournalEntry;
import io.memoir.store.JournalReader;
import io.memoir.store.Store;
import io.memoir.tools.Converters.Position;
import java.io.PrintWriter;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code memoir export}: the journal as JSON Lines, for jq or Python. */
@Command(name = "export", mixinStandardHelpOptions = true, versionProvider = Version.class,
    description = {"Write the journal as JSON Lines, for jq or Python.",
        "One object per entry: index, time, timeNanos, tag, op, version, offset, length, writer, "
        + "data (base64)."})
public final class ExportCommand implements Callable<Integer> {
    /** Export formats. */
    enum Format { jsonl }

    @Mixin
    StoreOptions store;

    @Spec
    CommandSpec spec;

    @Option(names = "--format", defaultValue = "jsonl", paramLabel = "FORMAT", description = "jsonl (the default).")
    Format format;

    @Option(names = "--from", paramLabel = "POS", defaultValue = "start", converter = Converters.PositionConverter.class,
        description = "First entry: start (default), an INDEX or a TIME.")
    Position from;

    @Option(names = "--until", paramLabel = "POS", defaultValue = "end", converter = Converters.PositionConverter.class,
        description = "Last entry (inclusive): end (default), an INDEX or a TIME.")
    Position until;

    @Override
    public Integer call() {
        final JournalRange range = new JournalRange(from, until);
        final PrintWriter out = spec.commandLine().getOut();
        try (Store s = store.openReadOnly(); JournalReader r = range.open(s.journal())) {
            for (JournalEntry e = r.next(); e != null && !range.pastEnd(e); e = r.next()) {
                if (!range.beforeStart(e)) {
                    out.println(Formats.json(e));
                }
            }
        }
        out.flush();
        return ExitCodes.OK;
    }
}
