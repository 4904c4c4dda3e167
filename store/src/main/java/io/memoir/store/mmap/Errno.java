package io.memoir.store.mmap;

import java.io.FileNotFoundException;
import java.io.IOException;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.NonReadableChannelException;
import java.nio.channels.NonWritableChannelException;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileSystemException;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;

/**
 * Linux {@code errno} values and their {@code strerror} texts, and the one place where Java I/O
 * failures become {@link Mmap.OSError}s. Not API.
 */
final class Errno {

    /** No such file or directory. */
    static final int ENOENT = 2;
    /** Input/output error. */
    static final int EIO = 5;
    /** Bad file descriptor. */
    static final int EBADF = 9;
    /** Cannot allocate memory. */
    static final int ENOMEM = 12;
    /** Permission denied. */
    static final int EACCES = 13;
    /** Bad address: what the adapter reports where CPython dies of SIGBUS. */
    static final int EFAULT = 14;
    /** Is a directory. */
    static final int EISDIR = 21;
    /** Invalid argument. */
    static final int EINVAL = 22;
    /** File too large. */
    static final int EFBIG = 27;
    /** No space left on device. */
    static final int ENOSPC = 28;

    private static final String[][] TABLE = {
        {"2", "No such file or directory"},
        {"5", "Input/output error"},
        {"9", "Bad file descriptor"},
        {"12", "Cannot allocate memory"},
        {"13", "Permission denied"},
        {"14", "Bad address"},
        {"21", "Is a directory"},
        {"22", "Invalid argument"},
        {"27", "File too large"},
        {"28", "No space left on device"},
    };

    private Errno() {
    }

    /** C's {@code strerror(errno)} on Linux (glibc), for the values this adapter uses. */
    static String strerror(int errno) {
        for (String[] row : TABLE) {
            if (Integer.parseInt(row[0]) == errno) {
                return row[1];
            }
        }
        return "Unknown error " + errno;
    }

    /** The errno whose text is {@code reason}, or {@code EIO} if none is. */
    static int fromReason(String reason) {
        if (reason != null) {
            for (String[] row : TABLE) {
                if (reason.equals(row[1])) {
                    return Integer.parseInt(row[0]);
                }
            }
        }
        return EIO;
    }

    /** The text in the last parentheses: {@code RandomAccessFile} reports "path (reason)". */
    private static String parenthesized(String message) {
        if (message == null || !message.endsWith(")")) {
            return message;
        }
        int open = message.lastIndexOf('(');
        return open < 0 ? message : message.substring(open + 1, message.length() - 1);
    }

    /** {@code OSError(errno, strerror(errno))}: message {@code "[Errno 22] Invalid argument"}. */
    static Mmap.OSError error(int errno) {
        return new Mmap.OSError(errno, "[Errno " + errno + "] " + strerror(errno), null);
    }

    /**
     * The {@code EFAULT} error that stands for CPython's death by {@code SIGBUS} at {@code pos}:
     * message {@code "[Errno 14] Bad address (CPython would die of SIGBUS here: why; pos=.., where)"}.
     *
     * @param pos the first byte with no storage behind it
     * @param why what happened to the storage
     * @param where what is mapped, e.g. {@code "file=/tmp/x, offset=0"}
     * @param cause the JVM's or the store's own report, or null
     */
    static Mmap.OSError sigbus(long pos, String why, String where, Throwable cause) {
        String message = "[Errno " + EFAULT + "] " + strerror(EFAULT) + " (CPython would die of SIGBUS here: "
                + why + "; pos=" + pos + ", " + where + ")";
        return new Mmap.OSError(EFAULT, message, cause == null ? null
                : cause instanceof IOException ? (IOException) cause : new IOException(cause));
    }

    /**
     * The {@code OSError} Python's {@code open(file)} raises, message
     * {@code "[Errno 2] No such file or directory: '/path'"}.
     */
    static Mmap.OSError error(int errno, Path file, IOException cause) {
        String message = "[Errno " + errno + "] " + strerror(errno) + ": '" + file + "'";
        return new Mmap.OSError(errno, message, cause);
    }

    /** Maps an I/O failure on {@code file} (null when unknown) to the {@code OSError} C would see. */
    static Mmap.OSError fromIo(Exception e, Path file) {
        int errno;
        if (e instanceof NoSuchFileException) {
            errno = ENOENT;
        } else if (e instanceof AccessDeniedException
                || e instanceof NonWritableChannelException
                || e instanceof NonReadableChannelException) {
            errno = EACCES;
        } else if (e instanceof ClosedChannelException) {
            errno = EBADF;
        } else if (e instanceof FileSystemException) {
            errno = fromReason(((FileSystemException) e).getReason());
        } else if (e instanceof FileNotFoundException) {
            errno = fromReason(parenthesized(e.getMessage()));
        } else {
            errno = fromReason(e.getMessage());
        }
        IOException cause = e instanceof IOException ? (IOException) e : new IOException(e);
        if (file != null && (e instanceof FileSystemException || e instanceof FileNotFoundException)) {
            return error(errno, file, cause);
        }
        return new Mmap.OSError(errno, "[Errno " + errno + "] " + strerror(errno), cause);
    }
}
