package io.memoir.store;

import io.memoir.store.RegionTable.RecordRef;

/**
 * Serves a read-only open from the journal alone, for a process that may not write the store's files
 * (or must not touch them): the regions live in a private in-memory table ({@link RegionTable#inMemory})
 * that this follower fills by replaying the journal at open and keeps current by applying each entry
 * appended since, before every read. It reads the journal through a read-only Chronicle Queue and never
 * opens the map file or the control file, so nothing of the store is written, locked or created.
 *
 * <p>What a reader sees is the journal's state: every acknowledged change (a change is in the journal
 * before its write call returns), possibly a few microseconds before the map shows it. Opening costs a
 * read of the whole journal, O(entries), and the private table holds every region's content.
 * Thread-safe: one thread applies at a time, under the private map lock.
 */
final class JournalFollower implements AutoCloseable {
    private final RegionTable table;
    private final JournalReader reader;
    private final String where;

    JournalFollower(final RegionTable table, final Journal journal) {
        this.table = table;
        this.reader = journal.reader();
        this.where = journal.toString();
    }

    /** Applies every entry appended since the last call; cheap (one poll of the journal) when there is none. */
    synchronized void catchUp() {
        JournalEntry e = reader.next();
        if (e == null) {
            return;
        }
        table.lockMap();
        try {
            for (; e != null; e = reader.next()) {
                apply(e);
            }
        } finally {
            table.unlockMap();
        }
    }

    /** Applies one entry to the private table: in place for a data write, as a new record otherwise. Map lock held. */
    private void apply(final JournalEntry e) {
        final String tag = e.tag();
        final RecordRef cur = table.find(tag);
        if (cur != null && !cur.deleted && inPlace(e, cur) && Records.versionLocked(cur) + 1 == e.version()) {
            // The record lock keeps Engine's dead-writer repair away while the sequence is odd.
            table.lockRecord(tag, cur, true);
            try {
                Records.writeInPlace(cur, e.version(), e.offset(), e.data(), 0, e.data().length, e.index(), e.time(),
                    e.writer(), 0);
            } finally {
                table.unlockRecord(cur);
            }
            return;
        }
        final TagState st = new TagState(tag);
        if (cur != null && !Records.tryState(cur, st)) {
            throw new IllegalStateException("record of tag=" + tag + " is changing in a private table: " + where);
        }
        st.apply(e, where); // throws CorruptStoreException for a version gap or an impossible entry
        final long deadSeq = cur == null ? -1 : RegionTable.markDead(cur);
        RegionTable.publish(table.install(tag, Records.image(st, deadSeq + 2, table.control().nextRecordId())),
            e.index());
    }

    private static boolean inPlace(final JournalEntry e, final RecordRef cur) {
        final boolean sameLength = e.op() == Op.WRITE || (e.op() == Op.PUT && e.data().length == cur.length);
        return sameLength && e.offset() >= 0 && e.offset() + e.data().length <= cur.length;
    }

    @Override
    public synchronized void close() {
        reader.close();
    }
}
