package io.memoir.bench;

import io.memoir.store.Store;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.ConnectException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Sharing a ~1 KiB JSON-like config, one put by a master plus one get by a follower, side by side
 * (the master changes the config's {@code version} field before each put, in Python too):
 * Memoir (objects, and JSON text), the seed articles' jsonmmap in Python (json over mmap), and Redis
 * SET/GET over loopback (if a server answers on the given port; {@code bench/config-share.sh} installs
 * and starts one). Prints the median of 5 rounds (each approach first runs for 3 s, as JMH warms up),
 * ns per put+get pair, and the ratios.
 *
 * <pre>mvn -q -pl bench exec:exec -Dbench.main=io.memoir.bench.ConfigShare -Dbench.args="6390"</pre>
 */
public final class ConfigShare {
    private static final int ROUNDS = 5;
    /** Each approach runs this long before it is measured (and at least once). */
    private static final long WARM_UP_NANOS = TimeUnit.SECONDS.toNanos(3);
    private static final String TAG = "config";

    private ConfigShare() {
    }

    public static void main(final String[] args) throws Exception {
        final int redisPort = args.length > 0 ? Integer.parseInt(args[0]) : 6390;
        final int iterations = args.length > 1 ? Integer.parseInt(args[1]) : 100_000;
        final Map<String, Object> config = config();
        final Path dir = Files.createTempDirectory("memoir-config-");
        try (Store store = Store.open(dir)) {
            store.put(TAG, config);
            final String json = store.getJson(TAG);
            System.out.printf("sharing a config of %d bytes as JSON (%d bytes in Memoir's binary form), %,d put+get"
                + " pairs per round, median of %d rounds%n", json.length(), store.region(TAG).length(), iterations,
                ROUNDS);
            final List<String[]> rows = new ArrayList<>();
            final double objects = median(() -> {
                for (int i = 0; i < iterations; i++) {
                    config.put("version", (long) i); // a master publishes a change each time
                    store.put(TAG, config);
                    store.get(TAG, Map.class);
                }
            }, iterations);
            rows.add(row("Memoir put(map) + get(Map.class)", objects));
            final TypedConfig typed = TypedConfig.sample();
            final double typedObjects = median(() -> {
                for (int i = 0; i < iterations; i++) {
                    typed.version = i;
                    store.put("typed", typed);
                    store.get("typed", TypedConfig.class);
                }
            }, iterations);
            rows.add(row("Memoir put(typed) + get(TypedConfig)", typedObjects));
            final double text = median(() -> {
                for (int i = 0; i < iterations; i++) {
                    store.putJson(TAG, json);
                    store.getJson(TAG);
                }
            }, iterations);
            rows.add(row("Memoir putJson + getJson (text)", text));
            final double python = python(json, iterations);
            rows.add(python > 0 ? row("Python jsonmmap (json over mmap)", python)
                : new String[] {"Python jsonmmap", "skipped: python3 not found"});
            final double redis = redis(redisPort, json, iterations / 4);
            rows.add(redis > 0 ? row("Redis SET + GET, loopback (text)", redis)
                : new String[] {"Redis", "skipped: no server on 127.0.0.1:" + redisPort + " (run bench/config-share.sh)"});
            System.out.printf("%-36s %12s %14s%n", "approach", "ns/op", "x Memoir obj");
            for (String[] r : rows) {
                System.out.printf("%-36s %12s %14s%n", r[0], r[1], r.length > 2 ? ratio(r[2], objects) : "");
            }
        } finally {
            WatchLatency.deleteTree(dir);
        }
    }

    private static String[] row(final String name, final double nanos) {
        return new String[] {name, String.format("%,.0f", nanos), Double.toString(nanos)};
    }

    private static String ratio(final String nanos, final double base) {
        return String.format("%.1f", Double.parseDouble(nanos) / base);
    }

    /** About 1 KiB of JSON: the kind of config the seed's master shares. */
    public static Map<String, Object> config() {
        final Map<String, Object> c = new LinkedHashMap<>();
        c.put("service", "billing-gateway");
        c.put("version", 42L);
        c.put("enabled", true);
        c.put("ratio", 0.75);
        final List<Object> hosts = new ArrayList<>();
        for (int i = 0; i < 8; i++) {
            final Map<String, Object> h = new LinkedHashMap<>();
            h.put("host", "node-" + i + ".example.internal");
            h.put("port", 8000L + i);
            h.put("weight", 1.0 / (i + 1));
            h.put("tags", List.of("zone-" + (i % 3), "rack-" + i));
            hosts.add(h);
        }
        c.put("hosts", hosts);
        c.put("limits", Map.of("rps", 5000L, "burst", 200L, "timeoutMs", 250L));
        c.put("owner", "platform-team@example.internal");
        return c;
    }

    private interface Body {
        void run() throws Exception;
    }

    private static double median(final Body body, final int iterations) throws Exception {
        final long warmUntil = System.nanoTime() + WARM_UP_NANOS; // until the JIT and the GC have settled
        do {
            body.run();
        } while (System.nanoTime() < warmUntil);
        final double[] rounds = new double[ROUNDS];
        for (int r = 0; r < ROUNDS; r++) {
            final long t0 = System.nanoTime();
            body.run();
            rounds[r] = (System.nanoTime() - t0) / (double) iterations;
        }
        Arrays.sort(rounds);
        return rounds[ROUNDS / 2];
    }

    private static double python(final String json, final int iterations) throws Exception {
        final Path script = Path.of("src/main/python/jsonmmap_bench.py").toAbsolutePath();
        final Path input = Files.createTempFile("memoir-config-", ".json");
        try {
            Files.writeString(input, json);
            final double[] rounds = new double[ROUNDS];
            for (int r = 0; r < ROUNDS; r++) {
                final Process p;
                try {
                    p = new ProcessBuilder("python3", script.toString(), input.toString(), Integer.toString(iterations))
                        .redirectErrorStream(true).start();
                } catch (IOException e) {
                    return -1;
                }
                final String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
                if (!p.waitFor(10, TimeUnit.MINUTES) || p.exitValue() != 0 || !out.startsWith("ns_per_op ")) {
                    throw new IllegalStateException("python benchmark failed: " + out);
                }
                rounds[r] = Double.parseDouble(out.substring("ns_per_op ".length()));
            }
            Arrays.sort(rounds);
            return rounds[ROUNDS / 2];
        } finally {
            Files.deleteIfExists(input);
        }
    }

    private static double redis(final int port, final String json, final int iterations) throws Exception {
        final byte[] value = json.getBytes(StandardCharsets.UTF_8);
        try (Resp master = Resp.connect(port); Resp follower = Resp.connect(port)) {
            return median(() -> {
                for (int i = 0; i < iterations; i++) {
                    master.call("SET", TAG.getBytes(StandardCharsets.UTF_8), value);
                    follower.call("GET", TAG.getBytes(StandardCharsets.UTF_8));
                }
            }, iterations);
        } catch (ConnectException e) {
            return -1;
        }
    }

    /** A minimal Redis (RESP2) client: one command at a time, replies read whole. */
    private static final class Resp implements AutoCloseable {
        private final Socket socket;
        private final OutputStream out;
        private final InputStream in;
        private final ByteArrayOutputStream buf = new ByteArrayOutputStream(2048);

        private Resp(final Socket socket) throws IOException {
            this.socket = socket;
            this.out = socket.getOutputStream();
            this.in = new java.io.BufferedInputStream(socket.getInputStream(), 8192);
        }

        static Resp connect(final int port) throws IOException {
            final Socket s = new Socket();
            s.setTcpNoDelay(true);
            s.connect(new InetSocketAddress("127.0.0.1", port), 1000);
            return new Resp(s);
        }

        byte[] call(final String command, final byte[]... args) throws IOException {
            buf.reset();
            buf.writeBytes(("*" + (args.length + 1) + "\r\n$" + command.length() + "\r\n" + command + "\r\n")
                .getBytes(StandardCharsets.US_ASCII));
            for (byte[] a : args) {
                buf.writeBytes(("$" + a.length + "\r\n").getBytes(StandardCharsets.US_ASCII));
                buf.writeBytes(a);
                buf.writeBytes(new byte[] {'\r', '\n'});
            }
            buf.writeTo(out);
            out.flush();
            return reply();
        }

        private byte[] reply() throws IOException {
            final int type = in.read();
            final String line = line();
            switch (type) {
                case '+':
                case ':':
                    return line.getBytes(StandardCharsets.US_ASCII);
                case '$':
                    final int n = Integer.parseInt(line);
                    if (n < 0) {
                        return null;
                    }
                    final byte[] data = in.readNBytes(n + 2);
                    return Arrays.copyOf(data, n);
                default:
                    throw new IOException("redis error or unexpected reply: " + (char) type + line);
            }
        }

        private String line() throws IOException {
            final StringBuilder sb = new StringBuilder();
            for (int c = in.read(); c != '\r'; c = in.read()) {
                if (c < 0) {
                    throw new IOException("redis closed the connection");
                }
                sb.append((char) c);
            }
            in.read();
            return sb.toString();
        }

        @Override
        public void close() throws IOException {
            socket.close();
        }
    }
}
