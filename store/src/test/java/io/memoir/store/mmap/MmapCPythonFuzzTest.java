package io.memoir.store.mmap;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.memoir.store.Store;
import java.io.IOException;
import java.io.StringReader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.condition.EnabledOnOs;
import org.junit.jupiter.api.condition.OS;
import org.junit.jupiter.api.io.TempDir;

/**
 * Differential test against live CPython: random programs ({@link ProgramGenerator}) are run by
 * {@code python3 record_mmap.py --replay} and by {@link Mmap} (every third through a channel, and
 * half of the rest that fit a store region as a region), and every step must agree. This finds
 * what the committed recordings do not cover. Skipped, with the reason, unless {@code python3} is
 * CPython 3.11 on Linux with 4096-byte pages.
 *
 * <p>Tunables: {@value #SEED_PROP_NAME} (default 1) and {@value #CASES_PROP_NAME} (default 150),
 * for example {@code -Dmemoir.mmap.fuzz.seed=42 -Dmemoir.mmap.fuzz.cases=5000}.
 */
@EnabledOnOs(OS.LINUX)
class MmapCPythonFuzzTest {

    /** System property: the random seed of the programs. */
    static final String SEED_PROP_NAME = "memoir.mmap.fuzz.seed";
    /** System property: how many programs to run. */
    static final String CASES_PROP_NAME = "memoir.mmap.fuzz.cases";

    @Test
    @Timeout(600)
    void shouldAgreeWithLiveCPythonOnRandomPrograms(@TempDir Path dir) throws Exception {
        String version = PythonProcess.version();
        assumeTrue("3.11".equals(version), "needs python3 = CPython 3.11 on PATH, found " + version);
        assumeTrue(Files.isRegularFile(PythonProcess.RECORDER), "recorder not found: "
                + PythonProcess.RECORDER.toAbsolutePath());
        assumeTrue(Mmap.PAGESIZE == 4096, "needs 4096-byte pages");
        long seed = Long.getLong(SEED_PROP_NAME, 1L);
        int count = Integer.getInteger(CASES_PROP_NAME, 150);

        Path programs = dir.resolve("programs.csv");
        Files.writeString(programs, programs(seed, count));
        String recorded = PythonProcess.run(programs, dir, 540, PythonProcess.RECORDER.toString(), "--replay");
        List<Recording.Case> cases = Recording.read("seed " + seed, new StringReader(recorded));
        assertEquals(count, cases.size(), "CPython ran every program");

        List<String> failures = new ArrayList<>();
        try (Store store = MmapCPythonTest.regionStore(dir)) {
            for (int i = 0; i < cases.size(); i++) {
                Recording.Case c = cases.get(i);
                Path caseDir = Files.createDirectory(dir.resolve("case" + i));
                try {
                    MmapCPythonTest.replay(c, replayer(c, i, caseDir, store), variantOf(c, i));
                } catch (AssertionError e) {
                    failures.add(e.getMessage());
                }
            }
        }
        assertTrue(failures.isEmpty(), failures.size() + " of " + count + " programs (-D" + SEED_PROP_NAME + "="
                + seed + ") differ from CPython; first:\n" + String.join("\n\n", failures.subList(0,
                Math.min(3, failures.size()))));
    }

    /** Every third program through a channel; of the others, those that fit a region, one in two as a region. */
    private static MmapReplayer.Variant variantOf(Recording.Case c, int i) {
        if (i % 3 == 2) {
            return MmapReplayer.Variant.CHANNEL;
        }
        return i % 2 == 1 && c.fitsRegion() ? MmapReplayer.Variant.REGION : MmapReplayer.Variant.PATH;
    }

    private static MmapReplayer replayer(Recording.Case c, int i, Path caseDir, Store store) {
        MmapReplayer.Variant variant = variantOf(c, i);
        return variant == MmapReplayer.Variant.REGION ? new MmapReplayer(caseDir, store, "fuzz-" + i)
                : new MmapReplayer(caseDir, variant);
    }

    private static String programs(long seed, int count) {
        ProgramGenerator generator = new ProgramGenerator(seed);
        StringBuilder csv = new StringBuilder("case,step,target,op,args\n");
        for (int i = 0; i < count; i++) {
            List<String[]> steps = generator.next();
            for (int s = 0; s < steps.size(); s++) {
                String[] step = steps.get(s);
                csv.append("fuzz-").append(seed).append('-').append(i).append(',').append(s + 1).append(',')
                        .append(step[0]).append(',').append(step[1]).append(',')
                        .append(Recording.csvField(step[2])).append('\n');
            }
        }
        return csv.toString();
    }
}
