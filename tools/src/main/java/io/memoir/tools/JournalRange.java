package io.memoir.tools;

import io.memoir.store.Journal;
import io.memoir.store.JournalEntry;
import io.memoir.store.JournalReader;
import io.memoir.tools.Converters.Position;

/**
 * A stretch of the journal between two {@link Position}s, as {@code tail}, {@code export} and
 * {@code replay} select it. The journal has no time index: a time is found by reading from the start.
 */
final class JournalRange {
    private final Position from;
    private final Position until;

    JournalRange(final Position from, final Position until) {
        this.from = from;
        this.until = until;
    }

    /**
     * A reader at {@code from}.
     *
     * @param journal the journal
     * @return a reader the caller closes
     * @throws UsageException if {@code from} is an index with no entry
     */
    JournalReader open(final Journal journal) {
        switch (from.kind()) {
            case END -> {
                final JournalReader r = journal.reader();
                r.toEnd();
                return r;
            }
            case INDEX -> {
                try {
                    return journal.readerFrom(from.value());
                } catch (IllegalArgumentException e) {
                    throw new UsageException(e.getMessage() + " (use an index printed by 'memoir tail', or start)", e);
                }
            }
            default -> {
                return journal.reader();
            }
        }
    }

    /**
     * Whether an entry comes before {@code from} (only a time can leave such entries to skip).
     *
     * @param e an entry
     * @return true to skip it
     */
    boolean beforeStart(final JournalEntry e) {
        return from.kind() == Position.Kind.TIME && e.time() < from.value();
    }

    /**
     * Whether an entry comes after {@code until}: reading stops there.
     *
     * @param e an entry
     * @return true to stop
     */
    boolean pastEnd(final JournalEntry e) {
        if (until == null) {
            return false;
        }
        return switch (until.kind()) {
            case INDEX -> e.index() > until.value();
            case TIME -> e.time() > until.value();
            case START -> true;
            case END -> false;
        };
    }

    /**
     * The last journal index to include for {@code until}: for replay.
     *
     * @param journal the journal
     * @return an index, {@link Long#MAX_VALUE} for all, -1 for none
     */
    long untilIndex(final Journal journal) {
        if (until == null) {
            return Long.MAX_VALUE;
        }
        return switch (until.kind()) {
            case INDEX -> until.value();
            case TIME -> journal.lastIndexAtOrBefore(until.value());
            case START -> -1;
            case END -> Long.MAX_VALUE;
        };
    }
}
