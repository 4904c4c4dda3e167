/**
 * Memoir's store: named byte regions shared by many JVMs through one directory, every change kept in
 * a journal that can be replayed, verified and tailed.
 *
 * <p>Start with {@link io.memoir.store.Store#open(java.nio.file.Path)}, then
 * {@link io.memoir.store.Store#region(String, int)}.
 *
 * <h2>Priorities</h2>
 * <ol>
 *   <li>Never lose an acknowledged write, never show a torn one, never block for long on a dead
 *       process (see {@code docs/architecture.md}).</li>
 *   <li>The journal is the source of truth: replaying it gives exactly the regions.</li>
 *   <li>Speed: writes cost what their bytes cost, reads take no lock, nothing allocates on the data path.</li>
 * </ol>
 *
 * <h2>Threads</h2>
 * {@link io.memoir.store.Store}, {@link io.memoir.store.Region} and {@link io.memoir.store.Journal} are
 * thread-safe; {@link io.memoir.store.JournalReader} is not (one per thread). Closing a store while
 * other threads use it is a usage error.
 *
 * <h2>Errors</h2>
 * Store failures throw an unchecked {@link io.memoir.store.MemoirException} subclass whose message
 * names the tag, the file and the values involved. Precondition failures throw the JDK's exceptions:
 * {@code NullPointerException}, {@code IllegalArgumentException} (bad tag, negative length),
 * {@code IndexOutOfBoundsException} (a range outside a region). A call that throws has changed
 * nothing, neither the regions nor the journal.
 *
 * <h2>JVM options</h2>
 * On JDK 17 Chronicle needs the options in {@link io.memoir.store.JvmFlags#required()}; opening a store
 * without them fails with that list.
 */
package io.memoir.store;
