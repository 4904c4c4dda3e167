package io.memoir.tools;

import io.memoir.store.Store;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.stream.Stream;
import picocli.CommandLine.Option;

/**
 * The options every store command shares ({@code @Mixin}): where the store is, how long to wait for
 * a lock, and how much to say.
 */
public final class StoreOptions {
    /** Environment variable naming the default store directory. */
    public static final String STORE_ENV = "MEMOIR_STORE";
    /** The store directory when neither {@code --store} nor {@link #STORE_ENV} is given. */
    public static final String DEFAULT_STORE = "memoir-data";
    private static final String LOG_LEVEL_PROP_NAME = "org.slf4j.simpleLogger.defaultLogLevel";

    @Option(names = {"-s", "--store"}, paramLabel = "DIR",
        description = "The store directory (default: $" + STORE_ENV + ", else ./" + DEFAULT_STORE + ").")
    Path store;

    @Option(names = "--lock-timeout", paramLabel = "DURATION", defaultValue = "10s",
        converter = Converters.DurationConverter.class,
        description = "How long to wait for a lock held by a live process (e.g. 500ms, 10s; default ${DEFAULT-VALUE}).")
    Duration lockTimeout;

    boolean verbose;

    /**
     * {@code -v}: log Memoir's and Chronicle's messages at INFO, and print stack traces on errors.
     *
     * @param verbose true when given
     */
    @Option(names = {"-v", "--verbose"}, description = "Say more: log at INFO, show stack traces of errors.")
    void verbose(final boolean verbose) {
        this.verbose = verbose;
        if (verbose) {
            System.setProperty(LOG_LEVEL_PROP_NAME, "info");
        }
    }

    /**
     * The store directory: {@code --store}, else {@code $MEMOIR_STORE}, else {@code ./memoir-data}.
     *
     * @return an absolute path
     */
    Path dir() {
        if (store != null) {
            return store.toAbsolutePath().normalize();
        }
        final String env = System.getenv(STORE_ENV);
        return Path.of(env != null && !env.isBlank() ? env : DEFAULT_STORE).toAbsolutePath().normalize();
    }

    /**
     * Opens the store read-only: never creates it, never changes a file's content.
     *
     * @return the open store
     */
    Store openReadOnly() {
        return Store.builder().readOnly(true).lockTimeout(lockTimeout).open(dir());
    }

    /**
     * Opens an existing store to change it; never creates one.
     *
     * @return the open store
     */
    Store openWritable() {
        return openWritable(false);
    }

    /**
     * Opens an existing store to change it; never creates one.
     *
     * @param rebuildMap whether to rebuild the region map from the journal ({@code Store.Builder.rebuildMap})
     * @return the open store
     */
    Store openWritable(final boolean rebuildMap) {
        final Path dir = dir();
        if (!Files.exists(dir) || Files.isDirectory(dir) && isEmpty(dir)) {
            throw new IllegalStateException("no store in dir=" + dir + (Files.exists(dir) ? " (it is empty)"
                : " (it does not exist)") + "; create one with 'memoir create TAG --length N'");
        }
        // A directory with files but no descriptor is refused by the store itself, untouched.
        return Store.builder().lockTimeout(lockTimeout).rebuildMap(rebuildMap).open(dir);
    }

    private static boolean isEmpty(final Path dir) {
        try (Stream<Path> files = Files.list(dir)) {
            return files.findAny().isEmpty();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot list dir=" + dir + ": " + e.getMessage(), e);
        }
    }

    /**
     * Opens the store to change it, creating it if the directory is missing or empty.
     *
     * @return the open store
     */
    Store openOrCreate() {
        return Store.builder().lockTimeout(lockTimeout).open(dir());
    }
}
