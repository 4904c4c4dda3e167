package io.memoir.store.mmap;

import java.util.Locale;

/**
 * How a file map makes sure that the bytes an access touches still have storage behind them, so
 * that it raises {@link Mmap.OSError} errno 14 where CPython dies of {@code SIGBUS}: the values of
 * {@link Mmap#STORAGE_CHECK_PROP_NAME}. Anonymous and region maps check exactly without a system
 * call and ignore this. Not API.
 *
 * <p>The per-access test is the same for every mode (see {@code FileBacking.checkAccess}): the
 * access must lie within the length the map last saw ({@code fstat}), and no truncation may have
 * happened through Memoir in this JVM since ({@link Truncations#generation()}); otherwise the map
 * reads the file's length again. The modes differ only in what the map remembers.
 */
enum StorageCheck {

    /**
     * {@code fstat} before every access: exact whoever truncates the file (another process, other
     * code in this JVM), at the price of one system call per access. Remembers nothing.
     */
    STRICT,

    /**
     * The default: {@code fstat} only when the access goes beyond the length last seen or a
     * truncation went through Memoir ({@link Mmap#resize}, {@link Mmap#truncate}) since, so an
     * access costs one volatile read. Exact for those truncations; a truncation by other means
     * surfaces through the JVM's own {@code SIGBUS} handling.
     */
    TRACKED,

    /** Never checks: faults surface only through the JVM's own {@code SIGBUS} handling. */
    OFF;

    /**
     * The mode {@link Mmap#STORAGE_CHECK_PROP_NAME} names now, {@link #TRACKED} if unset.
     *
     * @throws IllegalArgumentException naming the property and its values if it has another value
     */
    static StorageCheck fromProperty() {
        return parse(System.getProperty(Mmap.STORAGE_CHECK_PROP_NAME));
    }

    /**
     * A property value: {@code strict} (or {@code true}, its old meaning), {@code tracked},
     * {@code off} (or {@code false}), in any case; null or empty is {@link #TRACKED}.
     */
    static StorageCheck parse(String value) {
        if (value == null || value.isBlank()) {
            return TRACKED;
        }
        switch (value.trim().toLowerCase(Locale.ROOT)) {
            case "strict":
            case "true":
                return STRICT;
            case "tracked":
                return TRACKED;
            case "off":
            case "false":
                return OFF;
            default:
                throw new IllegalArgumentException("-D" + Mmap.STORAGE_CHECK_PROP_NAME + "=" + value
                        + " is not a storage check mode: use strict (fstat before every access), tracked"
                        + " (the default) or off");
        }
    }
}
