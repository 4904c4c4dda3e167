package io.memoir.tools;

import io.memoir.store.Region;
import io.memoir.store.Store;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code memoir put TAG}: writes bytes into a region (journaled, atomic, visible to every process at once).
 * Without {@code --offset} it replaces the whole content (creating the region if it is missing); with it,
 * it writes in place into an existing region.
 */
@Command(name = "put", mixinStandardHelpOptions = true, versionProvider = Version.class,
    description = {"Write bytes into a region (journaled, atomic).",
        "Without --offset: replace the whole content (the region is created if missing; its length "
        + "becomes the data's). With --offset: write in place into an existing region. The data comes "
        + "from exactly one of --text, --hex, --file or - (standard input)."})
public final class PutCommand implements Callable<Integer> {
    @Mixin
    StoreOptions store;

    @Spec
    CommandSpec spec;

    @Parameters(index = "0", paramLabel = "TAG", description = "The region's tag.")
    String tag;

    @Parameters(index = "1", arity = "0..1", paramLabel = "STDIN", description = "- : read the data from standard input.")
    String stdin;

    @Option(names = "--offset", paramLabel = "N", description = "Write in place at this offset.")
    Long offset;

    @Option(names = "--text", paramLabel = "S", description = "The data: this text, UTF-8.")
    String text;

    @Option(names = "--hex", paramLabel = "H", description = "The data: hex digits (spaces and colons allowed).")
    String hex;

    @Option(names = "--file", paramLabel = "F", description = "The data: this file's bytes.")
    Path file;

    @Override
    public Integer call() throws IOException {
        final byte[] data = data();
        try (Store s = offset == null ? store.openOrCreate() : store.openWritable()) {
            final long version;
            if (offset == null) {
                final Region r = s.exists(tag) ? s.region(tag) : s.region(tag, data.length);
                version = r.put(data);
            } else {
                version = s.region(tag).write(offset, data);
            }
            spec.commandLine().getOut().println("tag=" + tag + " version=" + version + " bytes=" + data.length
                + (offset == null ? "" : " offset=" + offset));
        }
        spec.commandLine().getOut().flush();
        return ExitCodes.OK;
    }

    private byte[] data() throws IOException {
        int given = 0;
        given += text != null ? 1 : 0;
        given += hex != null ? 1 : 0;
        given += file != null ? 1 : 0;
        given += stdin != null ? 1 : 0;
        if (given != 1) {
            throw new ParameterException(spec.commandLine(),
                "give the data with exactly one of --text S, --hex H, --file F, or - (standard input); given=" + given);
        }
        if (stdin != null && !stdin.equals("-")) {
            throw new ParameterException(spec.commandLine(), "unexpected argument '" + stdin
                + "' (only - for standard input may follow the tag)");
        }
        if (offset != null && offset < 0) {
            throw new UsageException("negative offset: tag=" + tag + ", offset=" + offset);
        }
        if (text != null) {
            return text.getBytes(StandardCharsets.UTF_8);
        }
        if (hex != null) {
            return Converters.hex(hex);
        }
        if (file != null) {
            if (!Files.isRegularFile(file)) {
                throw new UsageException("no such file: file=" + file.toAbsolutePath());
            }
            return Files.readAllBytes(file);
        }
        try (InputStream in = System.in) {
            return in.readAllBytes();
        }
    }
}
