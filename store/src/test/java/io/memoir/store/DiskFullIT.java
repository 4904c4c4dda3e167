package io.memoir.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.memoir.store.testing.ChildJvm;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.condition.EnabledOnOs;
import org.junit.jupiter.api.condition.OS;
import org.junit.jupiter.api.io.TempDir;

/**
 * A store on a 2 MiB tmpfs is written until the disk is full, in a child JVM (a SIGBUS on a mapped
 * page would kill it, and fail the test, instead of killing Surefire). The failing write must raise a
 * {@link MemoirException.StoreFullException} and leave map and journal as they were; once a filler file
 * is deleted, the store works again. Needs root to mount the tmpfs; skipped with the reason otherwise.
 */
@EnabledOnOs(OS.LINUX)
@Timeout(120)
class DiskFullIT {
    private static final int CHUNK = 24 * 1024;

    @TempDir
    Path tmp;
    private Path mount;
    private boolean mounted;

    @BeforeEach
    void mountTmpfs() throws Exception {
        mount = Files.createDirectory(tmp.resolve("fs"));
        final Process p = new ProcessBuilder("mount", "-t", "tmpfs", "-o", "size=2m", "tmpfs", mount.toString())
            .redirectErrorStream(true).start();
        final String out = new String(p.getInputStream().readAllBytes());
        mounted = p.waitFor(30, TimeUnit.SECONDS) && p.exitValue() == 0;
        assumeTrue(mounted, "cannot mount a 2 MiB tmpfs here (needs root): " + out.strip());
    }

    @AfterEach
    void unmount() throws Exception {
        if (mounted) {
            new ProcessBuilder("umount", "-l", mount.toString()).inheritIO().start().waitFor(30, TimeUnit.SECONDS);
        }
    }

    /** Fills the file system given as {@code args[0]}, checks the failing write changed nothing, frees space. */
    public static final class FillUntilFull {
        /**
         * Entry point.
         *
         * @param args the mount point
         */
        public static void main(final String[] args) throws IOException {
            System.setProperty(DiskSpace.RESERVE_PROP_NAME, String.valueOf(256 * 1024));
            final Path fs = Path.of(args[0]);
            final Path filler = fs.resolve("filler");
            try (Store store = TestStores.builder().capacity(new Capacity(16, 4096, 65536)).open(fs.resolve("store"))) {
                final Region r = store.region("r", 2 * CHUNK);
                fill(filler, 1024 * 1024);
                final byte[] chunk = new byte[CHUNK];
                for (int i = 1; ; i++) {
                    Arrays.fill(chunk, (byte) i);
                    final long lastIndex = store.journal().lastIndex();
                    final long version = r.version();
                    final byte[] before = r.readAll();
                    try {
                        r.write(i % 2 * CHUNK, chunk);
                    } catch (MemoirException.StoreFullException e) {
                        System.out.println("FULL after writes=" + (i - 1) + ": " + e.getMessage());
                        System.out.println("unchanged=" + (lastIndex == store.journal().lastIndex()
                            && version == r.version() && Arrays.equals(before, r.readAll())));
                        System.out.println("verify=" + store.verify().ok());
                        break;
                    }
                }
                Files.delete(filler);
                final long v = r.write(0, new byte[] {42});
                store.region("after", 8).write(0, new byte[] {1});
                System.out.println("written after freeing: version=" + v + " verify=" + store.verify().ok());
            }
            try (Store again = TestStores.builder().open(fs.resolve("store"))) {
                System.out.println("reopened: verify=" + again.verify().ok() + " first=" + again.region("r").read(0, 1)[0]);
            }
        }

        /** Writes a file until {@code bytes} or ENOSPC, whichever comes first. */
        private static void fill(final Path file, final int bytes) throws IOException {
            try (FileChannel ch = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE)) {
                final ByteBuffer b = ByteBuffer.allocate(4096);
                for (int written = 0; written < bytes; written += 4096) {
                    b.clear();
                    ch.write(b);
                }
            } catch (IOException e) {
                if (!String.valueOf(e.getMessage()).contains("No space left")) {
                    throw e;
                }
            }
        }
    }

    @Test
    void shouldRefuseTheWriteThatDoesNotFitThenWorkOnceSpaceIsFreed() throws Exception {
        try (ChildJvm child = ChildJvm.start(FillUntilFull.class, mount.toString())) {
            final List<String> lines = child.finish(Duration.ofSeconds(90));
            final String all = String.join("\n", lines);
            assertEquals(0, child.exitCode(), "the child JVM failed or crashed:\n" + all);
            final String full = lines.stream().filter(l -> l.startsWith("FULL after")).findFirst().orElse("");
            assertTrue(full.contains("StoreFull") || full.contains("disk full"), all);
            assertTrue(full.contains("tag=r") && full.contains("usableSpace="), all);
            assertTrue(lines.contains("unchanged=true"), all);
            assertTrue(lines.contains("verify=true"), all);
            assertTrue(lines.contains("written after freeing: version=" + versionAfter(full) + " verify=true"), all);
            assertTrue(lines.contains("reopened: verify=true first=42"), all);
        }
    }

    /** The version of the write after freeing: CREATE is 1, each successful write one more. */
    private static long versionAfter(final String full) {
        final String n = full.substring("FULL after writes=".length(), full.indexOf(':'));
        return Long.parseLong(n) + 2;
    }
}
