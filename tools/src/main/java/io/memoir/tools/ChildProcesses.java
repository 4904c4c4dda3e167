package io.memoir.tools;

import io.memoir.store.JvmFlags;
import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.management.ManagementFactory;
import java.util.ArrayList;
import java.util.List;

/** Starts another {@code memoir} JVM the way this one was started: same java, options and jar. */
final class ChildProcesses {
    private ChildProcesses() {
    }

    /**
     * The command line that runs {@code memoir ARGS} in a new JVM like this one.
     *
     * @param args the memoir arguments
     * @return the full command
     */
    static List<String> memoirCommand(final List<String> args) {
        final List<String> cmd = new ArrayList<>();
        cmd.add(ProcessHandle.current().info().command().orElse("java"));
        for (String a : ManagementFactory.getRuntimeMXBean().getInputArguments()) {
            if (!a.startsWith("-XX:ArchiveClassesAtExit") && !a.startsWith("-agentlib")
                && !a.startsWith("-javaagent")) {
                cmd.add(a);
            }
        }
        final String cp = System.getProperty("java.class.path");
        if (!cp.contains(File.pathSeparator) && cp.endsWith(".jar")) {
            cmd.add("-jar");
            cmd.add(cp);
        } else {
            cmd.addAll(JvmFlags.required());
            cmd.add("-cp");
            cmd.add(cp);
            cmd.add(Memoir.class.getName());
        }
        cmd.addAll(args);
        return cmd;
    }

    /**
     * Starts {@code memoir ARGS} in a new JVM, stderr merged into stdout.
     *
     * @param args the memoir arguments
     * @return the process
     */
    static Process start(final List<String> args) {
        try {
            return new ProcessBuilder(memoirCommand(args)).redirectErrorStream(true).start();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start a child JVM: " + e.getMessage(), e);
        }
    }
}
