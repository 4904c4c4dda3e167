package io.memoir.tools;

import io.memoir.store.Store;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code memoir rm TAG}: deletes a region; its history stays in the journal. */
@Command(name = "rm", mixinStandardHelpOptions = true, versionProvider = Version.class,
    description = {"Delete a region.",
        "Its history stays in the journal; its versions continue if it is created again."})
public final class RmCommand implements Callable<Integer> {
    @Mixin
    StoreOptions store;

    @Spec
    CommandSpec spec;

    @Parameters(index = "0", paramLabel = "TAG", description = "The region's tag.")
    String tag;

    @Override
    public Integer call() {
        try (Store s = store.openWritable()) {
            final long version = s.delete(tag);
            spec.commandLine().getOut().println("tag=" + tag + " version=" + version + " deleted");
        }
        spec.commandLine().getOut().flush();
        return ExitCodes.OK;
    }
}
