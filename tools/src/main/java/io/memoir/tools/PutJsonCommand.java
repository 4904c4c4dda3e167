package io.memoir.tools;

import io.memoir.store.Store;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code memoir put-json TAG JSON}: stores a JSON value as an object (binary Chronicle Wire). */
@Command(name = "put-json", mixinStandardHelpOptions = true, versionProvider = Version.class,
    description = {"Store a JSON value as an object (read it back with get --format json).",
        "Strict JSON (RFC 8259); objects keep their key order, integers come back as integers. The region is "
        + "created if missing; the store too if the directory is missing or empty."})
public final class PutJsonCommand implements Callable<Integer> {
    @Mixin
    StoreOptions store;

    @Spec
    CommandSpec spec;

    @Parameters(index = "0", paramLabel = "TAG", description = "The region's tag.")
    String tag;

    @Parameters(index = "1", paramLabel = "JSON", description = "The JSON text, or - to read it from standard input.")
    String json;

    @Override
    public Integer call() throws IOException {
        final String text;
        if (json.equals("-")) {
            try (InputStream in = System.in) {
                text = new String(in.readAllBytes(), StandardCharsets.UTF_8);
            }
        } else {
            text = json;
        }
        try (Store s = store.openOrCreate()) {
            final long version = s.putJson(tag, text);
            spec.commandLine().getOut().println("tag=" + tag + " version=" + version);
        }
        spec.commandLine().getOut().flush();
        return ExitCodes.OK;
    }
}
