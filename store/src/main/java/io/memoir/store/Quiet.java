package io.memoir.store;

/**
 * Keeps Chronicle quiet and offline: no usage analytics, no banners, no performance-info lookups.
 * Runs before any Chronicle class is loaded by Memoir; a property the user set is left alone.
 */
final class Quiet {
    /** The system properties Memoir sets, and their values. */
    static final String[][] PROPERTIES = {
        {"chronicle.analytics.disable", "true"},
        {"chronicle.announcer.disable", "true"},
        {"disable.perf.info", "true"},
        {"chronicle.disk.monitor.disable", "true"},
    };

    private Quiet() {
    }

    static void init() {
        for (String[] p : PROPERTIES) {
            if (System.getProperty(p[0]) == null) {
                System.setProperty(p[0], p[1]);
            }
        }
    }

    /** Fails with the list of options when this JVM lacks them (Chronicle would fail obscurely). */
    static void checkFlags() {
        if (!JvmFlags.present()) {
            throw new IllegalStateException("Memoir needs these JVM options on JDK 17 (Chronicle uses JDK internals): "
                + String.join(" ", JvmFlags.required()));
        }
    }
}
