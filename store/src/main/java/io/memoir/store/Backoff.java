package io.memoir.store;

import java.util.concurrent.locks.LockSupport;

/**
 * How a watcher waits for the next change: busy-spin, then yield, then park for a time that doubles
 * up to a maximum. Spinning gives microsecond wake-ups at the cost of a core; parking frees the core
 * and bounds the delay by the maximum park time. Immutable.
 *
 * <table>
 * <caption>Presets</caption>
 * <tr><th>preset</th><th>spins</th><th>yields</th><th>park</th><th>use</th></tr>
 * <tr><td>{@link #DEFAULT}</td><td>2,000</td><td>100</td><td>1 µs … 1 ms</td><td>most watchers</td></tr>
 * <tr><td>{@link #busySpin()}</td><td>unbounded</td><td>-</td><td>-</td><td>lowest latency, one core each</td></tr>
 * </table>
 */
public final class Backoff {
    /** Spin about 100 µs, yield a little, then park from 1 µs doubling up to 1 ms. */
    public static final Backoff DEFAULT = new Backoff(2_000, 100, 1_000, 1_000_000);
    private static final Backoff BUSY_SPIN = new Backoff(Integer.MAX_VALUE, 0, 1_000, 1_000);

    final int spins;
    final int yields;
    final long minParkNanos;
    final long maxParkNanos;

    private Backoff(final int spins, final int yields, final long minParkNanos, final long maxParkNanos) {
        this.spins = spins;
        this.yields = yields;
        this.minParkNanos = minParkNanos;
        this.maxParkNanos = maxParkNanos;
    }

    /**
     * A custom back-off.
     *
     * @param spins        busy-spin iterations first ({@link Thread#onSpinWait()})
     * @param yields       then {@link Thread#yield()} calls
     * @param minParkNanos then park this long, doubling each time
     * @param maxParkNanos up to this long
     * @return the back-off
     */
    public static Backoff of(final int spins, final int yields, final long minParkNanos, final long maxParkNanos) {
        if (spins < 0 || yields < 0 || minParkNanos < 1 || maxParkNanos < minParkNanos) {
            throw new IllegalArgumentException("bad back-off: spins=" + spins + ", yields=" + yields + ", minParkNanos="
                + minParkNanos + ", maxParkNanos=" + maxParkNanos + " (need spins, yields >= 0 and "
                + "1 <= minParkNanos <= maxParkNanos)");
        }
        return new Backoff(spins, yields, minParkNanos, maxParkNanos);
    }

    /**
     * Never parks: the waiting thread spins on a core. The lowest wake-up latency.
     *
     * @return the busy-spin back-off
     */
    public static Backoff busySpin() {
        return BUSY_SPIN;
    }

    /**
     * The waiting state for one thread's poll loop: call {@link Idler#idle()} when there was nothing,
     * {@link Idler#reset()} when there was something.
     *
     * @return a new idler following this back-off
     */
    public Idler idler() {
        return new Idler(this);
    }

    @Override
    public String toString() {
        return "Backoff{spins=" + spins + ", yields=" + yields + ", park=" + minParkNanos + ".." + maxParkNanos + "ns}";
    }

    /** The state of one waiting thread. Not thread-safe. */
    public static final class Idler {
        private final Backoff b;
        private long count;
        private long park;

        Idler(final Backoff b) {
            this.b = b;
            this.park = b.minParkNanos;
        }

        /** Waits a little; longer each call until {@link #reset()}. */
        public void idle() {
            final long n = count++;
            if (n < b.spins) {
                Thread.onSpinWait();
            } else if (n < (long) b.spins + b.yields) {
                Thread.yield();
            } else {
                LockSupport.parkNanos(park);
                park = Math.min(b.maxParkNanos, park * 2);
            }
        }

        /** Work arrived: the next wait starts spinning again. */
        public void reset() {
            count = 0;
            park = b.minParkNanos;
        }
    }
}
