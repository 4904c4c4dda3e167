package io.memoir.tools;

import java.util.concurrent.locks.LockSupport;

/**
 * Back-off for a reader waiting for the next journal entry: spin, then yield, then park for growing
 * times up to {@link #MAX_PARK_NANOS}, so a new entry is seen within microseconds when they come
 * often and within about a millisecond when the store is quiet, without burning a core.
 */
final class Idle {
    private static final int SPINS = 1_000;
    private static final int YIELDS = 100;
    private static final long MIN_PARK_NANOS = 10_000;
    /** The longest park: the worst added latency when the journal is quiet. */
    static final long MAX_PARK_NANOS = 1_000_000;

    private int idles;
    private long parkNanos = MIN_PARK_NANOS;

    /** One more idle round: call when there was nothing to read. */
    void idle() {
        if (idles < SPINS) {
            Thread.onSpinWait();
        } else if (idles < SPINS + YIELDS) {
            Thread.yield();
        } else {
            LockSupport.parkNanos(parkNanos);
            parkNanos = Math.min(MAX_PARK_NANOS, parkNanos * 2);
        }
        idles++;
    }

    /** Something was read: start again with spinning. */
    void reset() {
        idles = 0;
        parkNanos = MIN_PARK_NANOS;
    }
}
