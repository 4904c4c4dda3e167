package io.memoir.tools;

import io.memoir.store.At;
import io.memoir.store.JournalEntry;
import io.memoir.store.Store;
import io.memoir.tools.Converters.Position;
import java.io.IOException;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.Callable;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code memoir get TAG}: a region's content, now or as it was at a version, index or time. */
@Command(name = "get", mixinStandardHelpOptions = true, versionProvider = Version.class,
    description = "Print a region's content, now or as it was at a version, index or time.")
public final class GetCommand implements Callable<Integer> {
    /** What {@code get} prints. */
    enum Format { text, hex, raw, json }

    @Mixin
    StoreOptions store;

    @Spec
    CommandSpec spec;

    @Parameters(index = "0", paramLabel = "TAG", description = "The region's tag.")
    String tag;

    @ArgGroup(exclusive = true)
    When when;

    @Option(names = "--format", defaultValue = "text", paramLabel = "FORMAT",
        description = "text (UTF-8, trailing zero bytes dropped), hex (a dump), raw (the bytes), json"
            + " (an object stored by put-json or Store.put). Default ${DEFAULT-VALUE}.")
    Format format;

    /** At most one of the three. */
    static final class When {
        @Option(names = "--at-version", paramLabel = "V", description = "As it was at this version.")
        Long version;

        @Option(names = "--at-index", paramLabel = "INDEX", converter = Converters.PositionConverter.class,
            description = "As it was just after this journal index (0x... or decimal).")
        Position index;

        @Option(names = "--at-time", paramLabel = "TIME", converter = Converters.PositionConverter.class,
            description = "As it was at this time (ISO-8601, e.g. 2026-11-21T10:00:00Z).")
        Position time;
    }

    @Override
    public Integer call() throws IOException {
        if (when != null && when.index != null && when.index.kind() != Position.Kind.INDEX) {
            throw new UsageException("--at-index takes an index (0x... or decimal), not " + when.index.kind());
        }
        if (when != null && when.time != null && when.time.kind() != Position.Kind.TIME) {
            throw new UsageException("--at-time takes an ISO-8601 time such as 2026-11-21T10:00:00Z, not "
                + when.time.kind());
        }
        final byte[] content;
        try (Store s = store.openReadOnly()) {
            if (format == Format.json) {
                final PrintWriter out = spec.commandLine().getOut();
                out.println(when == null ? s.getJson(tag) : s.getJson(tag, at(s)));
                out.flush();
                return ExitCodes.OK;
            }
            content = read(s);
        }
        print(content);
        return ExitCodes.OK;
    }

    private byte[] read(final Store s) {
        if (when == null) {
            return s.region(tag).readAll();
        }
        final long untilIndex;
        if (when.version != null) {
            untilIndex = indexOfVersion(s, when.version);
        } else if (when.index != null) {
            untilIndex = when.index.value();
        } else {
            untilIndex = s.journal().lastIndexAtOrBefore(when.time.value());
        }
        return s.replay(untilIndex).content(tag);
    }

    private At at(final Store s) {
        if (when.version != null) {
            indexOfVersion(s, when.version); // a version that never was is a usage error, as for bytes
            return At.version(when.version);
        }
        return when.index != null ? At.index(when.index.value()) : At.time(when.time.value());
    }

    private long indexOfVersion(final Store s, final long version) {
        long last = 0;
        for (JournalEntry e : s.history(tag)) {
            if (e.version() == version) {
                return e.index();
            }
            last = e.version();
        }
        if (last == 0) {
            s.region(tag); // throws RegionNotFoundException naming the tag and the store
        }
        throw new UsageException("no version=" + version + " of tag=" + tag + " (versions 1.." + last + ")");
    }

    private void print(final byte[] content) throws IOException {
        final PrintWriter out = spec.commandLine().getOut();
        switch (format) {
            case raw -> {
                out.flush();
                // Bytes, not characters: written to the process's standard output as they are.
                final PrintStream raw = System.out;
                raw.write(content);
                raw.flush();
            }
            case hex -> out.print(HexDump.dump(content));
            default -> {
                int end = content.length;
                while (end > 0 && content[end - 1] == 0) {
                    end--;
                }
                out.println(new String(content, 0, end, StandardCharsets.UTF_8));
            }
        }
        out.flush();
    }
}
