package io.memoir.tools;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.memoir.store.RegionInfo;
import io.memoir.store.Store;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every kind of bad input through the built launcher: one line on stderr naming what and where, exit
 * code 2 for usage and 1 for failures, nothing on stdout, and the store unchanged.
 */
@Timeout(300)
class CliErrorsIT {
    @TempDir
    static Path tmp;
    static Path dir;

    @BeforeAll
    static void writeStore() {
        dir = tmp.resolve("store");
        try (Store s = Store.open(dir)) {
            s.region("alpha", 8).write(0, "abc".getBytes(UTF_8));
        }
    }

    /** The journal's last index and the listing: what must not change. */
    private static String state(final Path store) {
        try (Store s = Store.builder().readOnly(true).open(store)) {
            final List<RegionInfo> regions = s.list();
            return s.journal().lastIndex() + " " + regions;
        }
    }

    /** Runs a failing command; checks exit code, the one stderr line, empty stdout, unchanged store. */
    private static String fails(final int exitCode, final String... args) {
        final String before = state(dir);
        final Cli.Result r = Cli.run(args).expect(exitCode);
        assertEquals("", r.out(), "nothing on stdout");
        assertEquals(1, r.err().lines().count(), () -> "one line on stderr: " + r.err());
        assertTrue(r.err().startsWith("memoir " + args[0] + ": "), r.err());
        assertFalse(r.err().contains("\tat "), "no stack trace");
        assertEquals(before, state(dir), "store unchanged");
        return r.err().strip();
    }

    private static String store() {
        return "--store=" + dir;
    }

    @Test
    void shouldRejectUnknownTagWithFailure() {
        assertEquals("memoir get: no region with tag=nosuch in store=" + dir + " (see 'memoir ls')",
            fails(1, "get", store(), "nosuch"));
        assertTrue(fails(1, "rm", store(), "nosuch").contains("tag=nosuch"));
    }

    @Test
    void shouldRejectMissingAndForeignDirectoriesWithFailure() throws IOException {
        final Path missing = tmp.resolve("missing");
        final Cli.Result r = Cli.run("ls", "--store", missing.toString()).expect(1);
        assertEquals("memoir ls: no store to open read-only: dir=" + missing + " does not exist", r.err().strip());
        final Cli.Result w = Cli.run("put", "--store", missing.toString(), "x", "--offset=0", "--text=a").expect(1);
        assertEquals("memoir put: no store in dir=" + missing + " (it does not exist); create one with"
            + " 'memoir create TAG --length N'", w.err().strip());
        assertFalse(Files.exists(missing), "a failed command creates no store");

        final Path foreign = Files.createDirectories(tmp.resolve("foreign"));
        Files.writeString(foreign.resolve("notes.txt"), "not a store");
        final Cli.Result f = Cli.run("history", "--store=" + foreign, "alpha").expect(1);
        assertTrue(f.err().startsWith("memoir history: not a Memoir store: dir=" + foreign), f.err());
        try (var files = Files.list(foreign)) {
            assertEquals(1, files.count(), "nothing added to a foreign directory");
        }
    }

    @Test
    void shouldRejectBadOffsetsHexAndPositionsAsUsage() {
        assertEquals("memoir put: write outside the region: tag=alpha, offset=6, length=3, regionLength=8"
            + " (store=" + dir + ")", fails(2, "put", store(), "alpha", "--offset", "6", "--text", "xyz"));
        assertTrue(fails(2, "put", store(), "alpha", "--offset=-1", "--text=x").contains("negative offset"));
        assertEquals("memoir put: malformed hex: 'zz' at digit=2 in '41zz'", fails(2, "put", store(), "alpha", "--hex", "41zz"));
        assertTrue(fails(2, "put", store(), "alpha", "--hex", "414").contains("odd number of digits=3"));
        assertTrue(fails(2, "put", store(), "alpha").contains("exactly one of --text S, --hex H, --file F, or -"));
        assertTrue(fails(2, "tail", store(), "--from", "yesterday").contains("not a journal position: 'yesterday'"));
        assertTrue(fails(2, "get", store(), "alpha", "--at-version", "9").contains("no version=9 of tag=alpha"));
        assertTrue(fails(2, "ls", store(), "--bogus").contains("Unknown option: '--bogus'"));
        assertEquals("memoir put-json: malformed JSON at line 1, column 9: expected a value, found end of input"
            + " (for tag=cfg; nothing was written)", fails(2, "put-json", store(), "cfg", "{\"name\":"));
        assertTrue(fails(1, "get", store(), "alpha", "--format=json").contains("holds 8 raw bytes, not an object"));
    }

    @Test
    void shouldRejectReplayIntoNonEmptyDirectoryAsUsage() throws IOException {
        final Path target = Files.createDirectories(tmp.resolve("full"));
        Files.writeString(target.resolve("x"), "x");
        assertTrue(fails(2, "replay", store(), "--to", target.toString()).contains("replay target is not empty"));
    }

    @Test
    void shouldReportStoreFullWithFailureAndTheGrowHint() {
        final String err = fails(1, "create", store(), "huge", "--length", String.valueOf(64 << 20));
        assertTrue(err.contains("region too large: tag=huge"), err);
        assertTrue(err.contains("memoir grow"), err);
    }

    @Test
    void shouldReportCorruptStoreWithFailure() throws IOException {
        final Path corrupt = tmp.resolve("corrupt");
        try (Store s = Store.open(corrupt)) {
            s.region("a", 1);
        }
        final Path descriptor = corrupt.resolve("memoir.yaml");
        Files.writeString(descriptor, Files.readString(descriptor).replace("maxRegions: 1024", "maxRegions: many"));
        final Cli.Result r = Cli.run("ls", "--store=" + corrupt).expect(1);
        assertEquals("memoir ls: store descriptor=" + descriptor + " is damaged: key=maxRegions is not a number:"
            + " value=many", r.err().strip());
    }

    /**
     * A live process holding the store's map lock (here: this test JVM's owner token written into the
     * lock word of {@code memoir.ctl}, offset 8, as the store's ControlFile lays it out).
     */
    @Test
    void shouldReportLockedStoreWithFailureAfterTheLockTimeout() throws IOException {
        final String before = state(dir);
        final ProcessHandle self = ProcessHandle.current();
        final long token = self.pid() << 32 | (self.info().startInstant().map(Instant::getEpochSecond).orElse(0L)
            & 0xFFFF_FFFFL);
        try (FileChannel ch = FileChannel.open(dir.resolve("memoir.ctl"), StandardOpenOption.READ,
            StandardOpenOption.WRITE)) {
            ch.write(ByteBuffer.allocate(8).order(ByteOrder.nativeOrder()).putLong(0, token), 8);
            try {
                final Cli.Result r = Cli.run("ls", store(), "--lock-timeout=300ms").expect(1);
                assertEquals("memoir ls: the map lock of store=" + dir + " is held by live pid=" + self.pid()
                    + " for more than 300 ms; is that process stopped or hung?", r.err().strip());
                assertEquals("", r.out());
            } finally {
                ch.write(ByteBuffer.allocate(8), 8);
            }
        }
        assertEquals(before, state(dir), "store unchanged");
    }
}
