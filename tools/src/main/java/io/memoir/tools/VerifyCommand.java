package io.memoir.tools;

import io.memoir.store.Store;
import io.memoir.store.VerifyReport;
import java.io.PrintWriter;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** {@code memoir verify}: replays the journal and compares it with the map; exit 1 on any difference. */
@Command(name = "verify", mixinStandardHelpOptions = true, versionProvider = Version.class,
    description = {"Check that the regions' map equals the replayed journal (read-only).",
        "Exit 0 if they agree; otherwise list the differences and exit 1 (then try 'memoir "
        + "recover')."})
public final class VerifyCommand implements Callable<Integer> {
    @Mixin
    StoreOptions store;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        final PrintWriter out = spec.commandLine().getOut();
        final VerifyReport report;
        try (Store s = store.openReadOnly()) {
            report = s.verify();
        }
        print(out, report);
        out.flush();
        return report.ok() ? ExitCodes.OK : ExitCodes.FAILURE;
    }

    static void print(final PrintWriter out, final VerifyReport report) {
        report.differences().forEach(out::println);
        out.println((report.ok() ? "ok" : "DIFFERENT") + ": regions=" + report.regions() + " entries="
            + report.entries() + " differences=" + report.differences().size());
    }
}
