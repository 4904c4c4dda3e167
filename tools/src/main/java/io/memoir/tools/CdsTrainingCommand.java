package io.memoir.tools;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.Writer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/**
 * Hidden {@code memoir cds-training DIR}: run by the build under {@code -XX:ArchiveClassesAtExit} so
 * that the class-data-sharing archive holds every class the common commands load (docs/cli.md, "Cold
 * start"). Runs those commands, output discarded, on a scratch store in DIR (deleted first).
 */
@Command(name = "cds-training", hidden = true, description = "Build step: exercise the commands for the CDS archive.")
public final class CdsTrainingCommand implements Callable<Integer> {
    @Parameters(index = "0", paramLabel = "DIR", description = "Scratch store directory (deleted first).")
    Path dir;

    @Override
    public Integer call() throws IOException {
        Dirs.deleteRecursively(dir);
        final String s = "--store=" + dir;
        final List<String[]> runs = List.of(
            new String[] {"create", s, "training", "--length", "64"},
            new String[] {"put", s, "training", "--offset", "0", "--text", "hello"},
            new String[] {"put", s, "other", "--hex", "00ff"},
            new String[] {"ls", s}, new String[] {"ls", s, "--json"},
            new String[] {"get", s, "training"}, new String[] {"get", s, "training", "--format", "hex"},
            new String[] {"get", s, "training", "--at-version", "1"},
            new String[] {"history", s, "training"}, new String[] {"tail", s}, new String[] {"tail", s, "--format", "json"},
            new String[] {"export", s}, new String[] {"stats", s}, new String[] {"verify", s},
            new String[] {"get", s, "missing"});
        for (String[] args : runs) {
            final CommandLine cmd = Memoir.commandLine(args);
            cmd.setOut(new PrintWriter(Writer.nullWriter()));
            cmd.setErr(new PrintWriter(Writer.nullWriter()));
            cmd.execute(args);
        }
        Dirs.deleteRecursively(dir);
        return ExitCodes.OK;
    }
}
