package io.memoir.tools;

import io.memoir.store.Region;
import io.memoir.store.Store;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** Hidden {@code memoir demo-master}: the demo's writer JVM, writing numbered ticks into one region. */
@Command(name = "demo-master", hidden = true, description = "The demo's writer (started by 'memoir demo').")
public final class DemoMasterCommand implements Callable<Integer> {
    /** The text of the last update, which tells followers to stop. */
    static final String LAST = "bye";
    /** Separates an update's text from its send time (epoch nanoseconds). */
    static final String SENT = " sent ";

    @Mixin
    StoreOptions store;

    @Spec
    CommandSpec spec;

    @Option(names = "--tag", defaultValue = DemoCommand.TAG)
    String tag;

    @Option(names = "--updates", defaultValue = "10")
    int updates;

    @Option(names = "--interval-ms", defaultValue = "200")
    long intervalMillis;

    @Override
    public Integer call() throws InterruptedException {
        final PrintWriter out = spec.commandLine().getOut();
        try (Store s = store.openWritable()) {
            final Region r = s.region(tag);
            for (int i = 1; i <= updates + 1; i++) {
                Thread.sleep(intervalMillis); // pacing, so that each update is seen on its own
                final String text = i <= updates ? "tick " + i + " from pid " + ProcessHandle.current().pid() : LAST;
                // With the send time, from the OS clock (microseconds) that followers read too.
                final String sent = text + SENT + DemoCommand.nowNanos();
                final long version = r.write(0, Arrays.copyOf(sent.getBytes(StandardCharsets.UTF_8), r.length()));
                out.println("wrote " + tag + " v" + version + " \"" + text + "\"");
                out.flush();
            }
        }
        return ExitCodes.OK;
    }
}
