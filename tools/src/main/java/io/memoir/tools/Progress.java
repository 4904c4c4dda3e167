package io.memoir.tools;

import io.memoir.store.Store;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import net.openhft.chronicle.queue.impl.single.SingleChronicleQueue;
import net.openhft.chronicle.queue.impl.single.SingleChronicleQueueBuilder;

/**
 * A progress bar for {@code replay}, drawn on stderr only when it is a terminal: a daemon thread counts
 * the entries already in the target's journal (read-only) a few times a second.
 */
final class Progress implements AutoCloseable {
    private static final int WIDTH = 40;
    private static final long REDRAW_MILLIS = 200;

    private final PrintWriter err;
    private final long total;
    private final Path journal;
    private final Thread thread;
    private volatile boolean running = true;

    private Progress(final PrintWriter err, final long total, final Path target, final boolean show) {
        this.err = err;
        this.total = total;
        this.journal = target.resolve(Store.JOURNAL_DIR);
        this.thread = show ? new Thread(this::run, "memoir-progress") : null;
    }

    static Progress start(final boolean terminal, final PrintWriter err, final long total, final Path target) {
        final Progress p = new Progress(err, total, target, terminal && total > 0);
        if (p.thread != null) {
            p.thread.setDaemon(true);
            p.thread.start();
        }
        return p;
    }

    private void run() {
        SingleChronicleQueue queue = null;
        try {
            while (running) {
                if (queue == null && Files.isDirectory(journal)) {
                    queue = SingleChronicleQueueBuilder.binary(journal).readOnly(true).build();
                }
                draw(queue == null ? 0 : queue.entryCount());
                Thread.sleep(REDRAW_MILLIS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (RuntimeException e) {
            // The bar is decoration: a failure to count leaves the replay alone.
        } finally {
            if (queue != null) {
                queue.close();
            }
        }
    }

    private synchronized void draw(final long done) {
        final long d = Math.min(done, total);
        final int filled = (int) (WIDTH * d / total);
        err.print("\r[" + "#".repeat(filled) + " ".repeat(WIDTH - filled) + "] " + d + "/" + total + " entries");
        err.flush();
    }

    /** The replay finished: draw the full bar. */
    void done() {
        if (thread != null) {
            running = false;
            thread.interrupt();
            try {
                thread.join();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            draw(total);
            err.println();
        }
    }

    @Override
    public void close() {
        running = false;
        if (thread != null) {
            thread.interrupt();
        }
    }
}
