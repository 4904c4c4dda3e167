package io.memoir.tools;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.memoir.store.JournalEntry;
import io.memoir.store.Region;
import io.memoir.store.Store;
import io.memoir.store.Subscription;
import io.memoir.store.Watch;
import io.memoir.store.Watcher;
import io.memoir.store.testing.ChildJvm;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * DESIGN.md §6: Memoir makes no network connection. Each scenario runs in its own JVM under
 * {@code strace -f -e trace=network}, which records every socket system call of every thread (the
 * kernel's view: no Java-level guard a library could bypass, and no Chronicle mock); the test fails
 * on any call that gives an internet address ({@code AF_INET}, {@code AF_INET6}: connect, bind, sendto,
 * sendmsg) and on any listen or accept. That covers Chronicle's analytics (an HTTP request), its
 * announcer and any DNS look-up of the host name (a UDP send). Allowed: Unix-domain sockets (the C
 * library asks nscd for the user's name) and {@code socket(AF_INET...)} alone, which the JDK's
 * {@code sun.nio.ch.Net} makes at class initialisation to probe for IPv6 and SO_REUSEPORT and closes
 * without connecting: such a socket can reach nothing without one of the calls above.
 *
 * <p>The scenarios: the store API in a child JVM (open, region write, await, watch, subscribe, objects
 * put/get, putJson, verify), and the built {@code memoir} launcher's commands, read and write. A control
 * run of the same child that connects to the loopback address on purpose must be caught, so the test
 * cannot pass because strace saw nothing. Skipped, with the reason, where strace is missing or may not
 * trace (no ptrace permission).
 */
@Timeout(600)
class NoNetworkIT {
    private static final Pattern INTERNET = Pattern.compile("AF_INET6?\\b");
    /** An strace line: optional pid, then the call's name. */
    private static final Pattern CALL = Pattern.compile("^(?:\\d+\\s+)?(\\w+)\\(");

    /** Whether an strace line is a network use: an internet address given, or a listen/accept. */
    static boolean networkUse(final String line) {
        final Matcher m = CALL.matcher(line);
        if (!m.find()) {
            return false;
        }
        final String call = m.group(1);
        if (call.equals("listen") || call.startsWith("accept")) {
            return true;
        }
        return !call.equals("socket") && INTERNET.matcher(line).find();
    }

    @TempDir
    static Path tmp;
    static Path strace;

    @BeforeAll
    static void straceWorks() throws IOException, InterruptedException {
        strace = List.of("/usr/bin/strace", "/bin/strace", "/usr/local/bin/strace").stream().map(Path::of)
            .filter(Files::isExecutable).findFirst().orElse(null);
        assumeTrue(strace != null, "strace is not installed: cannot observe system calls (apt-get install strace)");
        final Process p = new ProcessBuilder(strace.toString(), "-f", "-o", "/dev/null", "true")
            .redirectErrorStream(true).start();
        final String out = new String(p.getInputStream().readAllBytes(), UTF_8);
        assumeTrue(p.waitFor() == 0, "strace cannot trace here (ptrace not permitted?): " + out.strip());
    }

    /** The child of the store scenario: every API that could plausibly touch the network. */
    public static final class StoreScenario {
        private StoreScenario() {
        }

        /**
         * Runs the scenario.
         *
         * @param args the store directory, then optionally {@code connect} for the control run
         * @throws Exception on any failure (the child then exits non-zero)
         */
        public static void main(final String[] args) throws Exception {
            if (args.length > 1 && args[1].equals("connect")) {
                try (Socket s = new Socket()) {
                    s.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), 9), 2_000);
                } catch (IOException refused) {
                    // the attempt is what strace must see
                }
            }
            try (Store store = Store.open(Path.of(args[0]))) {
                final Region r = store.region("counter", 16);
                final long v = r.write(0, "one".getBytes(UTF_8));
                final CountDownLatch delivered = new CountDownLatch(1);
                try (Watcher watcher = store.watch(Watch.all());
                     Subscription sub = store.subscribe(Watch.all(), e -> delivered.countDown())) {
                    final Thread writer = new Thread(() -> r.write(0, "two".getBytes(UTF_8)));
                    writer.start();
                    if (store.await("counter", v, Duration.ofSeconds(60)) <= v) {
                        throw new AssertionError("await saw no change: " + sub);
                    }
                    writer.join();
                    final JournalEntry first = watcher.next(Duration.ofSeconds(60));
                    if (first == null || !delivered.await(60, TimeUnit.SECONDS)) {
                        throw new AssertionError("watch or subscribe saw nothing");
                    }
                }
                store.put("obj", Map.of("a", 1));
                store.get("obj", Map.class);
                store.putJson("cfg", "{\"x\":1}");
                store.getJson("cfg");
                if (!store.verify().ok()) {
                    throw new AssertionError(store.verify().toString());
                }
            }
            System.out.println("scenario done");
        }
    }

    /** Runs {@code command} under strace; returns its network uses after checking it exited 0. */
    private static List<String> internetCalls(final String name, final List<String> command) throws IOException {
        final Path log = Files.createTempFile(tmp, name.replaceAll("\\W", "_"), ".strace");
        final List<String> cmd = new ArrayList<>(List.of(strace.toString(), "-f", "-qq", "-e", "trace=network",
            "-o", log.toString()));
        cmd.addAll(command);
        try (ChildJvm child = ChildJvm.exec(name, cmd)) {
            final List<String> output = child.finish(Duration.ofSeconds(300));
            assertEquals(0, child.exitCode(), () -> name + " failed: " + String.join("\n", output));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
        final List<String> lines = Files.readAllLines(log, UTF_8);
        return lines.stream().filter(NoNetworkIT::networkUse).toList();
    }

    private static List<String> java(final String... args) {
        return ChildJvm.javaCommand(StoreScenario.class, args);
    }

    @Test
    void shouldCatchAConnectionInTheControlRun() throws IOException {
        final List<String> calls = internetCalls("control", java(tmp.resolve("control").toString(), "connect"));
        assertTrue(calls.stream().anyMatch(l -> l.contains("connect(")), () -> "strace missed the control: " + calls);
    }

    @Test
    void shouldTellNetworkUseFromTheJdksProbes() {
        assertTrue(networkUse("15405 connect(6, {sa_family=AF_INET, sin_port=htons(443), sin_addr=inet_addr(\"1.2.3.4\")}, 16)"));
        assertTrue(networkUse("sendto(5, \"x\", 1, 0, {sa_family=AF_INET6, sin6_port=htons(53)}, 28) = 1"));
        assertTrue(networkUse("15 bind(6, {sa_family=AF_INET, sin_port=htons(0)}, 16) = 0"));
        assertTrue(networkUse("15 listen(6, 50) = 0"));
        assertFalse(networkUse("15405 socket(AF_INET6, SOCK_STREAM, IPPROTO_IP) = 6"));
        assertFalse(networkUse("15 connect(4, {sa_family=AF_UNIX, sun_path=\"/var/run/nscd/socket\"}, 110) = -1 ENOENT"));
    }

    @Test
    void shouldMakeNoConnectionFromTheStoreApi() throws IOException {
        final List<String> calls = internetCalls("store", java(tmp.resolve("api").toString()));
        assertEquals(List.of(), calls, "network use");
    }

    @Test
    void shouldMakeNoConnectionFromTheCli() throws IOException {
        final String store = "--store=" + tmp.resolve("cli");
        final List<List<String>> runs = List.of(
            List.of("create", store, "t", "--length=16"),
            List.of("put", store, "t", "--offset=0", "--text=abc"),
            List.of("put-json", store, "cfg", "{\"a\":1}"),
            List.of("get", store, "t"),
            List.of("ls", store),
            List.of("history", store, "t"),
            List.of("tail", store),
            List.of("verify", store),
            List.of("stats", store));
        for (List<String> args : runs) {
            final List<String> cmd = new ArrayList<>(Cli.command());
            cmd.addAll(args);
            final List<String> calls = internetCalls("memoir " + args.get(0), cmd);
            assertEquals(List.of(), calls, () -> "network use of memoir " + args);
        }
    }
}
