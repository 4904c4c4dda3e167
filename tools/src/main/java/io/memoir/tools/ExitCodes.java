package io.memoir.tools;

import picocli.CommandLine;

/**
 * The exit codes of every {@code memoir} command, listed in {@code memoir --help}.
 *
 * <ul>
 *   <li>{@link #OK} (0): done; for {@code verify}, map and journal agree;</li>
 *   <li>{@link #FAILURE} (1): the store could not do it (unknown tag, missing, locked or corrupt store,
 *       store full) or {@code verify} found differences;</li>
 *   <li>{@link #USAGE} (2): the command line is wrong (unknown option, malformed hex or JSON, offset
 *       outside the region, bad index or time).</li>
 * </ul>
 */
public final class ExitCodes {
    /** Done. */
    public static final int OK = CommandLine.ExitCode.OK;
    /** The store could not do it, or {@code verify} found differences. */
    public static final int FAILURE = CommandLine.ExitCode.SOFTWARE;
    /** The command line is wrong. */
    public static final int USAGE = CommandLine.ExitCode.USAGE;

    private ExitCodes() {
    }
}
