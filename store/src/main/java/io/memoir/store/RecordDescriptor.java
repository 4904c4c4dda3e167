package io.memoir.store;

/**
 * Layout of a region record: the value stored in the Chronicle Map under a tag. The header is one
 * 64-byte cache line, 8-byte aligned (the map is built with an entry alignment of 8):
 *
 * <pre>
 *   0                   1                   2                   3
 *   0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
 *  +---------------------------------------------------------------+
 *  |                 Lock word (owner token, 0 = free)             |  0
 *  |                                                               |
 *  +---------------------------------------------------------------+
 *  |                 Sequence (even = stable, odd = changing)      |  8
 *  |                                                               |
 *  +---------------------------------------------------------------+
 *  |                 Record id (journal index that made it; 0 =    | 16
 *  |                 dead: relocated or deleted)                   |
 *  +---------------------------------------------------------------+
 *  |                 Version (the tag's version)                   | 24
 *  +---------------------------------------------------------------+
 *  |                 Last index (journal index of the last op)     | 32
 *  +---------------------------------------------------------------+
 *  |                 Last time (epoch nanos of the last op)        | 40
 *  +---------------------------------------------------------------+
 *  |                 Length (content bytes)                        | 48
 *  +---------------------------------------------------------------+
 *  |                 Writer pid                                    | 52
 *  +---------------------------------------------------------------+
 *  |                 Flags (bit 0: deleted; bits 8-15: patch budget)| 56
 *  +---------------------------------------------------------------+
 *  |                 Format (RECORD_FORMAT)                        | 60
 *  +---------------------------------------------------------------+
 *  |                 Content: Length bytes ...                     | 64
 *  +---------------------------------------------------------------+
 * </pre>
 *
 * <p>The lock word serialises writers of one tag across processes; the sequence is a seqlock that
 * lets readers copy without any lock and retry if a writer interfered. Everything from offset 16 on
 * is covered by the sequence. A record's length never changes: a resize installs a new record (with a
 * new record id) and marks the old one dead.
 */
final class RecordDescriptor {
    static final int LOCK_OFFSET = 0;
    static final int SEQ_OFFSET = 8;
    static final int RECORD_ID_OFFSET = 16;
    static final int VERSION_OFFSET = 24;
    static final int LAST_INDEX_OFFSET = 32;
    static final int LAST_TIME_OFFSET = 40;
    static final int LENGTH_OFFSET = 48;
    static final int WRITER_OFFSET = 52;
    static final int FLAGS_OFFSET = 56;
    static final int FORMAT_OFFSET = 60;
    static final int HEADER_LENGTH = 64;

    static final int FLAG_DELETED = 1;
    /**
     * Where in the flags a live record keeps its patch budget: how many more changes journaled without
     * the whole content ({@link Op#PATCH}, {@link Op#SPLICE}, {@link Op#WRITE}) the journal may take
     * before a put journals the whole content again. A reader that meets a {@code PATCH} or a
     * {@code SPLICE} without the content it applies to searches back for the tag's last whole entry;
     * the budget bounds that search to {@link #PATCH_RUN} of the tag's entries. A record made by a whole
     * put starts with {@link #PATCH_RUN}; one made by a splice with one less than the record it replaced;
     * one made by a create, a resize or a repair has none, so its first put is whole. A format-1 store's
     * records never get one.
     */
    static final int PATCH_BUDGET_SHIFT = 8;
    static final int PATCH_BUDGET_MASK = 0xFF;
    /** The budget a whole put gives: at most this many in-place entries follow a tag's whole entry. */
    static final int PATCH_RUN = 63;
    static final int RECORD_FORMAT = 1;

    private RecordDescriptor() {
    }
}
