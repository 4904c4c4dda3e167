package io.memoir.tools;

/** A bad argument found while running a command (malformed hex, bad index): exit code {@link ExitCodes#USAGE}. */
final class UsageException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    UsageException(final String message) {
        super(message);
    }

    UsageException(final String message, final Throwable cause) {
        super(message, cause);
    }
}
