package io.memoir.store.mmap;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.api.condition.EnabledOnOs;
import org.junit.jupiter.api.condition.OS;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Model-based property test: random sequences of valid operations on an {@link Mmap} and on a
 * plain {@code byte[]} plus position must leave the same bytes and the same position, and a shared
 * file mapping must leave them in the file. Needs no Python; large maps make the chunked paths
 * (search, move) cross their chunk boundaries.
 */
@EnabledOnOs(OS.LINUX)
class MmapModelTest {

    @TempDir
    Path dir;

    @ParameterizedTest(name = "seed {0}")
    @ValueSource(longs = {1, 2, 3, 4, 5, 6, 7, 8})
    void shouldMatchAByteArrayModel(long seed) throws IOException {
        Random rnd = new Random(seed);
        int size = seed % 2 == 0 ? 1 + rnd.nextInt(300) : 70_000 + rnd.nextInt(140_000);
        byte[] model = new byte[size];
        rnd.nextBytes(model);
        Path file = Files.write(dir.resolve("model"), model);
        boolean anonymous = seed % 4 == 1;
        try (Mmap m = anonymous ? Mmap.anonymous(size) : Mmap.map(file, 0, Mmap.ACCESS_WRITE)) {
            if (anonymous) {
                m.write(model);
                m.seek(0);
            }
            long pos = 0;
            for (int step = 0; step < 400; step++) {
                pos = step(rnd, m, model, pos, "seed " + seed + " step " + step);
                assertEquals(pos, m.tell(), "position, seed " + seed + " step " + step);
            }
            assertArrayEquals(model, m.getSlice(0, size), "contents, seed " + seed);
            if (!anonymous) {
                m.flush();
                assertArrayEquals(model, Files.readAllBytes(file), "file, seed " + seed);
            }
        }
    }

    /** One random valid operation on both; returns the model's new position. */
    private static long step(Random rnd, Mmap m, byte[] model, long pos, String at) {
        int size = model.length;
        int a = rnd.nextInt(size + 1);
        int b = a + rnd.nextInt(size - a + 1);
        switch (rnd.nextInt(9)) {
            case 0: {
                byte[] data = new byte[rnd.nextInt((int) (size - pos) + 1)];
                rnd.nextBytes(data);
                m.write(data);
                System.arraycopy(data, 0, model, (int) pos, data.length);
                return pos + data.length;
            }
            case 1:
                m.seek(a);
                return a;
            case 2: {
                long n = rnd.nextInt(size + 2) - 1;
                long expected = n < 0 ? size - pos : Math.min(n, size - pos);
                assertArrayEquals(Arrays.copyOfRange(model, (int) pos, (int) (pos + expected)), m.read(n), at);
                return pos + expected;
            }
            case 3:
                if (a < size) {
                    int v = rnd.nextInt(256);
                    m.set(a - (rnd.nextBoolean() ? size : 0), v);
                    model[a] = (byte) v;
                    assertEquals(v, m.get(a), at);
                }
                return pos;
            case 4: {
                int count = rnd.nextInt(size - a + 1);
                int dest = rnd.nextInt(size - count + 1);
                m.move(dest, a, count);
                System.arraycopy(model, a, model, dest, count);
                return pos;
            }
            case 5: {
                byte[] data = new byte[b - a];
                rnd.nextBytes(data);
                m.setSlice(a, b, data);
                System.arraycopy(data, 0, model, a, data.length);
                assertArrayEquals(data, m.getSlice(a, b), at);
                return pos;
            }
            case 6: {
                byte[] needle = Arrays.copyOfRange(model, a, Math.min(b, a + 1 + rnd.nextInt(4)));
                assertEquals(naiveFind(model, needle, 0, size, false), m.find(needle, 0), "find " + at);
                assertEquals(naiveFind(model, needle, 0, size, true), m.rfind(needle, 0), "rfind " + at);
                return pos;
            }
            case 7: {
                long step = rnd.nextInt(7) + 1;
                byte[] expected = new byte[(int) ((b - a + step - 1) / step)];
                for (int i = 0; i < expected.length; i++) {
                    expected[i] = model[(int) (a + i * step)];
                }
                assertArrayEquals(expected, m.getSlice((long) a, (long) b, step), at);
                return pos;
            }
            default:
                if (pos < size) {
                    assertEquals(model[(int) pos] & 0xFF, m.readByte(), at);
                    return pos + 1;
                }
                return pos;
        }
    }

    private static long naiveFind(byte[] hay, byte[] needle, int start, int end, boolean reverse) {
        long found = -1;
        for (int i = start; i + needle.length <= end; i++) {
            if (Arrays.equals(hay, i, i + needle.length, needle, 0, needle.length)) {
                if (!reverse) {
                    return i;
                }
                found = i;
            }
        }
        return found;
    }
}
