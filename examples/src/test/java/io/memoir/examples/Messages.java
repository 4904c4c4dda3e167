package io.memoir.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.memoir.store.testing.ChildJvm;
import java.time.Duration;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Checks of the {@code msg N} writer/reader pairs' output. */
final class Messages {
    private static final Pattern MSG = Pattern.compile("msg (\\d+)");

    private Messages() {
    }

    /**
     * Runs {@code main writerRole where count intervalMs} as one JVM and, once it wrote its first
     * message, {@code main readerRole where ...} as another that reads until it sees the last; then
     * checks both sides' output.
     */
    static void assertJvmPair(final Class<?> main, final String writerRole, final String readerRole, final String where,
                              final int count, final int intervalMs, final Duration timeout) throws InterruptedException {
        try (ChildJvm writer = ChildJvm.start(main, writerRole, where, "" + count, "" + intervalMs)) {
            writer.await("wrote msg 1"::equals, timeout);
            try (ChildJvm reader = ChildJvm.start(main, readerRole, where, "100000", "20", "msg " + count)) {
                final List<String> read = reader.finish(timeout);
                assertEquals(0, reader.exitCode(), String.join("\n", read));
                assertReadInOrder(read, count);
            }
            final List<String> wrote = writer.finish(timeout);
            assertEquals(0, writer.exitCode(), String.join("\n", wrote));
            assertWrote(wrote, count);
        }
    }

    /** The writer printed {@code wrote msg 1} to {@code wrote msg count}, in order. */
    static void assertWrote(final List<String> writer, final int count) {
        for (int i = 1; i <= count; i++) {
            assertEquals("wrote msg " + i, writer.get(i - 1), String.join("\n", writer));
        }
    }

    /**
     * Every message the reader printed is one the writer wrote, whole, in the order written, ending
     * with the last one; lines in parentheses (the Java reader waiting for the file) may come first.
     */
    static void assertReadInOrder(final List<String> reader, final int count) {
        final String all = String.join("\n", reader);
        int previous = 0;
        int messages = 0;
        for (String line : reader) {
            if (messages == 0 && line.startsWith("(")) {
                continue;
            }
            final Matcher m = MSG.matcher(line);
            assertTrue(m.matches(), "not a whole message: \"" + line + "\" in\n" + all);
            final int n = Integer.parseInt(m.group(1));
            assertTrue(n >= previous && n >= 1 && n <= count, "msg " + n + " after msg " + previous + " in\n" + all);
            previous = n;
            messages++;
        }
        assertEquals(count, previous, "the reader's last message, in\n" + all);
    }
}
