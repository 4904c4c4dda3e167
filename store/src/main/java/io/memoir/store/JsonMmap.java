package io.memoir.store;

import java.time.Duration;
import java.util.Objects;

/**
 * The seed articles' {@code jsonmmap.ObjectMmap} (one master publishes a JSON object, followers read
 * it), done right: a follower never sees a partial object, because the object is one atomic store
 * write; an error is thrown, never hidden behind a stale cached object; and followers can wait for a
 * change instead of polling. Values are JSON-like: {@link java.util.Map}, {@link java.util.List},
 * strings, numbers (integers come back as {@code Long}), booleans and null.
 *
 * <pre>{@code
 * JsonMmap master = new JsonMmap(store, "share_mmap");     // ObjectMmap(tagname='share_mmap')
 * master.jsonWrite(List.of(1, 2, 3));                      // jsonwrite(obj)
 * Object mine = master.jsonReadMaster();                   // jsonread_master()
 * Object latest = new JsonMmap(store, "share_mmap").jsonReadFollower();   // jsonread_follower()
 * }</pre>
 *
 * <p>Thread-safe if the store is.
 */
public final class JsonMmap {
    private final Store store;
    private final String tagname;
    private volatile long lastWritten;

    /**
     * The shared object named {@code tagname} in {@code store} (the seed's {@code tagname} argument).
     *
     * @param store   the store
     * @param tagname the tag
     */
    public JsonMmap(final Store store, final String tagname) {
        this.store = Objects.requireNonNull(store, "store");
        this.tagname = Objects.requireNonNull(tagname, "tagname");
    }

    /**
     * Publishes {@code obj}. Equivalent to {@code ObjectMmap.jsonwrite(obj)}, which returned False on
     * any error; here errors are thrown.
     *
     * @param obj a JSON-like value
     * @return the version written
     */
    public long jsonWrite(final Object obj) {
        final long version = store.put(tagname, obj);
        lastWritten = version;
        return version;
    }

    /**
     * The object this master last wrote, read back from the store. Equivalent to
     * {@code ObjectMmap.jsonread_master()}, which returned its cached object when the read failed;
     * here a failure is thrown, and so is a change by another writer.
     *
     * @return the object
     * @throws IllegalStateException                   if this instance wrote nothing yet
     * @throws MemoirException.VersionConflictException if another writer changed it since
     */
    public Object jsonReadMaster() {
        final long mine = lastWritten;
        if (mine == 0) {
            throw new IllegalStateException("jsonReadMaster before any jsonWrite on tagname=" + tagname
                + " (a master reads back what it wrote; followers use jsonReadFollower)");
        }
        final Versioned<Object> v = store.getVersioned(tagname, Object.class);
        if (v.version() != mine) {
            throw new MemoirException.VersionConflictException(tagname, mine, v.version());
        }
        return v.value();
    }

    /**
     * The latest object, complete. Equivalent to {@code ObjectMmap.jsonread_follower()}, which could
     * return a torn object or a stale cached one; this returns the whole latest object, or null if none
     * was published yet.
     *
     * @return the object, or null if the tag does not exist yet
     */
    public Object jsonReadFollower() {
        final Versioned<Object> v = jsonReadFollowerVersioned();
        return v == null ? null : v.value();
    }

    /**
     * The latest object with its version.
     *
     * @return the object and version, or null if the tag does not exist yet
     */
    public Versioned<Object> jsonReadFollowerVersioned() {
        try {
            return store.getVersioned(tagname, Object.class);
        } catch (MemoirException.RegionNotFoundException e) {
            return null;
        }
    }

    /**
     * Waits until a version after {@code afterVersion} is published: what followers of the seed code
     * could only do by polling.
     *
     * @param afterVersion the version already read (0: none)
     * @param timeout      how long to wait at most
     * @return the current version; above {@code afterVersion} unless the timeout came first
     */
    public long awaitChange(final long afterVersion, final Duration timeout) {
        return store.await(tagname, afterVersion, timeout);
    }

    /**
     * The tag this object is shared under.
     *
     * @return the tagname
     */
    public String tagname() {
        return tagname;
    }

    @Override
    public String toString() {
        return "JsonMmap{" + tagname + " in " + store + "}";
    }
}
