package io.memoir.store;

import java.time.Instant;
import java.util.Optional;

/**
 * Lock-owner tokens that identify a process instance, so that a lock held by a dead process can be
 * told from one held by a live one.
 *
 * <p>A token is {@code pid << 32 | (startSecond & 0xFFFFFFFF)}: the pid alone could be reused by a
 * new process after the owner died; pid and start time together cannot (at one-second resolution).
 * A token is never 0, which means "free".
 */
final class ProcessOwner {
    /** This process's token. */
    static final long CURRENT = tokenOf(ProcessHandle.current());
    /** This process's pid. */
    static final int PID = (int) ProcessHandle.current().pid();

    private ProcessOwner() {
    }

    static long tokenOf(final ProcessHandle handle) {
        final long start = handle.info().startInstant().map(Instant::getEpochSecond).orElse(0L);
        return (handle.pid() << 32) | (start & 0xFFFF_FFFFL);
    }

    static int pidOf(final long token) {
        return (int) (token >>> 32);
    }

    /**
     * Whether the process that took {@code token} is still running.
     *
     * @param token a token from {@link #CURRENT} of some process
     * @return false only when that process is known to be gone
     */
    static boolean isAlive(final long token) {
        if (token == CURRENT) {
            return true;
        }
        final Optional<ProcessHandle> handle = ProcessHandle.of(pidOf(token));
        if (handle.isEmpty() || !handle.get().isAlive()) {
            return false;
        }
        final long start = token & 0xFFFF_FFFFL;
        // A pid reused by a newer process has another start time.
        return start == 0 || tokenOf(handle.get()) == token;
    }

    static String describe(final long token) {
        return "pid=" + pidOf(token);
    }
}
