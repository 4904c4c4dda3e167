package io.memoir.store;

import net.openhft.chronicle.queue.RollCycle;
import net.openhft.chronicle.wire.DocumentContext;

/**
 * The number of journal entries one cycle of the store's roll cycle can index. Chronicle Queue finds
 * out only after an entry is written: it then throws a raw {@link IllegalStateException} and leaves the
 * entry in the journal, unindexed (a change that failed would still be in the history). So each append
 * checks the index it is about to take, inside its document, and rolls the document back if it is past
 * the limit: nothing is written, and the caller gets a {@link MemoirException.StoreFullException}.
 */
final class CycleLimit {
    private final RollCycle rollCycle;
    private final String rollCycleName;
    private final String where;
    private final long maxEntries;

    CycleLimit(final String rollCycleName, final String where) {
        this.rollCycle = Store.Builder.rollCycleOf(rollCycleName);
        this.rollCycleName = rollCycleName;
        this.where = where;
        final long count = rollCycle.defaultIndexCount();
        this.maxEntries = Math.min(rollCycle.maxMessagesPerCycle(), count * count * rollCycle.defaultIndexSpacing());
    }

    /** How many entries a cycle holds. */
    long maxEntries() {
        return maxEntries;
    }

    /**
     * Rolls {@code dc} back and throws if the entry it is writing is past the cycle's last index.
     *
     * @throws MemoirException.StoreFullException if it is
     */
    void check(final DocumentContext dc, final Object what, final String tag) {
        final long sequence = rollCycle.toSequenceNumber(dc.index());
        if (sequence >= maxEntries) {
            dc.rollbackOnClose();
            throw new MemoirException.StoreFullException("journal cycle is full: cannot append " + what + " of tag="
                + tag + " in store=" + where + ": rollCycle=" + rollCycleName + " holds at most maxEntries="
                + maxEntries + " entries per cycle, and this cycle=" + rollCycle.toCycle(dc.index())
                + " has them all (nothing was written; writes work again when the next cycle starts. A store this"
                + " busy needs a roll cycle with more entries per cycle: create it with"
                + " Store.builder().rollCycle(\"FAST_DAILY\") or another RollCycles name)");
        }
    }
}
