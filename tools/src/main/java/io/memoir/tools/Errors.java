package io.memoir.tools;

import io.memoir.store.MemoirException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import picocli.CommandLine;
import picocli.CommandLine.IExecutionExceptionHandler;
import picocli.CommandLine.IParameterExceptionHandler;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.ParseResult;

/**
 * Turns every failure into one line on stderr, {@code memoir COMMAND: what (where)}, and an exit code:
 * {@link ExitCodes#USAGE} for a wrong command line, {@link ExitCodes#FAILURE} for what the store could
 * not do. Stack traces only with {@code -v}.
 */
final class Errors implements IExecutionExceptionHandler, IParameterExceptionHandler {

    @Override
    public int handleParseException(final ParameterException ex, final String[] args) {
        final CommandLine cmd = ex.getCommandLine();
        cmd.getErr().println(cmd.getCommandSpec().qualifiedName() + ": " + ex.getMessage()
            + " (see '" + cmd.getCommandSpec().qualifiedName() + " --help')");
        cmd.getErr().flush();
        return ExitCodes.USAGE;
    }

    @Override
    public int handleExecutionException(final Exception ex, final CommandLine cmd, final ParseResult parseResult) {
        final PrintWriter err = cmd.getErr();
        final Object opts = cmd.getCommandSpec().mixins().containsKey("store")
            ? cmd.getCommandSpec().mixins().get("store").userObject() : null;
        final StoreOptions store = opts instanceof StoreOptions ? (StoreOptions) opts : null;
        // The store's hint names its Java API; at the command line, ls is the way to look.
        String message = ex instanceof MemoirException.RegionNotFoundException nf && store != null
            && String.valueOf(nf.getMessage()).contains("Store.region(")
            ? "no region with tag=" + nf.tag() + " in store=" + store.dir() + " (see 'memoir ls')" : message(ex);
        if (store != null && (ex instanceof MemoirException || ex instanceof IndexOutOfBoundsException)) {
            final String dir = store.dir().toString();
            if (!message.contains(dir)) {
                message += " (store=" + dir + ")";
            }
        }
        err.println(cmd.getCommandSpec().qualifiedName() + ": " + message);
        if (store != null && store.verbose) {
            ex.printStackTrace(err);
        }
        err.flush();
        return exitCode(ex);
    }

    static int exitCode(final Throwable ex) {
        if (ex instanceof UsageException || ex instanceof IllegalArgumentException
            || ex instanceof IndexOutOfBoundsException || ex instanceof ParameterException) {
            return ExitCodes.USAGE;
        }
        return ExitCodes.FAILURE;
    }

    private static String message(final Throwable ex) {
        Throwable t = ex;
        if (t instanceof UncheckedIOException && t.getCause() != null && t.getMessage() == null) {
            t = t.getCause();
        }
        final String m = t.getMessage();
        if (m == null || m.isBlank()) {
            return t.getClass().getSimpleName();
        }
        final String oneLine = m.strip().replace('\n', ' ');
        return t instanceof MemoirException || t instanceof RuntimeException ? oneLine
            : t.getClass().getSimpleName() + ": " + oneLine;
    }
}
