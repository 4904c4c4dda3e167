package io.memoir.tools;

import io.memoir.store.JournalEntry;
import io.memoir.store.Store;
import java.io.PrintWriter;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code memoir history TAG}: every version of one region, oldest first. */
@Command(name = "history", mixinStandardHelpOptions = true, versionProvider = Version.class,
    description = "Print every change of one region, oldest first (tail's format).")
public final class HistoryCommand implements Callable<Integer> {
    @Mixin
    StoreOptions store;

    @Spec
    CommandSpec spec;

    @Parameters(index = "0", paramLabel = "TAG", description = "The region's tag (deleted ones too).")
    String tag;

    @Option(names = "--json", description = "One JSON object per entry and line.")
    boolean json;

    @Override
    public Integer call() {
        final PrintWriter out = spec.commandLine().getOut();
        try (Store s = store.openReadOnly()) {
            final List<JournalEntry> history = s.history(tag);
            if (history.isEmpty()) {
                s.region(tag); // no history and no region: RegionNotFoundException names tag and store
            }
            for (JournalEntry e : history) {
                out.println(json ? Formats.json(e) : Formats.text(e));
            }
        }
        out.flush();
        return ExitCodes.OK;
    }
}
