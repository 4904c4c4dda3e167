package io.memoir.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * How long one thread was runnable but waiting for a CPU, from Linux's
 * {@code /proc/thread-self/schedstat} ("time on CPU, time waiting on a run queue, time slices", in ns).
 * A busy-spinning watcher that waits for a CPU sees nothing meanwhile, whatever it polls; benchmarks
 * print this share next to their latencies. Elsewhere than Linux it reports "n/a".
 */
final class CpuTime {
    private static final Path SCHEDSTAT = Path.of("/proc/thread-self/schedstat");

    private final long startWall = System.nanoTime();
    private final long startWait;

    private CpuTime(final long startWait) {
        this.startWait = startWait;
    }

    /** Starts counting for the calling thread. */
    static CpuTime ofThisThread() {
        return new CpuTime(waitNanos());
    }

    /** The calling thread's wait since {@link #ofThisThread()} (same thread), as a share of the wall time, e.g. "0.6%". */
    String waitShare() {
        final long wait = waitNanos();
        if (wait < 0 || startWait < 0) {
            return "n/a";
        }
        final long wall = System.nanoTime() - startWall;
        return String.format("%.1f%%", 100.0 * (wait - startWait) / wall);
    }

    /** The machine's 1-minute load average, or "n/a". */
    static String loadAverage() {
        try {
            return Files.readString(Path.of("/proc/loadavg")).split(" ")[0];
        } catch (IOException | RuntimeException e) {
            return "n/a";
        }
    }

    private static long waitNanos() {
        try {
            return Long.parseLong(Files.readString(SCHEDSTAT).trim().split(" ")[1]);
        } catch (IOException | RuntimeException e) {
            return -1;
        }
    }
}
