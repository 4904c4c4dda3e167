package io.memoir.store;

import java.util.List;

/**
 * The result of {@link Store#verify()}: whether the map equals the replayed journal.
 *
 * @param regions     how many tags were compared
 * @param entries     how many journal entries were replayed
 * @param differences one line for each difference; empty when the store is consistent
 */
public record VerifyReport(int regions, long entries, List<String> differences) {

    /**
     * Whether map and journal agree.
     *
     * @return true if there is no difference
     */
    public boolean ok() {
        return differences.isEmpty();
    }
}
