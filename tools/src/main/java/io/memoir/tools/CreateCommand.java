package io.memoir.tools;

import io.memoir.store.Store;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code memoir create TAG --length N}: a new zero-filled region (the store is created if missing). */
@Command(name = "create", mixinStandardHelpOptions = true, versionProvider = Version.class,
    description = {"Create a zero-filled region.",
        "Creates the store too if the directory is missing or empty."})
public final class CreateCommand implements Callable<Integer> {
    @Mixin
    StoreOptions store;

    @Spec
    CommandSpec spec;

    @Parameters(index = "0", paramLabel = "TAG", description = "The new region's tag.")
    String tag;

    @Option(names = "--length", required = true, paramLabel = "N", description = "Its length in bytes.")
    int length;

    @Override
    public Integer call() {
        if (length < 0) {
            throw new UsageException("negative region length: tag=" + tag + ", length=" + length);
        }
        try (Store s = store.openOrCreate()) {
            if (s.exists(tag)) {
                throw new IllegalStateException("region exists: tag=" + tag + ", length=" + s.region(tag).length()
                    + " in store=" + s.directory() + " (use put, or rm it first)");
            }
            final long version = s.region(tag, length).version();
            spec.commandLine().getOut().println("tag=" + tag + " version=" + version + " length=" + length);
        }
        spec.commandLine().getOut().flush();
        return ExitCodes.OK;
    }
}
