package io.memoir.store;

/** The kind of mutation a journal entry records. Stored by name, so new kinds can be added. */
public enum Op {
    /** A region was created, zero-filled, with {@code length} bytes. */
    CREATE,
    /** {@code data} was written at {@code offset}; the length did not change. */
    WRITE,
    /** The whole content was replaced by {@code data}; {@code length} is the new length. */
    PUT,
    /** The region was resized to {@code length}: truncated, or zero-extended. */
    RESIZE,
    /** The region was deleted. Its versions continue if the tag is created again. */
    DELETE,
    /**
     * In the journal only (format 2): a {@link #PUT} of the region's own length of which only
     * {@code data} at {@code offset} differed from the version before. {@link JournalReader} rebuilds
     * the whole content and hands it out as the {@code PUT} it was, so readers never see this op.
     */
    PATCH,
    /**
     * In the journal only (format 3): a {@link #PUT} journaled as the edits ({@link Splice}) that turn
     * the version before into it: one of another length than the region's, or of the same length whose
     * changes lie far apart; {@code offset} is the length of the version before. {@link JournalReader}
     * hands it out as the {@code PUT} it was, like a {@link #PATCH}.
     */
    SPLICE
}
