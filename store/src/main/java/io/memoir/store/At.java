package io.memoir.store;

import java.time.Instant;

/**
 * A point in a tag's history: a version of the tag, a journal index, or a time. Reading "at" it gives
 * the tag as it was just after the last change made at or before that point.
 */
public final class At {
    enum Kind { VERSION, INDEX, TIME }

    final Kind kind;
    final long value;

    private At(final Kind kind, final long value) {
        this.kind = kind;
        this.value = value;
    }

    /**
     * The tag as it was at this version.
     *
     * @param version a version of the tag, 1 or more
     * @return the point
     */
    public static At version(final long version) {
        if (version < 1) {
            throw new IllegalArgumentException("versions start at 1: version=" + version);
        }
        return new At(Kind.VERSION, version);
    }

    /**
     * The tag as it was just after the journal entry at this index.
     *
     * @param index a journal index
     * @return the point
     */
    public static At index(final long index) {
        return new At(Kind.INDEX, index);
    }

    /**
     * The tag as it was at this time.
     *
     * @param epochNanos epoch nanoseconds
     * @return the point
     */
    public static At time(final long epochNanos) {
        return new At(Kind.TIME, epochNanos);
    }

    /**
     * The tag as it was at this instant.
     *
     * @param instant the time
     * @return the point
     */
    public static At time(final Instant instant) {
        return time(Math.addExact(Math.multiplyExact(instant.getEpochSecond(), 1_000_000_000L), instant.getNano()));
    }

    /** Whether the entry {@code e} happened at or before this point. */
    boolean includes(final JournalEntry e) {
        switch (kind) {
            case VERSION:
                return e.version() <= value;
            case INDEX:
                return e.index() <= value;
            default:
                return e.time() <= value;
        }
    }

    @Override
    public String toString() {
        return kind == Kind.INDEX ? "index=0x" + Long.toHexString(value) : kind.name().toLowerCase() + "=" + value;
    }
}
