package io.memoir.tools;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.memoir.store.Store;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code memoir soak} through the built launcher: a short soak with writer kills passes with its counts;
 * a value that is not a valid soak value (written through the store, as any program could) is caught;
 * bad arguments are refused before anything is created.
 */
@Timeout(300)
class CliSoakIT {
    private static final Pattern RESULT = Pattern.compile("(?m)^result: writes=(\\d+) reads=(\\d+) torn=(\\d+) "
        + "lost=(\\d+) regressions=(\\d+) gaps=(\\d+) bad-entries=(\\d+) stalls=(\\d+) errors=(\\d+) verify=(\\w+)$");

    @TempDir
    Path tmp;

    private static Matcher result(final Cli.Result r) {
        final Matcher m = RESULT.matcher(r.out());
        assertTrue(m.find(), () -> "no result line; stdout:\n" + r.out() + "\nstderr:\n" + r.err());
        return m;
    }

    @Test
    void shouldPassAShortSoakWithWritersKilled() {
        final Path dir = tmp.resolve("store");
        final Cli.Result r = Cli.run("soak", "--store=" + dir, "--writers=2", "--readers=3", "--seconds=8",
            "--kill-every=3").expect(0);
        final Matcher m = result(r);
        assertTrue(Long.parseLong(m.group(1)) > 100, () -> "writes: " + r.out());
        assertTrue(Long.parseLong(m.group(2)) > 100, () -> "reads: " + r.out());
        for (int g = 3; g <= 9; g++) {
            assertEquals("0", m.group(g), r.out());
        }
        assertEquals("ok", m.group(10));
        assertTrue(r.out().contains("writers=2 readers=3 (watch, await, poll)"), r.out());
        assertTrue(r.out().contains("writers killed: 2;"), r.out());
        assertTrue(r.out().contains("soak passed"), r.out());
        assertEquals("", r.err());
        Cli.run("verify", "--store=" + dir).expect(0);
    }

    @Test
    void shouldCatchAValueWithAFlippedByte() {
        final Path dir = tmp.resolve("store");
        try (Store s = Store.open(dir)) {
            final byte[] bad = SoakValues.frames(99, 1, SoakValues.PUT, 0, 2);
            bad[SoakValues.FRAME + 40] ^= 1; // the payload of frame 1: only its CRC tells
            s.region("soak.bytes.0", bad.length).put(bad);
        }
        final Cli.Result r = Cli.run("soak", "--store=" + dir, "--writers=1", "--readers=1", "--seconds=2",
            "--tags=2").expect(1);
        final Matcher m = result(r);
        assertTrue(Long.parseLong(m.group(3)) >= 1, () -> "torn: " + r.out());
        assertEquals("1", m.group(7), () -> "bad-entries: " + r.out());
        assertEquals("ok", m.group(10), "the journal and the map agree: only the soak's own check can tell");
        assertTrue(r.out().contains("soak FAILED"), r.out());
        assertEquals(1, r.err().lines().count(), r.err());
        assertTrue(r.err().startsWith("memoir soak: FAILED: torn="), r.err());
        // The first to see it may be a read of the region or the journal entry of the put: both name frame 1.
        assertTrue(r.err().contains("tag=soak.bytes.0") && r.err().contains("frame 1")
            && r.err().contains("crc mismatch"), r.err());
        assertFalse(r.err().contains("\tat "), "no stack trace");
        final Matcher kept = Pattern.compile("acknowledgements kept in dir=(\\S+)\\)").matcher(r.err());
        assertTrue(kept.find() && Files.isDirectory(Path.of(kept.group(1))), r.err());
        Dirs.deleteRecursively(Path.of(kept.group(1)));
    }

    @Test
    void shouldRefuseBadArgumentsAndForeignStores() throws Exception {
        final Path missing = tmp.resolve("missing");
        assertTrue(Cli.run("soak", "--store=" + missing, "--writers=0").expect(2).err()
            .contains("--writers 1..32"));
        assertEquals("memoir soak: --sizes must be multiples of 64 (the soak writes 64-byte frames): size=100\n",
            Cli.run("soak", "--store=" + missing, "--sizes=64,100").expect(2).err());
        assertTrue(Cli.run("soak", "--store=" + missing, "--sizes=2M").expect(2).err()
            .contains("size=2097152 is larger than maxRegionSize=1048576"));
        assertTrue(Cli.run("soak", "--store=" + missing, "--seconds=soon").expect(2).err().contains("--seconds"));
        assertFalse(Files.exists(missing), "nothing created");
        final Path app = tmp.resolve("app");
        try (Store s = Store.open(app)) {
            s.region("config", 8).write(0, "keep".getBytes(UTF_8));
        }
        final Cli.Result r = Cli.run("soak", "--store=" + app, "--seconds=1").expect(2);
        assertTrue(r.err().contains("has tags the soak does not own, e.g. [config]"), r.err());
        try (Store s = Store.builder().readOnly(true).open(app)) {
            assertEquals(1, s.list().size());
            assertEquals(2, s.version("config"));
        }
    }
}
