package io.memoir.tools;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import io.memoir.store.testing.ChildJvm;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Runs the built launcher ({@code ./memoir}, path in system property {@code memoir.launcher}) as a
 * subprocess, and compares output with golden files under {@code src/test/resources/golden/}.
 * {@code -Dmemoir.golden.update=true} rewrites the golden files from the actual output.
 */
final class Cli {
    private static final long TIMEOUT_SECONDS = 120;
    private static final Pattern TIME = Pattern.compile("\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d\\.\\d{6}Z");
    private static final Pattern HEX_INDEX = Pattern.compile("0x[0-9a-f]{6,}");
    private static final Pattern JSON_INDEX = Pattern.compile("\"(index|lastIndex)\":(\\d+)");
    private static final Pattern JSON_NANOS = Pattern.compile("\"(timeNanos|lastTimeNanos)\":\\d+");
    private static final Pattern JSON_PID = Pattern.compile("\"writer\":\\d+");
    private static final Pattern PID = Pattern.compile("pid=\\d+");
    /** The WRITER column of {@code ls}: a pid at the end of a line that has a time. */
    private static final Pattern LS_WRITER = Pattern.compile("(<TIME>\\s+)\\d+$", Pattern.MULTILINE);

    private Cli() {
    }

    /** What one run printed and returned. */
    record Result(int exitCode, String out, String err) {
        Result expect(final int code) {
            assertEquals(code, exitCode, () -> "exit code; stdout:\n" + out + "\nstderr:\n" + err);
            return this;
        }
    }

    static Path launcher() {
        return Path.of(System.getProperty("memoir.launcher", "../memoir")).toAbsolutePath().normalize();
    }

    static List<String> command(final String... args) {
        final List<String> cmd = new ArrayList<>();
        cmd.add(launcher().toString());
        cmd.addAll(List.of(args));
        return cmd;
    }

    /**
     * Runs {@code memoir ARGS} to its end.
     *
     * @param args the arguments
     * @return exit code, stdout, stderr
     */
    static Result run(final String... args) {
        return runWithStdin(null, args);
    }

    static Result runWithStdin(final byte[] stdin, final String... args) {
        try {
            final ProcessBuilder pb = new ProcessBuilder(command(args));
            pb.environment().remove(StoreOptions.STORE_ENV);
            final Process p = pb.start();
            final CompletableFuture<byte[]> out = CompletableFuture.supplyAsync(() -> readAll(p.getInputStream()));
            final CompletableFuture<byte[]> err = CompletableFuture.supplyAsync(() -> readAll(p.getErrorStream()));
            try (var in = p.getOutputStream()) {
                if (stdin != null) {
                    in.write(stdin);
                }
            }
            if (!p.waitFor(TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                fail("memoir " + String.join(" ", args) + " did not end within " + TIMEOUT_SECONDS + " s");
            }
            return new Result(p.exitValue(), new String(out.join(), StandardCharsets.UTF_8),
                new String(err.join(), StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }

    /** Raw stdout bytes of a run that must succeed. */
    static byte[] runRaw(final String... args) {
        try {
            final ProcessBuilder pb = new ProcessBuilder(command(args)).redirectError(ProcessBuilder.Redirect.DISCARD);
            final Process p = pb.start();
            final byte[] out = readAll(p.getInputStream());
            assertTrue(p.waitFor(TIMEOUT_SECONDS, TimeUnit.SECONDS));
            assertEquals(0, p.exitValue());
            return out;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }

    /** Starts {@code memoir ARGS} in the background (e.g. {@code tail -f}); output lines collected. */
    static ChildJvm start(final String... args) {
        return ChildJvm.exec("memoir " + args[0], command(args));
    }

    private static byte[] readAll(final InputStream in) {
        try (in; ByteArrayOutputStream out = new ByteArrayOutputStream()) {
            in.transferTo(out);
            return out.toByteArray();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * Replaces what changes from run to run: times, pids, the store directory, and journal indexes
     * (numbered in order of first appearance, hex and decimal alike: {@code <I0>}, {@code <I1>} ...).
     *
     * @param text  the output
     * @param store the store directory
     * @return the stable text
     */
    static String normalise(final String text, final Path store) {
        String s = text.replace(store.toString(), "<STORE>");
        s = TIME.matcher(s).replaceAll("<TIME>");
        s = JSON_NANOS.matcher(s).replaceAll("\"$1\":<NANOS>");
        s = JSON_PID.matcher(s).replaceAll("\"writer\":<PID>");
        s = PID.matcher(s).replaceAll("pid=<PID>");
        s = LS_WRITER.matcher(s).replaceAll("$1<PID>");
        final Map<Long, String> names = new LinkedHashMap<>();
        final StringBuilder sb = new StringBuilder();
        final Matcher hex = HEX_INDEX.matcher(s);
        while (hex.find()) {
            hex.appendReplacement(sb, name(names, Long.parseUnsignedLong(hex.group().substring(2), 16)));
        }
        hex.appendTail(sb);
        s = sb.toString();
        final StringBuilder sb2 = new StringBuilder();
        final Matcher dec = JSON_INDEX.matcher(s);
        while (dec.find()) {
            dec.appendReplacement(sb2, "\"" + dec.group(1) + "\":" + name(names, Long.parseLong(dec.group(2))));
        }
        dec.appendTail(sb2);
        return sb2.toString();
    }

    private static String name(final Map<Long, String> names, final long index) {
        return names.computeIfAbsent(index, i -> "<I" + names.size() + ">");
    }

    /**
     * Asserts that the normalised output equals {@code golden/NAME}.
     *
     * @param name   the golden file's name
     * @param actual the normalised output
     */
    static void assertGolden(final String name, final String actual) {
        final Path file = Path.of("src/test/resources/golden").resolve(name);
        try {
            if (Boolean.getBoolean("memoir.golden.update")) {
                Files.createDirectories(file.getParent());
                Files.writeString(file, actual, StandardCharsets.UTF_8);
                return;
            }
            assertTrue(Files.isRegularFile(file), () -> "no golden file " + file.toAbsolutePath()
                + " (run with -Dmemoir.golden.update=true to write it); actual:\n" + actual);
            assertEquals(Files.readString(file, StandardCharsets.UTF_8), actual, "golden file " + name);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
