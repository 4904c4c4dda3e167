package io.memoir.tools;

import io.memoir.store.Backoff;
import io.memoir.store.JournalEntry;
import io.memoir.store.JournalReader;
import io.memoir.store.Region;
import io.memoir.store.Store;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * Hidden {@code memoir demo-follower}: one of the demo's reader JVMs. Follows the journal from its end,
 * reads the region at each change and prints it with the latency from the write (the master puts
 * its send time, from the OS clock, at the end of its text).
 */
@Command(name = "demo-follower", hidden = true, description = "A demo reader (started by 'memoir demo').")
public final class DemoFollowerCommand implements Callable<Integer> {
    /** The line a follower prints once it follows the journal. */
    static final String READY = "ready";

    @Mixin
    StoreOptions store;

    @Spec
    CommandSpec spec;

    @Option(names = "--tag", defaultValue = DemoCommand.TAG)
    String tag;

    @Override
    public Integer call() {
        final PrintWriter out = spec.commandLine().getOut();
        final List<Long> latencies = new ArrayList<>();
        try (Store s = store.openReadOnly(); JournalReader r = s.journal().reader()) {
            r.toEnd();
            out.println(READY + ": following tag=" + tag + " in pid " + ProcessHandle.current().pid());
            out.flush();
            final Backoff.Idler idle = TailCommand.WAIT.idler();
            while (true) {
                final JournalEntry e = r.next();
                if (e == null) {
                    idle.idle();
                    continue;
                }
                idle.reset();
                if (!e.tag().equals(tag)) {
                    continue;
                }
                final long received = DemoCommand.nowNanos();
                final String update = text(e.data());
                final int sent = update.lastIndexOf(DemoMasterCommand.SENT);
                if (sent < 0 || update.startsWith(DemoMasterCommand.LAST + DemoMasterCommand.SENT)) {
                    break;
                }
                final long latency = received - Long.parseLong(update.substring(sent + DemoMasterCommand.SENT.length()));
                // The journal entry lands just before the region changes (journal first): wait for it.
                final Region region = s.region(tag);
                while (region.version() < e.version()) {
                    idle.idle();
                }
                idle.reset();
                final String now = text(region.readAll());
                final String shown = now.contains(DemoMasterCommand.SENT)
                    ? now.substring(0, now.lastIndexOf(DemoMasterCommand.SENT)) : now;
                latencies.add(latency);
                out.printf("got %s v%d \"%s\"  latency %,d us%n", tag, e.version(), shown, latency / 1000);
                out.flush();
            }
        }
        Collections.sort(latencies);
        out.printf("received %d updates, latency p50 %,d us, max %,d us%n", latencies.size(),
            latencies.isEmpty() ? 0 : latencies.get(latencies.size() / 2) / 1000,
            latencies.isEmpty() ? 0 : latencies.get(latencies.size() - 1) / 1000);
        out.flush();
        return ExitCodes.OK;
    }

    /** The text at the start of the content, up to the first zero byte. */
    private static String text(final byte[] content) {
        int end = 0;
        while (end < content.length && content[end] != 0) {
            end++;
        }
        return new String(content, 0, end, StandardCharsets.UTF_8);
    }
}
