package io.memoir.tools;

import io.memoir.store.RegionInfo;
import io.memoir.store.Store;
import java.io.PrintWriter;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code memoir ls}: every region with its length, version, last write time and writer. */
@Command(name = "ls", mixinStandardHelpOptions = true, versionProvider = Version.class,
    description = "List the regions: tag, length, version, last write time (UTC), writer pid.")
public final class LsCommand implements Callable<Integer> {
    @Mixin
    StoreOptions store;

    @Spec
    CommandSpec spec;

    @Option(names = "--json", description = "One JSON object per region and line.")
    boolean json;

    @Override
    public Integer call() {
        final PrintWriter out = spec.commandLine().getOut();
        try (Store s = store.openReadOnly()) {
            final List<RegionInfo> regions = s.list();
            if (json) {
                regions.forEach(r -> out.println(Formats.json(r)));
            } else {
                table(out, regions);
            }
        }
        out.flush();
        return ExitCodes.OK;
    }

    static void table(final PrintWriter out, final List<RegionInfo> regions) {
        int width = 3;
        for (RegionInfo r : regions) {
            width = Math.max(width, r.tag().length());
        }
        final String row = "%-" + width + "s  %10s  %8s  %-27s  %s%n";
        out.printf(row, "TAG", "LENGTH", "VERSION", "LAST WRITE", "WRITER");
        for (RegionInfo r : regions) {
            out.printf(row, r.tag(), r.length(), r.version(), Formats.time(r.lastTime()), r.writer());
        }
    }
}
