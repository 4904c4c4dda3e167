package io.memoir.tools;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.memoir.store.RegionInfo;
import io.memoir.store.Store;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * CLI argument fuzzing (issue 7, "Hostile input"): random argument lists mixing real subcommands,
 * options, garbage, huge and negative numbers and bad tags, run in-process through
 * {@link Memoir#commandLine(String...)} exactly as {@code main} runs them. Every run must end with exit
 * code 0, 1 or 2, print no stack trace (unless {@code -v} was given), and leave the store unchanged
 * (journal last index and listing) unless it was a write command that succeeded.
 *
 * <p>Cases per build: system property {@code memoir.fuzz.cases} (default 300). The seed is fixed, so
 * that every build runs the same cases, and printed; change it with {@code memoir.fuzz.seed}. Left out
 * of the pool: {@code -f}/{@code --follow} and the demos (they run until stopped), {@code -} (reads
 * standard input, which is the test runner's), {@code grow} (moves the store directory aside), and
 * {@code --store} values other than the test's store (a write command always gets it, so the default
 * {@code ./memoir-data} is never created).
 */
@Timeout(600)
class CliFuzzTest {
    private static final List<String> COMMANDS = List.of("ls", "get", "put", "put-json", "create", "rm", "tail",
        "history", "export", "replay", "verify", "recover", "stats", "help", "generate-completion");
    private static final Set<String> WRITES = Set.of("put", "put-json", "create", "rm", "recover");
    private static final List<String> OPTIONS = List.of("--offset", "--text", "--hex", "--file", "--length", "--json",
        "--format", "--from", "--until", "--tag", "--at-index", "--at-time", "--at-version", "--to", "--lock-timeout",
        "--max-regions", "--max-region-size", "--average-region-size", "--help", "-h", "--version", "-V", "-v",
        "--verbose", "--nosuch", "-x", "--", "-");
    private static final List<String> VALUES = List.of("alpha", "beta", "t", "0", "1", "7", "8", "-1", "-0",
        "2147483647", "2147483648", "-2147483649", "9223372036854775807", "99999999999999999999999", "1e9", "0x10",
        "abc", "zz", "00 11:22", "{\"a\":1}", "{\"a\":", "[1,2", "null", "text", "jsonl", "hex", "start", "end",
        "-5", "1970-01-01T00:00:00Z", "2999-01-01T00:00:00Z", "yesterday", "1k", "1m", "1g", "-1k", "10s", "0s",
        "-3s", "forever", "", " ", "a b", ".hidden", "/abs", "caf\u00e9", "x\u0000y", "x".repeat(200), "%n%s",
        "\u202e", "../../etc/passwd");

    @TempDir
    Path tmp;

    /** The journal's last index and the listing (tags, lengths, versions): what must not change. */
    private static String state(final Path store) {
        try (Store s = Store.builder().readOnly(true).open(store)) {
            final List<RegionInfo> regions = s.list();
            final Map<String, String> byTag = new TreeMap<>();
            regions.forEach(r -> byTag.put(r.tag(), r.length() + "@" + r.version()));
            return s.journal().lastIndex() + " " + byTag;
        }
    }

    private static String pick(final Random rnd, final List<String> from) {
        return from.get(rnd.nextInt(from.size()));
    }

    private List<String> arguments(final Random rnd, final Path store) {
        final List<String> args = new ArrayList<>();
        final int shape = rnd.nextInt(10);
        args.add(shape == 0 ? pick(rnd, VALUES) : shape == 1 ? pick(rnd, OPTIONS) : pick(rnd, COMMANDS));
        // Sometimes no store (the default ./memoir-data), but only for commands that cannot create it.
        if (rnd.nextInt(8) != 0 || WRITES.contains(args.get(0))) {
            args.add("--store=" + store);
        }
        final int n = rnd.nextInt(7);
        for (int i = 0; i < n; i++) {
            final int k = rnd.nextInt(10);
            if (k < 4) {
                final String opt = pick(rnd, OPTIONS);
                args.add(opt.equals("--to") ? "--to=" + tmp.resolve("to" + rnd.nextInt(3)) : opt);
            } else if (k < 5) {
                args.add(pick(rnd, OPTIONS) + "=" + pick(rnd, VALUES));
            } else if (k < 6) {
                args.add(pick(rnd, COMMANDS));
            } else {
                args.add(pick(rnd, VALUES));
            }
        }
        // Never read the runner's stdin, never follow forever.
        args.removeIf(a -> a.equals("-") || a.equals("-f") || a.equals("--follow"));
        if (args.isEmpty() || args.get(0).startsWith("demo") || args.get(0).equals("grow")
            || args.get(0).equals("cds-training")) {
            args.add(0, "ls");
        }
        return args;
    }

    @Test
    void shouldNeverShowAStackTraceNorChangeTheStoreOnBadArguments() throws IOException {
        final Path store = tmp.resolve("store");
        try (Store s = Store.open(store)) {
            s.region("alpha", 8).write(0, "abc".getBytes(UTF_8));
            s.put("beta", Map.of("k", 1));
        }
        final long seed = Long.getLong("memoir.fuzz.seed", 20261121L);
        final int cases = Integer.getInteger("memoir.fuzz.cases", 300);
        final Random rnd = new Random(seed);
        final Map<Integer, Integer> exits = new TreeMap<>();
        int writes = 0;
        final Path cwdStore = Path.of("memoir-data").toAbsolutePath();
        final boolean cwdStoreBefore = Files.exists(cwdStore);
        for (int i = 0; i < cases; i++) {
            final List<String> args = arguments(rnd, store);
            final String[] argv = args.toArray(String[]::new);
            final String before = state(store);
            final StringWriter out = new StringWriter();
            final StringWriter err = new StringWriter();
            final CommandLine cmd = Memoir.commandLine(argv);
            cmd.setOut(new PrintWriter(out, true));
            cmd.setErr(new PrintWriter(err, true));
            final int exit = cmd.execute(argv);
            final String what = "seed=" + seed + " case=" + i + " memoir " + args + "\nexit=" + exit
                + "\nstdout:\n" + out + "\nstderr:\n" + err;
            exits.merge(exit, 1, Integer::sum);
            assertTrue(exit == 0 || exit == 1 || exit == 2, what);
            if (!args.contains("-v") && !args.contains("--verbose")) {
                assertFalse((out + "\n" + err).contains("\tat "), () -> "stack trace: " + what);
            }
            final String after = state(store);
            final boolean validWrite = exit == 0 && WRITES.contains(args.get(0));
            if (validWrite) {
                writes++;
            } else {
                assertEquals(before, after, () -> "store changed: " + what);
            }
        }
        assertEquals(cwdStoreBefore, Files.exists(cwdStore), "the default store ./memoir-data was created");
        System.out.println("CliFuzzTest: seed=" + seed + " cases=" + cases + " exit codes=" + exits
            + " valid writes=" + writes);
    }
}
