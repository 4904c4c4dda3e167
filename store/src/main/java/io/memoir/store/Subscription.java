package io.memoir.store;

import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A callback on its own thread for each change a {@link Watch} asks for. With a cursor, each change
 * is acknowledged after the callback returns, so a restarted subscriber resumes just after the last
 * change it finished. If the callback throws, the subscription stops and keeps the failure. Closing
 * stops the thread and waits for it.
 */
public final class Subscription implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(Subscription.class);

    private final Watcher watcher;
    private final Consumer<JournalEntry> callback;
    private final Thread thread;
    private final Consumer<Subscription> onClose;
    private volatile boolean closing;
    private volatile Throwable failure;

    /**
     * Starts the thread and returns once it runs, bound to {@code cpu} if that is not
     * {@link Watch#ANY_CPU}; if it cannot be bound, the thread ends, the watcher is closed and this
     * throws.
     */
    Subscription(final Watcher watcher, final Consumer<JournalEntry> callback, final String name, final int cpu,
                 final Consumer<Subscription> onClose) {
        this.watcher = watcher;
        this.callback = callback;
        this.onClose = onClose;
        watcher.handOver();
        final CompletableFuture<Void> started = new CompletableFuture<>();
        this.thread = new Thread(() -> run(cpu, started), name);
        thread.setDaemon(true);
        thread.start();
        try {
            started.join();
        } catch (CompletionException e) {
            joinQuietly(); // it has closed the watcher and is ending
            throw (RuntimeException) e.getCause();
        }
    }

    private void run(final int cpu, final CompletableFuture<Void> started) {
        try {
            if (cpu != Watch.ANY_CPU) {
                Cpus.bindThisThread(cpu, thread.getName());
            }
        } catch (RuntimeException e) {
            watcher.close();
            started.completeExceptionally(e);
            return;
        }
        started.complete(null);
        final Backoff.Idler idler = watcher.backoff().idler();
        try {
            while (!closing) {
                final JournalEntry e = watcher.poll();
                if (e == null) {
                    idler.idle();
                    continue;
                }
                idler.reset();
                callback.accept(e);
                if (watcher.cursor() != null) {
                    watcher.ack(e);
                }
            }
        } catch (Throwable t) {
            failure = t;
            LOG.error("Subscription {} stopped: its callback threw", thread.getName(), t);
        } finally {
            watcher.close();
            onClose.accept(this);
        }
    }

    /**
     * Whether the thread is still delivering changes.
     *
     * @return false once closed or failed
     */
    public boolean isRunning() {
        return thread.isAlive();
    }

    /**
     * Why the subscription stopped, if its callback threw.
     *
     * @return the failure, or empty
     */
    public Optional<Throwable> failure() {
        return Optional.ofNullable(failure);
    }

    /**
     * The journal index of the last change delivered.
     *
     * @return the index, or -1 if none yet
     */
    public long lastIndex() {
        return watcher.lastIndex();
    }

    /**
     * Stops delivering and waits for the thread (a callback under way finishes first).
     */
    @Override
    public void close() {
        closing = true;
        LockSupport.unpark(thread);
        if (Thread.currentThread() == thread) {
            return;
        }
        joinQuietly();
    }

    private void joinQuietly() {
        try {
            thread.join(TimeUnit.SECONDS.toMillis(30));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public String toString() {
        return "Subscription{" + thread.getName() + (isRunning() ? ", running" : ", stopped") + "}";
    }
}
