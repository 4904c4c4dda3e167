package io.memoir.store;

/**
 * The root of every failure of a {@link Store}: unchecked, with one subclass per kind of failure.
 *
 * <p>Messages give the facts as {@code name=value}, name the tag and the file involved and, where
 * there is one, say what to do. A call that throws a {@code MemoirException} has changed nothing:
 * neither the map nor the journal. Precondition failures (null arguments, negative lengths, offsets
 * outside a region) use the JDK's standard exceptions instead.
 */
public class MemoirException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    MemoirException(final String message) {
        super(message);
    }

    MemoirException(final String message, final Throwable cause) {
        super(message, cause);
    }

    /** The store cannot take another region, or a region of that size: it says how to grow it. */
    public static final class StoreFullException extends MemoirException {
        private static final long serialVersionUID = 1L;

        StoreFullException(final String message) {
            super(message);
        }

        StoreFullException(final String message, final Throwable cause) {
            super(message, cause);
        }
    }

    /** No region has that tag. */
    public static final class RegionNotFoundException extends MemoirException {
        private static final long serialVersionUID = 1L;
        private final String tag;

        RegionNotFoundException(final String tag, final Object where) {
            super("no region with tag=" + tag + " in store=" + where
                + " (create it with Store.region(tag, length))");
            this.tag = tag;
        }

        RegionNotFoundException(final String tag, final Object where, final String detail) {
            super("no region with tag=" + tag + " in store=" + where + " " + detail);
            this.tag = tag;
        }

        /**
         * The tag that was not found.
         *
         * @return the tag
         */
        public String tag() {
            return tag;
        }
    }

    /** A write was attempted through a store opened read-only. */
    public static final class ReadOnlyStoreException extends MemoirException {
        private static final long serialVersionUID = 1L;

        ReadOnlyStoreException(final String message) {
            super(message);
        }
    }

    /**
     * A store file is damaged, is not a store, or was written by a newer Memoir. The message names
     * the file and, where known, the position.
     */
    public static class CorruptStoreException extends MemoirException {
        private static final long serialVersionUID = 1L;

        CorruptStoreException(final String message) {
            super(message);
        }

        CorruptStoreException(final String message, final Throwable cause) {
            super(message, cause);
        }
    }

    /** The directory exists but is not a Memoir store; nothing in it was touched. */
    public static final class NotAStoreException extends CorruptStoreException {
        private static final long serialVersionUID = 1L;

        NotAStoreException(final String message) {
            super(message);
        }
    }

    /** A region holds no object, or an object of another type than the one asked for. */
    public static final class WrongTypeException extends MemoirException {
        private static final long serialVersionUID = 1L;

        WrongTypeException(final String tag, final long version, final String storedType, final String requestedType) {
            super("tag=" + tag + " (version " + version + ") holds a " + storedType + ", not a " + requestedType);
        }

        WrongTypeException(final String message, final Throwable cause) {
            super(message, cause);
        }
    }

    /** A compare-and-set found another version than the one expected. */
    public static final class VersionConflictException extends MemoirException {
        private static final long serialVersionUID = 1L;
        private final long expectedVersion;
        private final long actualVersion;

        VersionConflictException(final String tag, final long expectedVersion, final long actualVersion) {
            super("version conflict on tag=" + tag + ": expectedVersion=" + expectedVersion
                + ", actualVersion=" + actualVersion);
            this.expectedVersion = expectedVersion;
            this.actualVersion = actualVersion;
        }

        /**
         * The version the caller expected.
         *
         * @return the expected version
         */
        public long expectedVersion() {
            return expectedVersion;
        }

        /**
         * The version the region had.
         *
         * @return the actual version
         */
        public long actualVersion() {
            return actualVersion;
        }
    }

    /**
     * A lock stayed held by a live process for longer than the configured lock timeout (a stopped or
     * hung process). Locks held by dead processes are never reported: they are recovered.
     */
    public static final class StaleLockException extends MemoirException {
        private static final long serialVersionUID = 1L;

        StaleLockException(final String message) {
            super(message);
        }
    }
}
