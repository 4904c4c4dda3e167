package io.memoir.tools;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.memoir.store.JournalEntry;
import io.memoir.store.JvmFlags;
import io.memoir.store.RegionInfo;
import io.memoir.store.Store;
import io.memoir.store.Watch;
import io.memoir.store.Watcher;
import io.memoir.store.testing.ChildJvm;
import io.memoir.store.testing.FileSnapshot;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * DESIGN.md §6: a read-only open, and the CLI's read commands, work on a store the process may not
 * write, and modify nothing. The store is made by root and left readable but not writable by others
 * (files 0644, directories 0755); the readers run as user {@code nobody} ({@code setpriv}): the store
 * API in a child JVM (list, read every region, objects, history, watch, await, verify) and the built
 * launcher's {@code ls}, {@code get}, {@code history}, {@code export} and {@code verify}, whose output
 * must equal root's. No file's bytes, size or mtime may change, and no file may appear. Then a reader
 * running as nobody must see a change root makes while it waits. Needs root and setpriv; skipped with
 * the reason otherwise.
 */
@Timeout(300)
class ReadOnlyUnprivilegedIT {
    private static final Duration LONG = Duration.ofSeconds(120);
    private static final List<String> SETPRIV = List.of("setpriv", "--reuid=nobody", "--regid=nogroup", "--clear-groups");

    @TempDir
    Path tmp;

    /** Reads everything through the store API, read-only; with {@code follow}, then waits for tag k to change. */
    public static final class ApiReader {
        public static void main(final String[] args) {
            try (Store s = Store.builder().readOnly(true).open(Path.of(args[0]))) {
                for (RegionInfo i : s.list()) {
                    System.out.println("REGION " + i.tag() + " " + i.length() + " " + i.version() + " "
                        + HexFormat.of().formatHex(s.region(i.tag()).readAll()));
                }
                System.out.println("OBJECT " + s.getJson("obj"));
                System.out.println("HISTORY " + s.history("a").size() + " " + s.history("gone").size());
                int watched = 0;
                try (Watcher w = s.watch(Watch.all().fromStart())) {
                    while (w.poll() != null) {
                        watched++;
                    }
                }
                System.out.println("WATCHED " + watched);
                System.out.println("AWAIT " + s.await("a", 0, Duration.ofMillis(10)));
                System.out.println("VERIFY " + s.verify().ok());
                if (args.length > 1) {
                    final long before = s.version("k");
                    System.out.println("WAITING " + before);
                    System.out.flush();
                    final long after = s.await("k", before, Duration.ofSeconds(60));
                    System.out.println("CHANGED " + after + " " + HexFormat.of().formatHex(s.region("k").readAll()));
                }
            }
            System.out.println("DONE");
        }
    }

    @Test
    void shouldReadAStoreItMayNotWriteAndChangeNothing() throws Exception {
        assumeTrue(isRoot(), "skipped: needs root, to run the readers as user nobody (this JVM is not root)");
        assumeTrue(onPath("setpriv"), "skipped: setpriv is not installed (util-linux)");
        final Path dir = tmp.resolve("store");
        try (Store s = Store.open(dir)) {
            s.region("a", 16).write(2, new byte[] {1, 2, 3});
            s.region("a").resize(24);
            s.region("gone", 8).delete();
            s.put("obj", Map.of("k", "v"));
            s.region("k", 4);
        }
        shareReadOnly();
        final List<List<String>> cliCommands = List.of(List.of("ls"), List.of("get", "a", "--format", "hex"),
            List.of("get", "obj"), List.of("history", "a"), List.of("history", "gone"), List.of("export"),
            List.of("verify"));
        final List<List<String>> asRoot = new ArrayList<>();
        for (List<String> c : cliCommands) {
            asRoot.add(cli(List.of(), dir, c));
        }
        final Map<Path, String> before = FileSnapshot.of(tmp);

        final List<String> api = run(SETPRIV, apiCommand(dir));
        assertTrue(api.contains("VERIFY true") && api.contains("OBJECT {\"k\":\"v\"}")
            && api.contains("HISTORY 3 2") && api.contains("AWAIT 3") && api.contains("WATCHED 7")
            && api.contains("REGION a 24 3 " + "0000010203" + "00".repeat(19)), String.join("\n", api));
        for (int i = 0; i < cliCommands.size(); i++) {
            assertEquals(asRoot.get(i), cli(SETPRIV, dir, cliCommands.get(i)), "memoir " + cliCommands.get(i)
                + " as nobody");
        }
        assertEquals(before, FileSnapshot.of(tmp), "a read-only open by a user who may not write changed a file");

        try (ChildJvm follower = ChildJvm.exec("api-reader", prefixed(SETPRIV, apiCommand(dir, "follow")))) {
            follower.await(l -> l.startsWith("WAITING"), LONG);
            try (Store s = Store.open(dir)) {
                s.region("k").write(0, new byte[] {9, 8});
            }
            assertEquals("CHANGED 2 09080000", follower.await(l -> l.startsWith("CHANGED"), LONG));
            follower.await("DONE"::equals, LONG);
        }
    }

    /** Files 0644, directories 0755, up from the store to the temporary directory: others may read, not write. */
    private void shareReadOnly() throws IOException {
        try (Stream<Path> all = Files.walk(tmp)) {
            for (Path p : (Iterable<Path>) all::iterator) {
                Files.setPosixFilePermissions(p, PosixFilePermissions.fromString(Files.isDirectory(p) ? "rwxr-xr-x"
                    : "rw-r--r--"));
            }
        }
    }

    private List<String> cli(final List<String> prefix, final Path dir, final List<String> args) throws Exception {
        final List<String> cmd = new ArrayList<>(Cli.command(args.toArray(String[]::new)));
        cmd.addAll(List.of("--store", dir.toString()));
        return run(prefix, cmd);
    }

    /** Runs a command (as nobody with the setpriv prefix) to its end; its output lines; it must exit 0. */
    private static List<String> run(final List<String> prefix, final List<String> command) throws Exception {
        try (ChildJvm child = ChildJvm.exec(command.get(0), prefixed(prefix, command))) {
            final List<String> lines = child.finish(LONG);
            assertEquals(0, child.exitCode(), () -> prefixed(prefix, command) + " failed:\n" + String.join("\n", lines));
            return lines;
        }
    }

    private static List<String> prefixed(final List<String> prefix, final List<String> command) {
        final List<String> all = new ArrayList<>(prefix);
        all.add("--");
        all.addAll(command);
        return prefix.isEmpty() ? command : all;
    }

    /**
     * The API reader's command: this JVM's flags, the launcher's properties, and a class path nobody can
     * read (the launcher's jar and these test classes; the local repository under /root is not readable).
     */
    private static List<String> apiCommand(final Path dir, final String... more) {
        final Path target = Cli.launcher().getParent().resolve("tools/target");
        final List<String> cmd = new ArrayList<>();
        cmd.add(ProcessHandle.current().info().command().orElse("java"));
        cmd.addAll(JvmFlags.required());
        cmd.add("@" + target.resolve("memoir.args"));
        cmd.add("-cp");
        cmd.add(target.resolve("memoir.jar") + ":" + target.resolve("test-classes"));
        cmd.add(ApiReader.class.getName());
        cmd.add(dir.toString());
        cmd.addAll(List.of(more));
        return cmd;
    }

    private static boolean isRoot() throws Exception {
        final Process p = new ProcessBuilder("id", "-u").start();
        return new String(p.getInputStream().readAllBytes()).trim().equals("0") && p.waitFor() == 0;
    }

    private static boolean onPath(final String program) {
        return Stream.of(System.getenv("PATH").split(":")).anyMatch(d -> Files.isExecutable(Path.of(d, program)));
    }
}
