package io.memoir.store;

import java.util.BitSet;
import net.openhft.affinity.Affinity;

/** Binds threads to CPUs, through OpenHFT Affinity ({@code sched_setaffinity} on Linux, with JNA). */
final class Cpus {
    private Cpus() {
    }

    /**
     * Binds the calling thread to {@code cpu} alone.
     *
     * @param cpu  the CPU
     * @param what what the thread is, for the message
     * @throws IllegalStateException if the thread does not run on exactly that CPU afterwards (no such
     *                               CPU, one outside this process's cpuset, or no way to bind here)
     */
    static void bindThisThread(final int cpu, final String what) {
        final BitSet want = new BitSet();
        want.set(cpu);
        final BitSet before = Affinity.getAffinity();
        try {
            Affinity.setAffinity(want);
        } catch (RuntimeException e) {
            throw new IllegalStateException(cannot(cpu, what, before) + ": " + e.getMessage(), e);
        }
        final BitSet now = Affinity.getAffinity();
        if (!now.equals(want)) {
            throw new IllegalStateException(cannot(cpu, what, before) + ": it may still run on CPUs " + now);
        }
    }

    private static String cannot(final int cpu, final String what, final BitSet allowed) {
        return "cannot bind " + what + " to cpu=" + cpu + " (this process may use CPUs " + allowed + "; binding "
            + "needs Linux and JNA): choose one of those CPUs, or subscribe without Watch.cpu";
    }
}
