package io.memoir.store;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import io.memoir.store.testing.ChildJvm;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * A store with some history is closed, damaged, and opened again in a child JVM (a SIGBUS or SIGSEGV
 * then fails the test instead of killing Surefire). Every case must end in a clear
 * {@link MemoirException.CorruptStoreException} naming the file, or in a store whose contents are
 * exactly what was written: never a crash, never silently wrong data.
 */
@Timeout(120)
class CorruptionIT {
    private static final Duration CHILD_TIMEOUT = Duration.ofSeconds(60);
    private static final int ENTRIES = 12;

    @TempDir
    Path dir;

    /** What was written: tag to content, and the journal's last index. */
    private TreeMap<String, byte[]> written;
    private long lastIndex;

    @BeforeEach
    void buildStore() {
        written = new TreeMap<>();
        try (Store store = TestStores.builder().capacity(new Capacity(16, 256, 4096)).open(dir)) {
            final Region a = store.region("alpha", 64);
            final Region b = store.region("beta", 32);
            for (int i = 0; i < ENTRIES; i++) {
                a.write(i * 4L, ("a" + i + "!").getBytes(StandardCharsets.US_ASCII));
                b.write(i % 8 * 4L, ("b" + i).getBytes(StandardCharsets.US_ASCII));
            }
            store.put("gamma", "the last entry");
            for (RegionInfo info : store.list()) {
                written.put(info.tag(), store.region(info.tag()).readAll());
            }
            lastIndex = store.journal().lastIndex();
        }
    }

    // ---------------------------------------------------------------- the child side

    /**
     * Opens the store given as {@code args[0]} ({@code readonly}, with {@code rebuild} of the map, or
     * with {@code recover} after opening, as {@code args[1]} says) and prints one line
     * per region ({@code region TAG HEX}), the verify result, and {@code OPENED}; or
     * {@code FAILED class: message} and exit 3 if a {@link MemoirException} is thrown.
     */
    public static final class OpenAndDump {
        /**
         * Entry point.
         *
         * @param args store directory, then optionally {@code readonly}, {@code rebuild} or {@code recover}
         */
        public static void main(final String[] args) {
            final List<String> out = new ArrayList<>();
            final int exit = dump(Path.of(args[0]), args.length > 1 ? args[1] : "", out);
            out.forEach(System.out::println);
            System.out.flush();
            System.exit(exit);
        }

        /** Does the work of {@link #main}, in this JVM: returns the exit code, adds the lines to {@code out}. */
        static int dump(final Path store, final String mode, final List<String> out) {
            try (Store s = TestStores.builder().readOnly(mode.equals("readonly"))
                .rebuildMap(mode.equals("rebuild")).open(store)) {
                if (mode.equals("recover")) {
                    s.recover().forEach(line -> out.add("recovered " + line));
                }
                s.repairs().forEach(line -> out.add("repair " + line));
                for (RegionInfo info : s.list()) {
                    out.add("region " + info.tag() + " " + hex(s.region(info.tag()).readAll()));
                }
                try {
                    final VerifyReport report = s.verify();
                    out.add("verify ok=" + report.ok() + " " + report.differences());
                } catch (MemoirException.CorruptStoreException e) {
                    out.add("verify failed: " + e.getMessage());
                }
                out.add("lastIndex " + s.journal().lastIndex());
                out.add("OPENED");
                return 0;
            } catch (MemoirException e) {
                out.add("FAILED " + e.getClass().getName() + ": " + e.getMessage());
                return 3;
            }
        }
    }

    static String hex(final byte[] bytes) {
        final StringBuilder sb = new StringBuilder();
        for (byte b : bytes) {
            sb.append(Character.forDigit(b >> 4 & 0xf, 16)).append(Character.forDigit(b & 0xf, 16));
        }
        return sb.toString();
    }

    /** The outcome of opening the damaged store in a child JVM. */
    private record Outcome(int exit, List<String> lines) {
        boolean opened() {
            return exit == 0 && lines.contains("OPENED");
        }

        String failure() {
            return lines.stream().filter(l -> l.startsWith("FAILED ")).findFirst().orElse(null);
        }

        TreeMap<String, byte[]> regions() {
            final TreeMap<String, byte[]> out = new TreeMap<>();
            for (String l : lines) {
                if (l.startsWith("region ")) {
                    final String[] p = l.split(" ", 3);
                    out.put(p[1], unhex(p.length > 2 ? p[2] : ""));
                }
            }
            return out;
        }

        long lastIndex() {
            return lines.stream().filter(l -> l.startsWith("lastIndex ")).mapToLong(l -> Long.parseLong(l.substring(10)))
                .findFirst().orElse(Long.MIN_VALUE);
        }

        boolean verifyOk() {
            return lines.stream().anyMatch(l -> l.startsWith("verify ok=true"));
        }
    }

    /** Opens the store in this JVM: for damage found before any damaged file is mapped, or none mapped. */
    private Outcome openHere(final String... mode) {
        final List<String> lines = new ArrayList<>();
        final int exit = OpenAndDump.dump(dir, mode.length == 0 ? "" : mode[0], lines);
        return new Outcome(exit, lines);
    }

    private Outcome openInChild(final String... extra) throws InterruptedException {
        final List<String> args = new ArrayList<>();
        args.add(dir.toString());
        args.addAll(List.of(extra));
        try (ChildJvm child = ChildJvm.start(OpenAndDump.class, args.toArray(String[]::new))) {
            final List<String> lines = child.finish(CHILD_TIMEOUT);
            final Outcome o = new Outcome(child.exitCode(), lines);
            if (o.exit != 0 && o.exit != 3) {
                fail("the child JVM crashed (exit " + o.exit + ") instead of reporting the damage:\n"
                    + String.join("\n", lines));
            }
            return o;
        }
    }

    private static byte[] unhex(final String s) {
        final byte[] out = new byte[s.length() / 2];
        for (int i = 0; i < out.length; i++) {
            out[i] = (byte) Integer.parseInt(s.substring(2 * i, 2 * i + 2), 16);
        }
        return out;
    }

    private void assertContentsAsWritten(final Outcome o) {
        assertTrue(o.opened(), String.join("\n", o.lines()));
        assertTrue(o.verifyOk(), String.join("\n", o.lines()));
        assertRegionsAsWritten(o);
    }

    private void assertRegionsAsWritten(final Outcome o) {
        final TreeMap<String, byte[]> got = o.regions();
        assertEquals(written.keySet(), got.keySet(), String.join("\n", o.lines()));
        for (String tag : written.keySet()) {
            assertArrayEquals(written.get(tag), got.get(tag), "tag=" + tag);
        }
    }

    private void assertCorrupt(final Outcome o, final String... mentions) {
        final String failure = o.failure();
        assertTrue(failure != null && failure.contains("CorruptStoreException"),
            "expected a CorruptStoreException, got:\n" + String.join("\n", o.lines()));
        for (String m : mentions) {
            assertTrue(failure.contains(m), "message should mention '" + m + "': " + failure);
        }
    }


    // ---------------------------------------------------------------- (a) journal tail truncated

    /** Cuts the journal file this many bytes before the end of its data: inside the last entries. */
    @ParameterizedTest(name = "cut {0} bytes before the end of the journal's data")
    @ValueSource(ints = {1, 19, 70, 150})
    void shouldRefuseAJournalWithATruncatedTail(final int cut) throws Exception {
        final Path q = journalFile();
        final long end = dataEnd(q);
        try (RandomAccessFile f = new RandomAccessFile(q.toFile(), "rw")) {
            f.setLength(end - cut);
        }
        final Outcome o = openInChild();
        assertCorrupt(o, dir.resolve(Store.JOURNAL_DIR).toString(), "index=0x");
        if (cut == 70) {
            // The map still holds every acknowledged write: a read-only open reads it out.
            final Outcome readOnly = openInChild("readonly");
            assertTrue(readOnly.opened(), String.join("\n", readOnly.lines()));
            assertRegionsAsWritten(readOnly);
        }
    }

    /** Cutting only the zeros after the data (Chronicle preallocates the file) loses nothing. */
    @Test
    void shouldOpenAJournalCutAfterItsData() throws Exception {
        final Path q = journalFile();
        try (RandomAccessFile f = new RandomAccessFile(q.toFile(), "rw")) {
            f.setLength(dataEnd(q) + 8);
        }
        assertContentsAsWritten(openInChild());
    }

    // ---------------------------------------------------------------- (b) bytes flipped in the journal

    @Test
    void shouldRefuseAFlipInTheLastEntrysData() throws Exception {
        flip(journalFile(), find(journalFile(), "the last entry") + 13, 0x01);
        assertCorrupt(openHere(), "tag=gamma", "index=0x", "checksum mismatch");
    }

    @ParameterizedTest(name = "header byte {0} of the last entry xor 0x{1}")
    @CsvSource({"3, 40", "3, 80"})
    void shouldRefuseAFlippedFlagInTheLastEntrysHeader(final int at, final String mask) throws Exception {
        final Path q = journalFile();
        flip(q, lastHeader(q) + at, Integer.parseInt(mask, 16));
        assertCorrupt(openInChild(), "tag=gamma", "index=0x");
    }

    /** A length that grows into the zeros after the last entry still decodes the same entry. */
    @ParameterizedTest(name = "header byte {0} of the last entry xor 0x{1}")
    @CsvSource("1, 10")
    void shouldReadTheSameEntryWhenTheLastHeaderOnlyGrows(final int at, final String mask) throws Exception {
        final Path q = journalFile();
        flip(q, lastHeader(q) + at, Integer.parseInt(mask, 16));
        assertContentsAsWritten(openInChild());
    }

    /** An older entry is not read at open; every read of it (verify, history, replay) names it. */
    @Test
    void shouldNameAFlippedOlderEntryWhenItIsRead() throws Exception {
        flip(journalFile(), find(journalFile(), "a5!") + 1, 0x02);
        final Outcome o = openHere();
        assertTrue(o.opened(), String.join("\n", o.lines()));
        assertTrue(o.lines().stream().anyMatch(l -> l.startsWith("verify failed: ") && l.contains("checksum mismatch")
            && l.contains("tag=alpha") && l.contains("index=0x")), String.join("\n", o.lines()));
        assertRegionsAsWritten(o);
        try (Store s = TestStores.builder().readOnly(true).open(dir)) {
            final MemoirException.CorruptStoreException e =
                assertThrows(MemoirException.CorruptStoreException.class, () -> s.history("alpha"));
            assertTrue(e.getMessage().contains(dir.resolve(Store.JOURNAL_DIR).toString()), e.getMessage());
        }
    }

    // ---------------------------------------------------------------- (c, d) the map deleted or truncated

    @ParameterizedTest(name = "map {0}")
    @ValueSource(strings = {"deleted", "emptied"})
    void shouldRebuildALostMapFromTheJournalAtOpen(final String how) throws Exception {
        final Path map = dir.resolve(RegionTable.FILE_NAME);
        if (how.equals("deleted")) {
            Files.delete(map);
        } else {
            Files.write(map, new byte[0]);
        }
        final Outcome o = openHere();
        assertContentsAsWritten(o);
        assertTrue(o.lines().stream().anyMatch(l -> l.startsWith("repair map=") && l.contains("rebuilt from the "
            + "journal: tags=" + written.size())), String.join("\n", o.lines()));
        assertEquals(lastIndex, o.lastIndex());
    }

    @Test
    void shouldRefuseATruncatedMapThenRebuildIt() throws Exception {
        final Path map = dir.resolve(RegionTable.FILE_NAME);
        try (RandomAccessFile f = new RandomAccessFile(map.toFile(), "rw")) {
            f.setLength(f.length() / 2);
        }
        assertCorrupt(openInChild(), map.toString(), "rebuildMap");
        final Outcome rebuilt = openHere("rebuild");
        assertContentsAsWritten(rebuilt);
        try (Stream<Path> files = Files.list(dir)) {
            assertTrue(files.anyMatch(p -> p.getFileName().toString().startsWith(RegionTable.FILE_NAME + ".damaged-")),
                "the damaged map is kept");
        }
        assertContentsAsWritten(openHere());
    }

    /** Chronicle Map checks only its data store's size: cutting the padding after it loses nothing. */
    @Test
    void shouldOpenAMapCutOnlyInItsPadding() throws Exception {
        final Path map = dir.resolve(RegionTable.FILE_NAME);
        try (RandomAccessFile f = new RandomAccessFile(map.toFile(), "rw")) {
            f.setLength(f.length() - 8);
        }
        assertContentsAsWritten(openInChild());
    }

    // ---------------------------------------------------------------- (e) the descriptor

    @ParameterizedTest(name = "descriptor: {0}")
    @ValueSource(strings = {"format: 2", "journalFormat: 9", "garbage %%% no colon", "maxRegions: lots", ""})
    void shouldRefuseADamagedOrNewerDescriptor(final String line) throws Exception {
        final Path yaml = dir.resolve(Descriptor.FILE_NAME);
        final List<String> lines = new ArrayList<>(Files.readAllLines(yaml));
        if (line.isEmpty()) {
            lines.clear();
        } else {
            final String key = line.contains(":") ? line.substring(0, line.indexOf(':') + 1) : "format:";
            lines.replaceAll(l -> l.startsWith(key) ? line : l);
        }
        Files.write(yaml, lines);
        assertCorrupt(openHere(), yaml.toString());
    }

    @Test
    void shouldRefuseAStoreWithoutItsDescriptor() throws Exception {
        Files.delete(dir.resolve(Descriptor.FILE_NAME));
        final String failure = openHere().failure();
        assertTrue(failure != null && failure.contains("NotAStoreException") && failure.contains(Descriptor.FILE_NAME),
            String.valueOf(failure));
    }

    // ---------------------------------------------------------------- (f) the control file

    @ParameterizedTest(name = "control file {0}")
    @ValueSource(strings = {"truncated", "overwritten"})
    void shouldRefuseADamagedControlFileThenOpenWithoutIt(final String how) throws Exception {
        final Path ctl = dir.resolve(ControlFile.FILE_NAME);
        if (how.equals("truncated")) {
            try (RandomAccessFile f = new RandomAccessFile(ctl.toFile(), "rw")) {
                f.setLength(100);
            }
        } else {
            final byte[] junk = new byte[ControlFile.SIZE];
            java.util.Arrays.fill(junk, (byte) 0x5a);
            Files.write(ctl, junk);
        }
        assertCorrupt(openHere(), ctl.toString(), "delete it");
        Files.delete(ctl);
        assertContentsAsWritten(openHere());
    }

    // ---------------------------------------------------------------- recover after the map lost a region

    /** A flip in the map outside the last change: open cannot see it, verify does, recover repairs it. */
    @Test
    void shouldRecoverAMapRecordDamagedBehindTheStoresBack() throws Exception {
        final Path map = dir.resolve(RegionTable.FILE_NAME);
        final String image = new String(Files.readAllBytes(map), StandardCharsets.ISO_8859_1);
        final int at = image.indexOf("b5\u0000\u0000b6");
        assertTrue(at > 0 && image.indexOf("b5\u0000\u0000b6", at + 1) < 0, "beta's content in the map");
        flip(map, at + 1, 0x01);
        final Outcome damaged = openHere();
        assertTrue(damaged.lines().stream().anyMatch(l -> l.startsWith("verify ok=false") && l.contains("tag=beta")),
            String.join("\n", damaged.lines()));
        final Outcome o = openHere("recover");
        assertContentsAsWritten(o);
        assertTrue(o.lines().stream().anyMatch(l -> l.startsWith("recovered tag=beta") && l.contains("rebuilt")),
            String.join("\n", o.lines()));
    }

    // ---------------------------------------------------------------- files

    /** Where the journal file's data ends: Chronicle preallocates the file sparse, zero-filled. */
    private static long dataEnd(final Path q) throws IOException {
        final byte[] head = head(q);
        int last = head.length - 1;
        while (last >= 0 && head[last] == 0) {
            last--;
        }
        assertTrue(last > 0 && last < head.length - 1, "journal data must end inside the first MiB: " + q);
        return last + 1;
    }

    private static byte[] head(final Path q) throws IOException {
        try (RandomAccessFile f = new RandomAccessFile(q.toFile(), "r")) {
            final byte[] head = new byte[(int) Math.min(f.length(), 1 << 20)];
            f.readFully(head);
            return head;
        }
    }

    /** The last position of {@code text} in the journal file (field names and text are stored as bytes). */
    private static int find(final Path q, final String text) throws IOException {
        final String s = new String(head(q), StandardCharsets.ISO_8859_1);
        final int at = s.lastIndexOf(text);
        assertTrue(at > 0, "no '" + text + "' in " + q);
        return at;
    }

    /** The 4-byte document header of the last entry (the {@code gamma} PUT): before its {@code time} field. */
    private static int lastHeader(final Path q) throws IOException {
        final String s = new String(head(q), StandardCharsets.ISO_8859_1);
        final int time = s.lastIndexOf("time", find(q, "gamma"));
        return time - 1 - 4; // the field-name marker byte, then the header
    }

    private static void flip(final Path file, final long position, final int mask) throws IOException {
        try (RandomAccessFile f = new RandomAccessFile(file.toFile(), "rw")) {
            f.seek(position);
            final int b = f.read();
            f.seek(position);
            f.write(b ^ mask);
        }
    }

    private Path journalFile() throws IOException {
        try (Stream<Path> s = Files.list(dir.resolve(Store.JOURNAL_DIR))) {
            return s.filter(p -> p.toString().endsWith(".cq4")).max(Comparator.naturalOrder())
                .orElseThrow(() -> new AssertionError("no .cq4 file in " + dir));
        }
    }

}
