package io.memoir.store;

/** What the region table calls when it finds work left by a dead process. Called under the map lock. */
interface Repair {

    /** Finishes or undoes what a dead writer of {@code tag} left, from the journal. */
    String repairTag(String tag);

    /** Rebuilds {@code tag}'s record from the journal alone. */
    String rebuildTag(String tag);

    /** Records what was repaired. */
    void report(String what);
}
