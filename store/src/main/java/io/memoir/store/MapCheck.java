package io.memoir.store;

import io.memoir.store.RegionTable.RecordRef;
import java.util.Arrays;
import java.util.Map;
import java.util.TreeMap;

/**
 * Checks at open that map and journal belong together, and rebuilds a lost map from the journal.
 *
 * <p>Every record names the journal entry of its last change (its last index). If the journal lost
 * its tail (a truncated or damaged file), the entry at that index is missing, is another tag's, or
 * has another version: opening then fails with a {@link MemoirException.CorruptStoreException} instead
 * of appending after a damaged tail. The check reads one entry per record, never the whole journal.
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
        return ref.deleted ? null : dataProblem(what, ref, entry);
    }

    /** The entry's bytes (and length) must be what the record holds; only that range is read. */
    private static String dataProblem(final String what, final RecordRef ref, final JournalEntry entry) {
        if (entry.length() != ref.length) {
            return what + " has length=" + ref.length + " but the journal entry says length=" + entry.length();
        }
        final byte[] data = entry.data();
        if (data.length == 0 || entry.op() != Op.WRITE && entry.op() != Op.PUT) {
            return null;
        }
        if (entry.op() == Op.PUT && data.length != ref.length || entry.offset() < 0
            || entry.offset() + data.length > ref.length) {
            return what + " has length=" + ref.length + " but the journal entry's data does not fit it: op="
                + entry.op() + ", offset=" + entry.offset() + ", dataLength=" + data.length;
        }
        final byte[] held = new byte[data.length];
        if (Records.tryRead(ref, entry.offset(), held, 0, held.length) < 0) {
            return null; // changed by a live writer meanwhile: its entry is newer than this one
        }
        final int at = Arrays.mismatch(held, data);
        if (at < 0 || Records.tryVersion(ref) != entry.version()) {
            return null; // equal, or a live writer changed it since its header was read
        }
        return what + ": the journal entry's data differs from the map at offset="
            + (entry.offset() + at) + " (op=" + entry.op() + ", dataLength=" + data.length + ")";
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
