package io.memoir.bench;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.BitSet;
import net.openhft.affinity.Affinity;

/**
 * Puts a benchmark's thread where a low-latency deployment would: the watcher alone on a CPU, the
 * writer ahead of the machine's background threads. {@code bench/watch-latency-isolated.sh} first
 * moves every other task of the machine off the watcher's CPU (what {@code isolcpus} does at boot);
 * these methods then place the two threads themselves, and check that they are where they were put.
 */
final class Placement {
    private static final Path STATUS = Path.of("/proc/thread-self/status");

    private Placement() {
    }

    /**
     * Binds the calling thread to {@code cpu} (OpenHFT Affinity, {@code sched_setaffinity}).
     *
     * @throws IllegalStateException if the thread is not bound to exactly that CPU afterwards
     */
    static void bindThisThread(final int cpu) {
        Affinity.setAffinity(cpu);
        final BitSet now = allowedCpus();
        if (now.cardinality() != 1 || !now.get(cpu)) {
            throw new IllegalStateException("could not bind the thread to cpu=" + cpu + ": it may run on " + now
                + " (Linux with JNA is needed; is cpu " + cpu + " online and in this process's cpuset?)");
        }
    }

    /**
     * Fails unless the calling thread (and so, started from it, its JVM) keeps off {@code cpu}, which
     * the watcher is to have alone.
     */
    static void checkKeepsOff(final int cpu) {
        final BitSet allowed = allowedCpus();
        if (allowed.get(cpu)) {
            throw new IllegalStateException("this JVM may run on cpu=" + cpu + ", the one the watcher is to have "
                + "alone (allowed: " + allowed + "); run it through bench/watch-latency-isolated.sh, which moves "
                + "every other task off that CPU");
        }
    }

    /**
     * Gives the calling thread the nice value {@code nice} ({@code renice} on its thread id; Linux keeps
     * a nice value per thread), so that the machine's background threads, some at nice −10, do not
     * preempt it in the middle of a write.
     *
     * @throws IllegalStateException if {@code renice} fails (it needs root or {@code CAP_SYS_NICE})
     */
    static void reniceThisThread(final int nice) {
        final int tid = Affinity.getThreadId();
        try {
            final Process p = new ProcessBuilder("renice", "-n", Integer.toString(nice), "-p", Integer.toString(tid))
                .redirectErrorStream(true).start();
            final String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
            if (p.waitFor() != 0) {
                throw new IllegalStateException("renice -n " + nice + " of thread " + tid + " failed (it needs root "
                    + "or CAP_SYS_NICE): " + out);
            }
        } catch (IOException e) {
            throw new IllegalStateException("could not run renice for thread " + tid + ": " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while renicing thread " + tid, e);
        }
    }

    /** The CPUs the calling thread may run on, from {@code Cpus_allowed_list} (e.g. "0-2,5"). */
    static BitSet allowedCpus() {
        try {
            for (String line : Files.readAllLines(STATUS)) {
                if (line.startsWith("Cpus_allowed_list:")) {
                    return parseList(line.substring(line.indexOf(':') + 1).trim());
                }
            }
        } catch (IOException e) {
            throw new IllegalStateException("cannot read " + STATUS + " (Linux only): " + e.getMessage(), e);
        }
        throw new IllegalStateException("no Cpus_allowed_list in " + STATUS);
    }

    private static BitSet parseList(final String list) {
        final BitSet cpus = new BitSet();
        for (String part : list.split(",")) {
            final int dash = part.indexOf('-');
            final int from = Integer.parseInt(dash < 0 ? part : part.substring(0, dash));
            final int to = dash < 0 ? from : Integer.parseInt(part.substring(dash + 1));
            cpus.set(from, to + 1);
        }
        return cpus;
    }
}
