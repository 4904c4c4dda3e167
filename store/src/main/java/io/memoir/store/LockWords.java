package io.memoir.store;

import static net.openhft.chronicle.core.UnsafeMemory.MEMORY;

import java.util.concurrent.locks.LockSupport;

/**
 * Inter-process lock words in shared memory: a 64-bit word that is 0 when free and holds the owner's
 * {@link ProcessOwner} token when held, and the back-off used while waiting for one.
 */
final class LockWords {
    private static final int SPINS = 200;
    private static final int YIELDS = 50;
    private static final long PARK_NANOS = 20_000;
    /** How often a waiter looks whether the holder is still alive. */
    static final long OWNER_CHECK_NANOS = 2_000_000;

    private LockWords() {
    }

    static boolean tryLock(final long address) {
        return MEMORY.compareAndSwapLong(address, 0L, ProcessOwner.CURRENT);
    }

    static boolean steal(final long address, final long deadOwner) {
        return MEMORY.compareAndSwapLong(address, deadOwner, ProcessOwner.CURRENT);
    }

    static long ownerVolatile(final long address) {
        return MEMORY.readVolatileLong(address);
    }

    static void unlockOrdered(final long address) {
        MEMORY.writeOrderedLong(address, 0L);
    }

    /** Releases only if this process still holds it (used where the memory may have been reused). */
    static void releaseIfHeld(final long address) {
        MEMORY.compareAndSwapLong(address, ProcessOwner.CURRENT, 0L);
    }

    /**
     * Busy-spin, then yield, then park: the waiting strategy for locks that are held for microseconds.
     * Not thread-safe; one per wait.
     */
    static final class Backoff {
        private final long start = System.nanoTime();
        private long lastOwnerCheck = start;
        private int count;

        void idle() {
            final int n = count++;
            if (n < SPINS) {
                Thread.onSpinWait();
            } else if (n < SPINS + YIELDS) {
                Thread.yield();
            } else {
                LockSupport.parkNanos(PARK_NANOS);
            }
        }

        /** True about every {@link #OWNER_CHECK_NANOS}: time to check the owner's liveness. */
        boolean ownerCheckDue() {
            if (count < SPINS) {
                return false;
            }
            final long now = System.nanoTime();
            if (now - lastOwnerCheck >= OWNER_CHECK_NANOS) {
                lastOwnerCheck = now;
                return true;
            }
            return false;
        }

        long waitedNanos() {
            return System.nanoTime() - start;
        }
    }
}
