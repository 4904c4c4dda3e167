package io.memoir.store;

import io.memoir.store.RegionTable.RecordRef;
import java.util.Map;
import java.util.TreeMap;

/**
 * Checks at open that map and journal belong together, and rebuilds a lost map from the journal.
 *
 * <p>Every record names the journal entry of its last change (its last index). If the journal lost
 * its tail (a truncated or damaged file), the entry at that index is missing, is another tag's, or
 * has another version or length, or fails its checksum: opening then fails with a
 * {@link MemoirException.CorruptStoreException} instead of appending after a damaged tail. The check
 * reads one entry per record, never the whole journal. An intact entry whose data differs from the
 * record means the map was damaged: {@link Store#verify()} reports it and {@link Store#recover()}
 * rebuilds the record from the journal.
 */
final class MapCheck {
    private MapCheck() {
    }

    /**
     * Fails if a record's last change is not in the journal as the record says.
     *
     * @throws MemoirException.CorruptStoreException naming the journal, the tag and the index
     */
    static void checkJournalTail(final Engine engine) {
        final Map<String, RecordRef> all = engine.table.allUnderMapLock();
        final long[] header = new long[4];
        final long journalLast = engine.journal.lastIndex();
        try (JournalReader reader = engine.journal.reader()) {
            for (Map.Entry<String, RecordRef> e : all.entrySet()) {
                if (!Records.tryHeader(e.getValue(), header) || header[1] <= 0) {
                    continue; // being changed by a live writer, or replaced meanwhile: nothing to compare
                }
                final String problem = problem(reader, e.getKey(), e.getValue(), header[0], header[1]);
                if (problem != null) {
                    throw new MemoirException.CorruptStoreException("journal and map disagree: the journal's tail is "
                        + "lost or damaged: journal=" + engine.where + "/" + Store.JOURNAL_DIR + ", " + problem + ", journal lastIndex=0x"
                        + Long.toHexString(journalLast) + " (the map still holds the latest content: open the store "
                        + "readOnly to read it out; see docs/reliability.md)");
                }
            }
        }
    }

    private static String problem(final JournalReader reader, final String tag, final RecordRef ref,
                                  final long version, final long index) {
        final String what = "tag=" + tag + " version=" + version + " index=0x" + Long.toHexString(index);
        if (!reader.moveToIndex(index)) {
            return what + " has no journal entry";
        }
        final JournalEntry entry;
        try {
            entry = reader.next();
        } catch (MemoirException.CorruptStoreException e) {
            return what + ": " + e.getMessage();
        }
        if (entry == null || entry.index() != index) {
            return what + " has no readable journal entry";
        }
        if (!entry.tag().equals(tag) || entry.version() != version) {
            return what + " but the journal entry there has tag=" + entry.tag() + " version=" + entry.version();
        }
        if (!ref.deleted && entry.length() != ref.length) {
            return what + " has length=" + ref.length + " but the journal entry says length=" + entry.length();
        }
        return null;
    }

    /**
     * Installs a record for every tag in the journal (a tombstone for deleted ones) into an empty map.
     * Call with no other process using the store.
     *
     * @return what was rebuilt, for the repair report
     */
    static String rebuildFromJournal(final Engine engine) {
        final Map<String, TagState> states = new TreeMap<>();
        long entries = 0;
        try (JournalReader r = engine.journal.reader()) {
            for (JournalEntry e = r.next(); e != null; e = r.next()) {
                states.computeIfAbsent(e.tag(), TagState::new).apply(e, engine.journal.toString());
                entries++;
            }
        }
        final RegionTable table = engine.table;
        table.lockMap();
        try {
            for (TagState st : states.values()) {
                if (table.find(st.tag) != null) {
                    continue;
                }
                RegionTable.publish(table.install(st.tag, Records.image(st, 1, table.control().nextRecordId())),
                    st.lastIndex);
            }
        } finally {
            table.unlockMap();
        }
        return "rebuilt from the journal: tags=" + states.size() + ", entries=" + entries;
    }
}
