package io.memoir.store;

/**
 * What a listing says of one region, read consistently at one moment.
 *
 * @param tag       the region's tag
 * @param length    its length in bytes
 * @param version   its version: 1 after CREATE, one more for every mutation since
 * @param lastTime  when it last changed, epoch nanoseconds
 * @param writer    pid of the process that last changed it
 * @param lastIndex journal index of its last change
 */
public record RegionInfo(String tag, int length, long version, long lastTime, int writer, long lastIndex) {
}
