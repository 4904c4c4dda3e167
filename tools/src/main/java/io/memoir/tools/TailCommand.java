package io.memoir.tools;

import io.memoir.store.Backoff;
import io.memoir.store.JournalEntry;
import io.memoir.store.JournalReader;
import io.memoir.store.Store;
import io.memoir.tools.Converters.Position;
import io.memoir.tools.Formats.EntryFormat;
import java.io.PrintWriter;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code memoir tail}: the journal, one entry per line; with {@code -f}, keeps following it, across
 * journal file rolls, seeing other processes' writes as they are made.
 */
@Command(name = "tail", mixinStandardHelpOptions = true, versionProvider = Version.class,
    description = {"Print the journal, one entry per line; -f keeps following it.",
        "Each line: time (UTC), index, tag, op, version, @offset +bytes or len=length, data "
        + "preview, writer pid. With -f, follows across journal file rolls and shows other processes' "
        + "writes as they land (Ctrl-C to stop)."})
public final class TailCommand implements Callable<Integer> {
    @Mixin
    StoreOptions store;

    @Spec
    CommandSpec spec;

    @Option(names = {"-f", "--follow"}, description = "Keep following the journal as it grows.")
    boolean follow;

    @Option(names = "--from", paramLabel = "POS", converter = Converters.PositionConverter.class,
        description = "start, end, an INDEX (0x... or decimal) or a TIME (ISO-8601). Default: start, or end with -f.")
    Position from;

    @Option(names = "--tag", paramLabel = "T", description = "Only this tag (repeatable).")
    List<String> tags;

    @Option(names = "--format", defaultValue = "text", paramLabel = "FORMAT",
        description = "text or json (one JSON object per line). Default ${DEFAULT-VALUE}.")
    EntryFormat format;

    /**
     * How {@code tail -f} (and the demo's followers) wait for the next entry: spin, yield, then park
     * from 10 µs doubling to 1 ms, so a new entry is seen within microseconds when they come often and
     * within about a millisecond when the store is quiet, without burning a core.
     */
    static final Backoff WAIT = Backoff.of(1_000, 100, 10_000, 1_000_000);

    @Override
    public Integer call() {
        final Position start = from != null ? from : Position.parse(follow ? "end" : "start");
        final JournalRange range = new JournalRange(start, null);
        final Set<String> only = tags == null ? Set.of() : Set.copyOf(tags);
        final PrintWriter out = spec.commandLine().getOut();
        try (Store s = store.openReadOnly(); JournalReader r = range.open(s.journal())) {
            final Backoff.Idler idle = WAIT.idler();
            while (true) {
                final JournalEntry e = r.next();
                if (e == null) {
                    if (!follow) {
                        break;
                    }
                    out.flush();
                    idle.idle();
                    continue;
                }
                idle.reset();
                if (!range.beforeStart(e) && (only.isEmpty() || only.contains(e.tag()))) {
                    out.println(Formats.format(e, format));
                    if (out.checkError() || System.out.checkError()) {
                        break; // the reader went away (memoir tail -f | head)
                    }
                }
            }
        }
        out.flush();
        return ExitCodes.OK;
    }
}
