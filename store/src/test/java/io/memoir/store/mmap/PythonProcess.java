package io.memoir.store.mmap;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

/** Finding and running {@code python3} for the tests that talk to live CPython. */
final class PythonProcess {

    /** The recorder, relative to the module directory (Surefire's working directory). */
    static final Path RECORDER = Path.of("src", "test", "python", "record_mmap.py");

    private PythonProcess() {
    }

    /** {@code "3.11"} for the {@code python3} on PATH, or null if there is none that runs. */
    static String version() {
        try {
            Process p = new ProcessBuilder("python3", "-c",
                    "import sys; print('%d.%d' % sys.version_info[:2])").redirectErrorStream(true).start();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
            return p.waitFor(30, TimeUnit.SECONDS) && p.exitValue() == 0 ? out : null;
        } catch (IOException e) {
            return null;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return null;
        }
    }

    /** Runs {@code python3 args...} with stdin from {@code in}, returning stdout; fails on a non-zero exit. */
    static String run(Path in, Path dir, long timeoutSeconds, String... args) throws IOException, InterruptedException {
        String[] command = new String[args.length + 1];
        command[0] = "python3";
        System.arraycopy(args, 0, command, 1, args.length);
        Path out = dir.resolve("python.out");
        Path err = dir.resolve("python.err");
        Process p = new ProcessBuilder(command).redirectInput(in.toFile()).redirectOutput(out.toFile())
                .redirectError(err.toFile()).start();
        if (!p.waitFor(timeoutSeconds, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new IOException("python3 did not finish within " + timeoutSeconds + " s");
        }
        if (p.exitValue() != 0) {
            throw new IOException("python3 exited with " + p.exitValue() + ": " + Files.readString(err));
        }
        return Files.readString(out);
    }
}
