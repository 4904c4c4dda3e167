package io.memoir.examples;

import static io.memoir.examples.ExampleSupport.arg;
import static io.memoir.examples.ExampleSupport.intArg;

import io.memoir.store.MemoirException;
import io.memoir.store.Store;
import io.memoir.store.Versioned;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import net.openhft.chronicle.wire.SelfDescribingMarshallable;

/**
 * Shared configuration: a master process owns a configuration object and changes it; the follower
 * processes it manages read it and can never change it, because they open the store read-only.
 *
 * <p>Ports the application the seeds describe for {@code jsonmmap}, seed {@code 003_57dc8cce05bfd7c7.txt}
 * section "5.应用场景" (also seed {@code 001_fdac01724508108e.txt} section 5): "a master and several
 * followers; the master manages the followers; they share one serialisable object, for example a
 * configuration; only the master may modify it, the followers only read it". The seed gives no code
 * for it beyond {@code ObjectMmap}, where "read-only" is only {@code ACCESS_READ} on the follower's map.
 * Here:
 * <ul>
 *   <li>the configuration is a typed object ({@link AppConfig}, a Chronicle Wire marshallable), stored
 *       with {@link Store#put} and read whole, never torn, with {@link Store#getVersioned};</li>
 *   <li>the master starts the followers as child JVMs ("manages" them) and waits for them;</li>
 *   <li>each follower opens the store with {@code Store.builder().readOnly(true)}, tries once to write
 *       the configuration to show that it cannot, then waits for each change with
 *       {@link Store#await} (no polling loop) until it has seen the master's last version.</li>
 * </ul>
 *
 * <p>Run (the store defaults to a new temporary directory):
 * <pre>
 * mvn -q -pl examples exec:exec -Dexample=SharedConfigMasterFollowers [-Dexample.args="STORE [FOLLOWERS [CHANGES [INTERVAL_MS]]]"]
 * </pre>
 * Defaults: 2 followers, 3 changes 300 ms apart. The followers' lines appear among the master's.
 */
public final class SharedConfigMasterFollowers {
    /** The configuration's tag. */
    static final String TAG = "config";
    private static final Duration FOLLOWER_TIMEOUT = Duration.ofSeconds(60);

    private SharedConfigMasterFollowers() {
    }

    /** The shared configuration. */
    public static final class AppConfig extends SelfDescribingMarshallable {
        String logLevel = "INFO";
        int maxConnections = 10;
        List<String> servers = new ArrayList<>(List.of("alpha"));

        /** A default configuration (Wire also needs it to read one). */
        public AppConfig() {
        }

        /** The next configuration the master publishes, for change {@code k}. */
        AppConfig next(final int k) {
            final AppConfig c = new AppConfig();
            c.logLevel = k % 2 == 1 ? "DEBUG" : "INFO";
            c.maxConnections = maxConnections * 2;
            c.servers = new ArrayList<>(servers);
            c.servers.add("server-" + k);
            return c;
        }

        /**
         * One line for printing.
         *
         * @return the fields as {@code name=value}
         */
        String line() {
            return "logLevel=" + logLevel + " maxConnections=" + maxConnections + " servers=" + servers;
        }
    }

    /**
     * The master.
     *
     * @param args optional: store directory ("-": a new temporary one), followers, changes, interval (ms)
     * @throws Exception on I/O failure or interruption
     */
    public static void main(final String[] args) throws Exception {
        final Path dir = args.length > 0 && !"-".equals(args[0]) ? Path.of(args[0])
            : Files.createTempDirectory("memoir-config");
        final int followers = intArg(args, 1, 2);
        final int changes = intArg(args, 2, 3);
        final int intervalMs = intArg(args, 3, 300);
        try (Store store = Store.open(dir)) {
            AppConfig config = new AppConfig();
            long version = store.put(TAG, config);
            System.out.println("master: config v" + version + ": " + config.line());
            final long last = version + changes;                   // the master is the only writer

            final CountDownLatch ready = new CountDownLatch(followers);
            final List<Process> children = new ArrayList<>();
            final List<Thread> relays = new ArrayList<>();
            for (int id = 1; id <= followers; id++) {
                final Process p = ExampleSupport.startJvm(Follower.class, false,
                    store.directory().toString(), Integer.toString(id), Long.toString(last));
                children.add(p);
                relays.add(relay(p, ready));
            }
            if (!ready.await(FOLLOWER_TIMEOUT.toSeconds(), TimeUnit.SECONDS)) {
                children.forEach(Process::destroy);
                throw new IllegalStateException("followers not ready within " + FOLLOWER_TIMEOUT);
            }
            for (int k = 1; k <= changes; k++) {
                Thread.sleep(intervalMs);
                config = config.next(k);
                version = store.put(TAG, config);
                System.out.println("master: config v" + version + ": " + config.line());
            }
            int failed = 0;
            for (int i = 0; i < children.size(); i++) {
                failed += children.get(i).waitFor() == 0 ? 0 : 1;
                relays.get(i).join();
            }
            System.out.println("master: " + (followers - failed) + " of " + followers + " followers saw v" + last);
            if (failed > 0) {
                System.exit(1);
            }
        }
    }

    /** Prints a follower's lines as they come, and counts it ready once it says so. */
    private static Thread relay(final Process p, final CountDownLatch ready) {
        final Thread t = new Thread(() -> {
            try (BufferedReader r = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
                for (String line = r.readLine(); line != null; line = r.readLine()) {
                    System.out.println(line);
                    if (line.contains(": ready")) {
                        ready.countDown();
                    }
                }
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }, "follower-output");
        t.start();
        return t;
    }

    /** A follower: a separate JVM with read-only access to the configuration. */
    public static final class Follower {
        private Follower() {
        }

        /**
         * Runs a follower.
         *
         * @param args store directory, follower id, the version to follow up to
         */
        public static void main(final String[] args) {
            final String me = "follower " + args[1];
            final long until = Long.parseLong(args[2]);
            try (Store store = Store.builder().readOnly(true).open(Path.of(args[0]))) {
                Versioned<AppConfig> c = store.getVersioned(TAG, AppConfig.class);
                System.out.println(me + ": ready, config v" + c.version() + ": " + c.value().line());
                try {
                    store.put(TAG, new AppConfig());
                    System.out.println(me + ": ERROR: a read-only follower changed the config");
                    System.exit(1);
                } catch (MemoirException.ReadOnlyStoreException e) {
                    System.out.println(me + ": cannot change the config (" + e.getClass().getSimpleName() + ")");
                }
                while (c.version() < until) {
                    if (store.await(TAG, c.version(), FOLLOWER_TIMEOUT) <= c.version()) {
                        System.out.println(me + ": no change within " + FOLLOWER_TIMEOUT + ", giving up");
                        System.exit(1);
                    }
                    c = store.getVersioned(TAG, AppConfig.class);
                    System.out.println(me + ": config v" + c.version() + ": " + c.value().line());
                }
            }
        }
    }
}
