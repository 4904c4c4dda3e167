package io.memoir.store;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

/**
 * Compares the map with the replayed journal. Exact on a quiet store; with concurrent writers it
 * compares each tag at the version the map had when it was read, and ignores tags created after.
 */
final class Verifier {
    private Verifier() {
    }

    static VerifyReport verify(final Engine engine) {
        final long lastIndex = engine.journal.lastIndex();
        final Map<String, TagState> map = engine.mapState();
        final Map<String, TagState> journal = new HashMap<>();
        final List<String> differences = new ArrayList<>();
        long entries = 0;
        try (JournalReader r = engine.journal.reader()) {
            for (JournalEntry e = r.next(); e != null; e = r.next()) {
                final TagState m = map.get(e.tag());
                if (m == null ? e.index() > lastIndex : e.version() > m.version) {
                    continue;
                }
                entries++;
                try {
                    journal.computeIfAbsent(e.tag(), TagState::new).apply(e, engine.where);
                } catch (MemoirException.CorruptStoreException ex) {
                    differences.add("tag=" + e.tag() + ": " + ex.getMessage());
                }
            }
        }
        final TreeSet<String> tags = new TreeSet<>(map.keySet());
        tags.addAll(journal.keySet());
        for (String tag : tags) {
            compare(tag, map.get(tag), journal.get(tag), differences);
        }
        return new VerifyReport(tags.size(), entries, List.copyOf(differences));
    }

    private static void compare(final String tag, final TagState m, final TagState j, final List<String> out) {
        final boolean inMap = m != null && !m.deleted;
        final boolean inJournal = j != null && !j.deleted;
        if (inMap != inJournal) {
            out.add("tag=" + tag + ": " + (inMap ? "in the map (version=" + m.version + ") but not in the journal"
                : "in the journal (version=" + j.version + ") but not in the map"));
            return;
        }
        if (m == null || j == null) {
            return;
        }
        if (m.version != j.version) {
            out.add("tag=" + tag + ": mapVersion=" + m.version + ", journalVersion=" + j.version);
        } else if (m.content.length != j.content.length) {
            out.add("tag=" + tag + ": mapLength=" + m.content.length + ", journalLength=" + j.content.length);
        } else if (!Arrays.equals(m.content, j.content)) {
            out.add("tag=" + tag + ": content differs at offset=" + Arrays.mismatch(m.content, j.content)
                + " (version=" + m.version + ")");
        }
    }
}
