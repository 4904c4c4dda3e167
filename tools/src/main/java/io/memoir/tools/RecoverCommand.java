package io.memoir.tools;

import io.memoir.store.Store;
import io.memoir.store.VerifyReport;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** {@code memoir recover}: brings map and journal back into agreement and says what it repaired. */
@Command(name = "recover", mixinStandardHelpOptions = true, versionProvider = Version.class,
    description = {"Bring map and journal back into agreement and say what was repaired.",
        "Repairs what dead processes left (locks, half-done changes), then rebuilds from the "
        + "journal every region that differs from it. The journal is the source of truth: no "
        + "acknowledged write is lost."})
public final class RecoverCommand implements Callable<Integer> {
    @Mixin
    StoreOptions store;

    @Spec
    CommandSpec spec;

    @Option(names = "--rebuild-map", description = {"Rebuild the region map from the journal: for a map that "
        + "cannot be opened (truncated or damaged regions.cm3). The damaged file is kept as "
        + "regions.cm3.damaged-MILLIS. Stop every other process using the store first."})
    boolean rebuildMap;

    @Override
    public Integer call() {
        final PrintWriter out = spec.commandLine().getOut();
        final List<String> repaired = new ArrayList<>();
        final VerifyReport report;
        try (Store s = store.openWritable(rebuildMap)) {
            repaired.addAll(s.repairs());
            repaired.addAll(s.recover());
            report = s.verify();
        }
        repaired.forEach(r -> out.println("repaired: " + r));
        out.println(repaired.isEmpty() ? "nothing to repair" : "repairs=" + repaired.size());
        VerifyCommand.print(out, report);
        out.flush();
        return report.ok() ? ExitCodes.OK : ExitCodes.FAILURE;
    }
}
