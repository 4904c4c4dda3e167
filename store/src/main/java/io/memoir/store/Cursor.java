package io.memoir.store;

/**
 * A durable named position in the journal: the last change a consumer acknowledged. It survives the
 * consumer (a {@link Watch#cursor(String) watch} with the same name resumes just after it) and is
 * shared by every JVM that opens the store. Thread-safe.
 */
public final class Cursor {
    /** The position of a cursor that has acknowledged nothing yet. */
    public static final long NONE = -1;

    private final String name;
    private final Cursors cursors;
    private final int slot;

    Cursor(final String name, final Cursors cursors, final int slot) {
        this.name = name;
        this.cursors = cursors;
        this.slot = slot;
    }

    /**
     * The cursor's name.
     *
     * @return its name
     */
    public String name() {
        return name;
    }

    /**
     * The journal index last acknowledged.
     *
     * @return the index, or {@link #NONE}
     */
    public long position() {
        return cursors.position(slot);
    }

    /**
     * Acknowledges every change up to and including the journal entry at {@code index}. The position
     * only moves forward: acknowledging an older index does nothing.
     *
     * @param index a journal index
     */
    public void ack(final long index) {
        cursors.advance(slot, index);
    }

    /**
     * Moves the cursor to {@code index}, forward or back ({@link #NONE}: as if new). For operators
     * replaying a consumer on purpose.
     *
     * @param index a journal index or {@link #NONE}
     */
    public void reset(final long index) {
        cursors.set(slot, index);
    }

    @Override
    public String toString() {
        return "Cursor{" + name + ", position=0x" + Long.toHexString(position()) + "}";
    }
}
