package io.memoir.tools;

import io.memoir.store.Capacity;
import io.memoir.store.RegionInfo;
import io.memoir.store.Store;
import java.io.IOException;
import java.io.PrintWriter;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code memoir soak}: writer and reader JVMs hammer a store for a while; then every read must have
 * been valid, every acknowledged write must be in the journal and the store must verify. Exit 0 only
 * then. See {@link SoakValues} for the values, {@link SoakWriterCommand}, {@link SoakReaderCommand}
 * and {@link SoakCheck} for the rest.
 */
@Command(name = "soak", mixinStandardHelpOptions = true, versionProvider = Version.class,
    description = {"Soak test a store: writer JVMs change it while reader JVMs validate every read.",
        "Writers make in-place writes, puts of new lengths, compare-and-sets, resizes and deletes of "
        + "self-checking values (each 64-byte frame carries its writer, sequence, length and CRC), and "
        + "updates and compare-and-sets of counters, and record every change that returned. Readers "
        + "(watch the journal, await versions, poll) check every read: no torn or invalid value, no "
        + "version going back. At the end: counts, a verify of the store against the journal, and a "
        + "check that every acknowledged change is in the journal. Exit 0 only if nothing was torn, "
        + "lost or wrong. Uses only tags named soak.*; refuses a store with other tags."})
public final class SoakCommand implements Callable<Integer> {
    private static final Duration START = Duration.ofSeconds(60);
    private static final Duration STOP = Duration.ofSeconds(120);
    private static final long PROGRESS_NANOS = TimeUnit.SECONDS.toNanos(5);
    private static final int MAX_ECHO = 40;

    @Mixin
    StoreOptions store;

    @Spec
    CommandSpec spec;

    @Option(names = "--writers", defaultValue = "2", paramLabel = "N", description = "Writer JVMs, 1..32 (default ${DEFAULT-VALUE}).")
    int writers;

    @Option(names = "--readers", defaultValue = "2", paramLabel = "M",
        description = "Reader JVMs, 0..32 (default ${DEFAULT-VALUE}); they take turns at watch, await, poll.")
    int readers;

    @Option(names = "--seconds", defaultValue = "60", paramLabel = "S", description = "How long to write, 1..86400 (default ${DEFAULT-VALUE}).")
    int seconds;

    @Option(names = "--tags", defaultValue = "8", paramLabel = "K",
        description = "Tags, 2..256 (default ${DEFAULT-VALUE}): a quarter are counters, the rest bytes.")
    int tags;

    @Option(names = "--sizes", split = ",", defaultValue = "64,256,1K,4K", paramLabel = "SIZE",
        converter = Converters.SizeConverter.class,
        description = "Region lengths that puts and resizes choose from, multiples of 64 (default ${DEFAULT-VALUE}).")
    List<Integer> sizes;

    @Option(names = "--kill-every", defaultValue = "0", paramLabel = "SECONDS",
        description = "kill -9 a random writer this often and start a new one (default 0: never).")
    int killEvery;

    private final Map<String, Long> counts = new ConcurrentHashMap<>();
    private final List<String> problems = Collections.synchronizedList(new ArrayList<>());
    // Copy-on-write: the shutdown hook (Ctrl-C) walks them while the soak may change them.
    private final List<SoakChild> allWriters = new CopyOnWriteArrayList<>();
    private final List<SoakChild> liveWriters = new CopyOnWriteArrayList<>();
    private final List<SoakChild> liveReaders = new CopyOnWriteArrayList<>();
    private PrintWriter out;
    private Path work;
    private Path dir;
    private int nextId = 1;
    private int echoed;

    @Override
    public Integer call() throws IOException, InterruptedException {
        checkArguments();
        out = spec.commandLine().getOut();
        dir = store.dir();
        prepareStore();
        work = Files.createTempDirectory("memoir-soak-");
        final Thread cleanup = new Thread(this::killAll, "memoir-soak-cleanup");
        Runtime.getRuntime().addShutdownHook(cleanup);
        final long start = System.nanoTime();
        try {
            out.printf("memoir soak: store=%s writers=%d readers=%d (%s) seconds=%d tags=%d sizes=%s kill-every=%s%n",
                dir, writers, readers, readerKinds(), seconds, tags,
                sizes.stream().map(String::valueOf).collect(Collectors.joining(",")),
                killEvery > 0 ? killEvery + "s" : "off");
            out.flush();
            startChildren();
            final long writing = System.nanoTime();
            runFor(writing + TimeUnit.SECONDS.toNanos(seconds));
            final double writeSeconds = (System.nanoTime() - writing) / 1e9;
            stopChildren();
            final SoakCheck check = SoakCheck.run(dir, store.lockTimeout,
                allWriters.stream().map(c -> c.acks).toList());
            return report(check, writeSeconds, (System.nanoTime() - start) / 1e9);
        } finally {
            killAll();
            Runtime.getRuntime().removeShutdownHook(cleanup);
        }
    }

    private void checkArguments() {
        if (writers < 1 || writers > 32 || readers < 0 || readers > 32 || seconds < 1 || seconds > 86_400
            || tags < 2 || tags > 256 || killEvery < 0 || killEvery > 86_400) {
            throw new UsageException("out of range: --writers 1..32, --readers 0..32, --seconds 1..86400, --tags "
                + "2..256, --kill-every 0..86400; given writers=" + writers + ", readers=" + readers + ", seconds="
                + seconds + ", tags=" + tags + ", kill-every=" + killEvery);
        }
        for (int size : sizes) {
            if (size % SoakValues.FRAME != 0) {
                throw new UsageException("--sizes must be multiples of " + SoakValues.FRAME
                    + " (the soak writes 64-byte frames): size=" + size);
            }
        }
    }

    /** Creates the store if needed; refuses one with other tags, or too small for the sizes. */
    private void prepareStore() {
        final String[] files = dir.toFile().list();
        final boolean exists = files != null && files.length > 0;
        if (!exists) {
            checkCapacity(Capacity.DEFAULT); // before creating anything
        }
        try (Store s = exists ? store.openReadOnly() : store.openOrCreate()) {
            final List<String> foreign = s.list().stream().map(RegionInfo::tag)
                .filter(t -> !t.startsWith(SoakValues.PREFIX)).limit(3).toList();
            if (!foreign.isEmpty()) {
                throw new UsageException("store=" + dir + " has tags the soak does not own, e.g. " + foreign
                    + ": the soak writes and deletes regions, give a new or empty directory");
            }
            checkCapacity(s.capacity());
        }
    }

    private void checkCapacity(final Capacity capacity) {
        final int largest = Collections.max(sizes);
        if (largest > capacity.maxRegionSize()) {
            throw new UsageException("--sizes: size=" + largest + " is larger than maxRegionSize="
                + capacity.maxRegionSize() + " of store=" + dir + " (memoir grow --max-region-size N)");
        }
        if (tags > capacity.maxRegions()) {
            throw new UsageException("--tags=" + tags + " is more than maxRegions=" + capacity.maxRegions()
                + " of store=" + dir + " (memoir grow --max-regions N)");
        }
    }

    private String readerKinds() {
        final List<String> kinds = new ArrayList<>();
        for (int i = 0; i < readers; i++) {
            kinds.add(SoakReaderCommand.KINDS.get(i % SoakReaderCommand.KINDS.size()));
        }
        return kinds.isEmpty() ? "none" : String.join(", ", kinds);
    }

    private List<String> childArgs(final String command) {
        return new ArrayList<>(List.of(command, "--store=" + dir, "--tags=" + tags,
            "--lock-timeout=" + store.lockTimeout.toMillis() + "ms", "--stop=" + work.resolve("stop"),
            "--until=" + (System.currentTimeMillis() + TimeUnit.SECONDS.toMillis(seconds) + 600_000),
            "--parent=" + ProcessHandle.current().pid()));
    }

    /** Readers first (a watch reader then sees every entry), then writers; each must say it runs. */
    private void startChildren() throws InterruptedException {
        for (int i = 0; i < readers; i++) {
            final String kind = SoakReaderCommand.KINDS.get(i % SoakReaderCommand.KINDS.size());
            final List<String> args = childArgs("soak-reader");
            args.add("--kind=" + kind);
            liveReaders.add(new SoakChild("reader-" + (i + 1) + "-" + kind, args, null, this::problem, this::note));
        }
        awaitReady(liveReaders);
        for (int i = 0; i < writers; i++) {
            liveWriters.add(startWriter());
        }
        awaitReady(liveWriters);
    }

    private void awaitReady(final List<SoakChild> children) throws InterruptedException {
        for (SoakChild c : children) {
            if (!c.awaitReady(START)) {
                throw new IllegalStateException(c.name + " did not start within " + START.toSeconds() + " s (pid="
                    + c.process.pid() + ", alive=" + c.process.isAlive() + "); nothing was checked");
            }
        }
    }

    private SoakChild startWriter() {
        final int id = nextId++;
        final Path acks = work.resolve("acks-" + id + ".txt");
        final List<String> args = childArgs("soak-writer");
        args.add("--id=" + id);
        args.add("--acks=" + acks);
        args.add("--sizes=" + sizes.stream().map(String::valueOf).collect(Collectors.joining(",")));
        final SoakChild c = new SoakChild("writer-" + id, args, acks, this::problem, this::note);
        allWriters.add(c);
        return c;
    }

    /** Until the deadline: kills a writer now and then, checks that writers make progress and nobody died. */
    private void runFor(final long deadline) throws InterruptedException {
        long nextKill = killEvery > 0 ? System.nanoTime() + TimeUnit.SECONDS.toNanos(killEvery) : Long.MAX_VALUE;
        long nextProgress = System.nanoTime() + PROGRESS_NANOS;
        Map<SoakChild, Long> progress = ackSizes();
        while (System.nanoTime() - deadline < 0) {
            Thread.sleep(50); // pacing the supervision loop
            checkAlive(liveWriters, "writer");
            checkAlive(liveReaders, "reader");
            if (System.nanoTime() - nextProgress >= 0) {
                checkProgress(progress);
                progress = ackSizes();
                nextProgress += PROGRESS_NANOS;
            }
            if (System.nanoTime() - nextKill >= 0 && System.nanoTime() - deadline < 0 && !liveWriters.isEmpty()) {
                final SoakChild victim = liveWriters.get(ThreadLocalRandom.current().nextInt(liveWriters.size()));
                victim.kill();
                liveWriters.remove(victim);
                progress.remove(victim);
                counts.merge("kills", 1L, Long::sum);
                liveWriters.add(startWriter());
                nextKill += TimeUnit.SECONDS.toNanos(killEvery);
            }
        }
    }

    private Map<SoakChild, Long> ackSizes() {
        final Map<SoakChild, Long> sizesNow = new HashMap<>();
        for (SoakChild c : liveWriters) {
            if (c.isReady()) {
                sizesNow.put(c, c.acks.toFile().length());
            }
        }
        return sizesNow;
    }

    private void checkProgress(final Map<SoakChild, Long> before) {
        before.forEach((c, size) -> {
            if (liveWriters.contains(c) && c.process.isAlive() && c.acks.toFile().length() <= size) {
                counts.merge("stalls", 1L, Long::sum);
                problem(c.name + " acknowledged no change in " + TimeUnit.NANOSECONDS.toSeconds(PROGRESS_NANOS)
                    + " s (pid=" + c.process.pid() + "): stuck on a lock?");
            }
        });
    }

    private void checkAlive(final List<SoakChild> children, final String what) {
        for (SoakChild c : List.copyOf(children)) {
            if (!c.process.isAlive()) {
                children.remove(c);
                counts.merge("errors", 1L, Long::sum);
                problem(c.name + " ended early, exit=" + c.process.exitValue() + " (pid=" + c.process.pid() + "): the "
                    + what + " failed");
            }
        }
    }

    /** Writers first, then readers (a watch reader reads the journal to its end before it stops). */
    private void stopChildren() throws IOException, InterruptedException {
        Files.createFile(work.resolve("stop"));
        for (List<SoakChild> children : List.of(liveWriters, liveReaders)) {
            for (SoakChild c : children) {
                if (!c.finish(STOP)) {
                    counts.merge("errors", 1L, Long::sum);
                    problem(c.name + " did not stop within " + STOP.toSeconds() + " s (pid=" + c.process.pid()
                        + "): killed");
                    c.kill();
                } else if (!c.hasSummary()) {
                    counts.merge("errors", 1L, Long::sum);
                    problem(c.name + " ended without its counts, exit=" + c.process.exitValue());
                }
                c.counts().forEach((k, v) -> counts.merge((children == liveReaders ? "" : "w.") + k, v, Long::sum));
            }
        }
        for (SoakChild c : liveReaders) {
            // A reader's name ends with its kind.
            counts.merge("reads." + c.name.substring(c.name.lastIndexOf('-') + 1), c.counts().getOrDefault("reads", 0L),
                Long::sum);
        }
    }

    private int report(final SoakCheck check, final double writeSeconds, final double totalSeconds) {
        final long writes = check.ackedTotal();
        final long reads = count("reads");
        final long torn = count("torn") + check.finalTorn;
        final long errors = count("errors") + count("w.errors");
        final long regressions = count("regressions");
        final long gaps = count("gaps") + check.gaps;
        final boolean verified = check.verify.ok();
        out.printf("writes acknowledged: %,d in %.1f s (%,.0f/s): %s%n", writes, writeSeconds, writes / writeSeconds,
            check.acked.entrySet().stream().map(e -> e.getKey() + "=" + e.getValue()).collect(Collectors.joining(" ")));
        out.printf("lost races (nothing changed), by writers not killed: cas conflicts=%,d, tag deleted or shrunk "
            + "meanwhile=%,d%n", count("w.conflicts"), count("w.races"));
        out.printf("reads validated: %,d (watch=%,d await=%,d poll=%,d); journal entries followed by watch readers=%,d%n",
            reads, count("reads.watch"), count("reads.await"), count("reads.poll"), count("entries"));
        out.printf("writers killed: %d; repairs by the survivors: %d, at the final open: %d; acknowledgement lines "
            + "cut short by a kill: %d%n", count("kills"), count("live repairs"), check.repairs.size(), check.unreadableAcks);
        out.printf("journal: %,d soak entries %s, all checked; versions contiguous: %s%n", check.entries,
            check.journalOps, check.gaps == 0 ? "yes" : "NO");
        out.print("verify: ");
        VerifyCommand.print(out, check.verify);
        problems.addAll(check.problems);
        final long bad = torn + check.lost + check.badEntries + regressions + gaps + count("stalls") + errors
            + (verified ? 0 : 1);
        out.printf("result: writes=%d reads=%d torn=%d lost=%d regressions=%d gaps=%d bad-entries=%d stalls=%d "
                + "errors=%d verify=%s%n", writes, reads, torn, check.lost, regressions, gaps, check.badEntries,
            count("stalls"), errors, verified ? "ok" : "DIFFERENT");
        final double load = ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage();
        out.printf("soak %s in %.0f s (load average %.1f)%n", bad == 0 ? "passed" : "FAILED", totalSeconds, load);
        out.flush();
        if (bad != 0) {
            throw new IllegalStateException("FAILED: torn=" + torn + ", lost=" + check.lost + ", regressions="
                + regressions + ", gaps=" + gaps + ", bad-entries=" + check.badEntries + ", stalls=" + count("stalls")
                + ", errors=" + errors + ", verify=" + (verified ? "ok" : "DIFFERENT") + "; first problem: "
                + (problems.isEmpty() ? "see above" : problems.get(0)) + " (acknowledgements kept in dir=" + work + ")");
        }
        Dirs.deleteRecursively(work);
        return ExitCodes.OK;
    }

    private long count(final String name) {
        return counts.getOrDefault(name, 0L);
    }

    private void problem(final String what) {
        if (problems.size() < MAX_ECHO) {
            problems.add(what);
        }
        echo(what);
    }

    /** Other output of a child: shown, and a repair it made counted. */
    private void note(final String line) {
        if (line.contains("Repaired store=")) {
            counts.merge("live repairs", 1L, Long::sum);
        }
        echo(line);
    }

    private synchronized void echo(final String line) {
        if (echoed++ < MAX_ECHO) {
            out.println(line);
        } else if (echoed == MAX_ECHO + 1) {
            out.println("... (more problems not shown)");
        }
        out.flush();
    }

    private void killAll() {
        for (List<SoakChild> children : List.of(allWriters, liveReaders)) {
            for (SoakChild c : children) {
                c.process.destroyForcibly();
            }
        }
    }
}
