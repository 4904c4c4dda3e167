package io.memoir.store;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/** The regions as they were at one journal index: what replaying the journal up to it gives. */
public final class Snapshot {
    private final long index;
    private final Map<String, TagState> states;

    Snapshot(final long index, final Map<String, TagState> states) {
        this.index = index;
        this.states = new TreeMap<>(states);
    }

    /**
     * The last journal index applied.
     *
     * @return the index, or -1 if no entry was applied
     */
    public long index() {
        return index;
    }

    /**
     * The regions that existed, sorted by tag.
     *
     * @return their infos
     */
    public List<RegionInfo> regions() {
        final List<RegionInfo> out = new ArrayList<>();
        for (TagState st : states.values()) {
            if (!st.deleted) {
                out.add(st.info());
            }
        }
        return out;
    }

    /**
     * Whether the region existed.
     *
     * @param tag the tag
     * @return true if it existed then
     */
    public boolean contains(final String tag) {
        final TagState st = states.get(tag);
        return st != null && !st.deleted;
    }

    /**
     * A region's content then.
     *
     * @param tag the tag
     * @return a copy of its content
     * @throws MemoirException.RegionNotFoundException if it did not exist then
     */
    public byte[] content(final String tag) {
        final TagState st = states.get(tag);
        if (st == null || st.deleted) {
            throw new MemoirException.RegionNotFoundException(tag, "snapshot at index=0x" + Long.toHexString(index));
        }
        return st.content.clone();
    }
}
