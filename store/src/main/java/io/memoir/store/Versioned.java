package io.memoir.store;

/**
 * One version of a tag's object, as read: which version, from which journal entry, when and by whom.
 *
 * @param tag     the tag
 * @param version the tag's version (1, 2, 3 … per tag)
 * @param index   the journal index of the change that made this version
 * @param time    when it was made, epoch nanoseconds
 * @param writer  the process id of the writer
 * @param value   the object
 * @param <T>     the object's type
 */
public record Versioned<T>(String tag, long version, long index, long time, int writer, T value) {
}
