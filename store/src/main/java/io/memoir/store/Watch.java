package io.memoir.store;

import java.util.Arrays;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.Objects;
import java.util.Set;

/**
 * What to watch and from where: one tag, a set of tags or all; from now, from the journal's start,
 * from an index, after a version of one tag, or from a durable named cursor. Immutable; each method
 * returns a new spec.
 *
 * <pre>{@code
 * try (Watcher w = store.watch(Watch.tag("config").afterVersion(seen))) {
 *     JournalEntry change = w.next(Duration.ofSeconds(1));   // null if nothing came
 * }
 * Subscription s = store.subscribe(Watch.all().cursor("billing"), change -> bill(change));
 * }</pre>
 */
public final class Watch {
    static final long FROM_NOW = -2;
    static final long FROM_START = -1;
    static final int ANY_CPU = -1;

    final Set<String> tags;
    final long fromIndex;
    final long afterVersion;
    final String cursor;
    final Backoff backoff;
    final int cpu;

    private Watch(final Set<String> tags, final long fromIndex, final long afterVersion, final String cursor,
                  final Backoff backoff, final int cpu) {
        this.tags = tags;
        this.fromIndex = fromIndex;
        this.afterVersion = afterVersion;
        this.cursor = cursor;
        this.backoff = backoff;
        this.cpu = cpu;
    }

    /**
     * Changes of one tag, from now.
     *
     * @param tag the tag
     * @return the spec
     */
    public static Watch tag(final String tag) {
        return tags(tag);
    }

    /**
     * Changes of any of these tags, from now.
     *
     * @param tags the tags
     * @return the spec
     */
    public static Watch tags(final String... tags) {
        return tags(Arrays.asList(tags));
    }

    /**
     * Changes of any of these tags, from now.
     *
     * @param tags the tags, at least one
     * @return the spec
     */
    public static Watch tags(final Collection<String> tags) {
        if (tags.isEmpty()) {
            throw new IllegalArgumentException("no tag to watch (use Watch.all() to watch every tag)");
        }
        final Set<String> set = new LinkedHashSet<>();
        for (String t : tags) {
            Tags.check(t);
            set.add(t);
        }
        return new Watch(Set.copyOf(set), FROM_NOW, Engine.ANY_VERSION, null, Backoff.DEFAULT, ANY_CPU);
    }

    /**
     * Changes of every tag, from now.
     *
     * @return the spec
     */
    public static Watch all() {
        return new Watch(null, FROM_NOW, Engine.ANY_VERSION, null, Backoff.DEFAULT, ANY_CPU);
    }

    /**
     * Starts with the next change (the default).
     *
     * @return the spec
     */
    public Watch fromNow() {
        return new Watch(tags, FROM_NOW, afterVersion, cursor, backoff, cpu);
    }

    /**
     * Starts with the journal's first entry: the whole history, then live changes.
     *
     * @return the spec
     */
    public Watch fromStart() {
        return new Watch(tags, FROM_START, afterVersion, cursor, backoff, cpu);
    }

    /**
     * Starts with the journal entry at {@code index} (inclusive).
     *
     * @param index a journal index
     * @return the spec
     */
    public Watch fromIndex(final long index) {
        if (index < 0) {
            throw new IllegalArgumentException("negative journal index: index=" + index);
        }
        return new Watch(tags, index, afterVersion, cursor, backoff, cpu);
    }

    /**
     * Starts with the change that made version {@code version + 1} of the one watched tag.
     *
     * @param version a version of the tag; 0 for its whole history
     * @return the spec
     */
    public Watch afterVersion(final long version) {
        if (tags == null || tags.size() != 1) {
            throw new IllegalArgumentException("afterVersion needs exactly one watched tag, not " + describe());
        }
        if (version < 0) {
            throw new IllegalArgumentException("negative version: version=" + version);
        }
        return new Watch(tags, FROM_START, version, cursor, backoff, cpu);
    }

    /**
     * Resumes just after the last change acknowledged by the durable cursor {@code name}; a cursor
     * that has acknowledged nothing starts where this spec otherwise says. A {@link Subscription}
     * acknowledges each change after its callback returns; a {@link Watcher} when told to.
     *
     * @param name 1 to 54 characters from {@code [A-Za-z0-9._-]}
     * @return the spec
     */
    public Watch cursor(final String name) {
        Cursors.checkName(name);
        return new Watch(tags, fromIndex, afterVersion, name, backoff, cpu);
    }

    /**
     * How to wait for changes ({@link Backoff#DEFAULT} unless set).
     *
     * @param backoff the back-off
     * @return the spec
     */
    public Watch backoff(final Backoff backoff) {
        return new Watch(tags, fromIndex, afterVersion, cursor, Objects.requireNonNull(backoff, "backoff"), cpu);
    }

    /**
     * Binds a {@linkplain Store#subscribe subscription}'s thread to one CPU before its first poll
     * (OpenHFT Affinity; {@code sched_setaffinity} on Linux), as a low-latency deployment gives a
     * busy-spinning consumer a CPU of its own. That CPU should be kept free of other work
     * ({@code isolcpus}, a cpuset, or moving other tasks off it); binding alone does not keep others
     * off. A {@link Watcher} and {@link Store#await} run on the caller's thread, which the caller binds
     * ({@code net.openhft.affinity.Affinity.setAffinity}), so {@link Store#watch} refuses a spec with a
     * CPU. {@code subscribe} fails, starting nothing, if the thread cannot be bound.
     *
     * @param cpu a CPU number, 0 or more
     * @return the spec
     */
    public Watch cpu(final int cpu) {
        if (cpu < 0) {
            throw new IllegalArgumentException("negative CPU number: cpu=" + cpu);
        }
        return new Watch(tags, fromIndex, afterVersion, cursor, backoff, cpu);
    }

    boolean matches(final JournalEntry e) {
        return (tags == null || tags.contains(e.tag())) && (afterVersion == Engine.ANY_VERSION || e.version() > afterVersion);
    }

    String describe() {
        return tags == null ? "all tags" : "tags=" + tags;
    }

    @Override
    public String toString() {
        return "Watch{" + describe() + (fromIndex == FROM_NOW ? ", from now" : fromIndex == FROM_START ? ", from start"
            : ", from index=0x" + Long.toHexString(fromIndex)) + (afterVersion >= 0 ? ", after version=" + afterVersion
            : "") + (cursor == null ? "" : ", cursor=" + cursor) + (cpu == ANY_CPU ? "" : ", cpu=" + cpu) + "}";
    }
}
