package io.memoir.store;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.EnumSet;
import java.util.Set;
import java.util.stream.Stream;
import net.openhft.chronicle.queue.impl.StoreFileListener;

/**
 * Owner-only store files (DESIGN.md §6). Chronicle Map and Chronicle Queue create their files with the
 * process's umask, so Memoir sets the modes itself: the store directory gets its mode when the store
 * is created ({@code rwx------} unless {@link Store.Builder#filePermissions(String)} says otherwise),
 * and every file takes the directory's mode without execute bits: at each writable open (a walk of
 * the directory) and for each journal file as the queue acquires it (Chronicle calls that listener on
 * its background thread, so a journal file created while the store is open is protected by the
 * directory alone for a moment). A file the process cannot chmod (another user's, in a group-shared
 * store) is left as it is.
 */
final class FileModes {
    /** The default file mode: 0600. */
    static final Set<PosixFilePermission> OWNER_ONLY = PosixFilePermissions.fromString("rw-------");

    private FileModes() {
    }

    static boolean posix(final Path dir) {
        return dir.getFileSystem().supportedFileAttributeViews().contains("posix");
    }

    /** Checks a file mode given by a user: 9 characters, owner read and write, no execute bits. */
    static Set<PosixFilePermission> parseFileMode(final String mode) {
        final Set<PosixFilePermission> perms = PosixFilePermissions.fromString(mode);
        if (!perms.contains(PosixFilePermission.OWNER_READ) || !perms.contains(PosixFilePermission.OWNER_WRITE)
            || perms.contains(PosixFilePermission.OWNER_EXECUTE) || perms.contains(PosixFilePermission.GROUP_EXECUTE)
            || perms.contains(PosixFilePermission.OTHERS_EXECUTE)) {
            throw new IllegalArgumentException("bad file permissions: filePermissions=" + mode
                + " (the owner needs rw, and files get no x: for example rw------- or rw-r-----)");
        }
        return perms;
    }

    /** A directory's mode for a file mode: the same, plus execute wherever read is granted. */
    static Set<PosixFilePermission> directoryMode(final Set<PosixFilePermission> file) {
        final Set<PosixFilePermission> dir = EnumSet.copyOf(file);
        if (file.contains(PosixFilePermission.OWNER_READ)) {
            dir.add(PosixFilePermission.OWNER_EXECUTE);
        }
        if (file.contains(PosixFilePermission.GROUP_READ)) {
            dir.add(PosixFilePermission.GROUP_EXECUTE);
        }
        if (file.contains(PosixFilePermission.OTHERS_READ)) {
            dir.add(PosixFilePermission.OTHERS_EXECUTE);
        }
        return dir;
    }

    /** The mode of the store's files: the store directory's mode without execute bits. */
    static Set<PosixFilePermission> fileModeOf(final Path storeDir) throws IOException {
        final Set<PosixFilePermission> mode = EnumSet.copyOf(Files.getPosixFilePermissions(storeDir));
        mode.remove(PosixFilePermission.OWNER_EXECUTE);
        mode.remove(PosixFilePermission.GROUP_EXECUTE);
        mode.remove(PosixFilePermission.OTHERS_EXECUTE);
        return mode;
    }

    /** Gives every file and subdirectory of {@code storeDir} the store's modes (POSIX only). */
    static void apply(final Path storeDir) {
        if (!posix(storeDir)) {
            return;
        }
        try {
            final Set<PosixFilePermission> dirMode = Files.getPosixFilePermissions(storeDir);
            final Set<PosixFilePermission> fileMode = fileModeOf(storeDir);
            try (Stream<Path> all = Files.walk(storeDir)) {
                all.filter(p -> !p.equals(storeDir))
                    .forEach(p -> set(p, Files.isDirectory(p) ? dirMode : fileMode));
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot set file modes in store dir=" + storeDir + ": " + e.getMessage(), e);
        } catch (UncheckedIOException e) {
            // a file removed during the walk (a journal file another JVM released); nothing to protect
        }
    }

    /** Sets {@code mode} on {@code file} unless it has it; a file this process may not chmod is skipped. */
    static void set(final Path file, final Set<PosixFilePermission> mode) {
        try {
            if (!Files.getPosixFilePermissions(file).equals(mode)) {
                Files.setPosixFilePermissions(file, mode);
            }
        } catch (NoSuchFileException gone) {
            // removed meanwhile
        } catch (IOException notOurs) {
            // another user's file in a shared store: its owner set its mode
        }
    }

    /** A queue listener giving each journal file the store's file mode when it is acquired. */
    static StoreFileListener journalListener(final Path storeDir) {
        if (!posix(storeDir)) {
            return StoreFileListener.noOp();
        }
        return new StoreFileListener() {
            @Override
            public void onAcquired(final int cycle, final File file) {
                try {
                    set(file.toPath(), fileModeOf(storeDir));
                } catch (IOException e) {
                    // the store directory is unreadable to us: nothing we could tighten
                }
            }

            @Override
            public void onReleased(final int cycle, final File file) {
                // nothing to do
            }
        };
    }
}
