package io.memoir.store;

/**
 * When a store forces its files to the storage device. Every returned write is in the OS page cache
 * whatever the policy, so it survives the death of the process; the policy decides what survives the
 * death of the machine.
 */
public enum SyncPolicy {
    /** Never sync explicitly; the OS writes pages back in its own time. Fastest. */
    NONE,
    /** Sync the journal and the map when {@link Store#flush()} is called. */
    ON_FLUSH,
    /** Sync the journal after every mutation, before the call returns. Slowest; power-loss safe. */
    EVERY_WRITE
}
