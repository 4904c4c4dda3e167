package io.memoir.tools;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.memoir.store.Region;
import io.memoir.store.Store;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The read commands' output, through the built launcher, against golden files. One store, written
 * here through the library, serves every test; each test starts the CLI as few times as it can.
 */
@Timeout(300)
class CliGoldenIT {
    static final byte[] BETA = {0, 1, 2, (byte) 0xff, '"', '\\', 'z'};

    @TempDir
    static Path tmp;
    static Path dir;

    @BeforeAll
    static void writeStore() {
        dir = tmp.resolve("store");
        try (Store s = Store.open(dir)) {
            final Region alpha = s.region("alpha", 16);
            alpha.write(0, "hello".getBytes(UTF_8));
            alpha.write(8, "world".getBytes(UTF_8));
            alpha.resize(20);
            s.region("beta", 0).put(BETA);
            s.region("gamma", 4);
            s.delete("gamma");
            s.putJson("config", "{\"name\":\"memoir\",\"port\":8080,\"ratio\":0.5,\"tags\":[\"a\",null,true]}");
            s.putJson("config", "{\"name\":\"memoir\",\"port\":8081}");
            s.putJson("config", "{\"name\":\"memoir\",\"port\":8082}"); // the same length: journaled as a patch
        }
    }

    private static String store() {
        return "--store=" + dir;
    }

    @Test
    void shouldListRegionsAsTableAndJson() {
        Cli.assertGolden("ls.txt", Cli.normalise(Cli.run("ls", store()).expect(0).out(), dir));
        Cli.assertGolden("ls.jsonl", Cli.normalise(Cli.run("ls", store(), "--json").expect(0).out(), dir));
    }

    @Test
    void shouldGetContentNowAndThenInEveryFormat() {
        assertEquals("hello\0\0\0world\n", Cli.run("get", store(), "alpha").expect(0).out());
        Cli.assertGolden("get-alpha.hex", Cli.run("get", store(), "alpha", "--format", "hex").expect(0).out());
        Cli.assertGolden("get-alpha-v2.hex",
            Cli.run("get", store(), "alpha", "--at-version", "2", "--format=hex").expect(0).out());
        assertArrayEquals(BETA, Cli.runRaw("get", store(), "beta", "--format", "raw"));
        assertEquals("{\"name\":\"memoir\",\"port\":8080,\"ratio\":0.5,\"tags\":[\"a\",null,true]}\n",
            Cli.run("get", store(), "config", "--format=json", "--at-version=1").expect(0).out());
        assertEquals("{\"name\":\"memoir\",\"port\":8081}\n",
            Cli.run("get", store(), "config", "--format=json", "--at-version=2").expect(0).out());
        assertEquals("{\"name\":\"memoir\",\"port\":8082}\n",
            Cli.run("get", store(), "config", "--format=json").expect(0).out());
    }

    @Test
    void shouldPrintHistoryTailAndExportInTheirFormats() {
        Cli.assertGolden("history-alpha.txt", Cli.normalise(Cli.run("history", store(), "alpha").expect(0).out(), dir));
        Cli.assertGolden("tail.txt", Cli.normalise(Cli.run("tail", store()).expect(0).out(), dir));
        Cli.assertGolden("tail-beta-gamma.jsonl", Cli.normalise(
            Cli.run("tail", store(), "--tag", "beta", "--tag=gamma", "--format", "json").expect(0).out(), dir));
        Cli.assertGolden("export.jsonl", Cli.normalise(Cli.run("export", store(), "--format", "jsonl").expect(0).out(), dir));
    }

    @Test
    void shouldPrintStatsAndHelpWithExitCodes() {
        final String stats = Cli.run("stats", store()).expect(0).out();
        assertTrue(stats.contains("regions            3 of maxRegions=1024"), stats);
        assertTrue(stats.contains("journal entries    11"), stats);
        final String help = Cli.run("--help").expect(0).out();
        for (String command : new String[] {"ls", "get", "put", "put-json", "create", "rm", "tail", "history", "export", "replay",
            "verify", "recover", "stats", "demo", "soak"}) {
            assertTrue(help.contains("\n  " + command + " "), () -> command + " missing from help:\n" + help);
        }
        assertTrue(help.contains("Exit codes:\n  0   done"), help);
        assertTrue(help.contains("\n  2   usage"), help);
    }

    @Test
    void shouldBuildCompletionScriptAndKeepJvmFlagsInTheManifest() throws Exception {
        final Path target = Cli.launcher().getParent().resolve("tools/target");
        final String completion = Files.readString(target.resolve("memoir_completion"));
        assertTrue(completion.contains("complete -F _complete_memoir"), completion.substring(0, 200));
        assertTrue(completion.contains("history"), "subcommands are completed");
        final String args = Files.readString(target.resolve("memoir.args"));
        assertTrue(args.contains("-Dchronicle.analytics.disable=true"), args);
        assertTrue(!args.contains("--add-opens"), "the jar's manifest carries --add-opens, not the launcher: " + args);
    }
}
