package io.memoir.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/** What every kill -9 test checks at the end, and how it reads its children's acknowledgements. */
final class KillChecks {
    private KillChecks() {
    }

    /**
     * Reopens the store: verify must pass, and every tag's versions must be contiguous and reach its
     * highest acknowledged version.
     *
     * @return how many repairs the reopen made
     */
    static int reopenAndCheck(final Path dir, final Map<String, Long> acked) {
        try (Store store = Store.builder().open(dir)) {
            final VerifyReport report = store.verify();
            assertTrue(report.ok(), () -> report + " repairs=" + store.repairs());
            for (Map.Entry<String, Long> a : acked.entrySet()) {
                final List<JournalEntry> history = store.history(a.getKey());
                assertTrue(history.size() >= a.getValue(), "tag=" + a.getKey() + " acknowledged version "
                    + a.getValue() + " but the journal has " + history.size());
                for (int i = 0; i < history.size(); i++) {
                    assertEquals(i + 1, history.get(i).version(), "versions of tag=" + a.getKey());
                }
            }
            return store.repairs().size();
        }
    }

    /** Keeps the highest version of each tag from lines {@code ACK tag version ...}. */
    static void collect(final List<String> lines, final Map<String, Long> acked) {
        for (String l : lines) {
            final String[] p = l.split(" ");
            if (p.length >= 3 && p[0].equals("ACK")) {
                acked.merge(p[1], Long.parseLong(p[2]), Math::max);
            }
        }
    }
}
