package io.memoir.tools;

import io.memoir.store.MemoirException;
import io.memoir.store.Region;
import io.memoir.store.Store;
import io.memoir.store.Versioned;
import java.io.FileOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * Hidden {@code memoir soak-writer}: one of the soak's writer JVMs. Changes random soak tags until told
 * to stop — in-place writes, puts of new lengths, compare-and-sets, resizes and deletes of bytes tags
 * ({@link SoakValues}); updates and compare-and-sets of counters — and appends each change that
 * returned to its acknowledgement file, {@code KIND TAG VERSION CHECK} (CHECK: CRC-32C of the data
 * written, the new length of a resize, the seq in a counter), after a first line {@code pid PID writer
 * ID}. Lost races with the other writers (a conflicting compare-and-set, a tag deleted or shrunk
 * meanwhile) change nothing and are only counted.
 */
@Command(name = "soak-writer", hidden = true, description = "A soak writer (started by 'memoir soak').")
public final class SoakWriterCommand implements Callable<Integer> {
    @Mixin
    StoreOptions store;

    @Mixin
    SoakRun run;

    @Option(names = "--id", required = true, description = "This writer's id, unique in the soak.")
    int id;

    @Option(names = "--sizes", split = ",", required = true, description = "Region lengths, whole frames.")
    int[] sizes;

    @Option(names = "--acks", required = true, description = "The acknowledgement file to append to.")
    Path acks;

    private final Map<String, Long> counts = new LinkedHashMap<>();
    private final Map<String, Region> regions = new HashMap<>();
    private final SplittableRandom random = new SplittableRandom(System.nanoTime() ^ ProcessHandle.current().pid());
    private OutputStream ackOut;
    private Store s;
    private long seq;

    @Override
    public Integer call() throws IOException {
        for (String k : List.of("conflicts", "races", "errors")) {
            counts.put(k, 0L);
        }
        try (Store opened = store.openWritable(); OutputStream out = new FileOutputStream(acks.toFile(), true)) {
            s = opened;
            ackOut = out;
            ackOut.write(("pid " + ProcessHandle.current().pid() + " writer " + id + "\n")
                .getBytes(StandardCharsets.US_ASCII));
            final List<String> tags = run.ready();
            while (!run.stopRequested()) {
                final String tag = tags.get(random.nextInt(tags.size()));
                seq++;
                try {
                    if (SoakValues.isCounter(tag)) {
                        changeCounter(tag);
                    } else {
                        changeBytes(tag);
                    }
                } catch (MemoirException.VersionConflictException e) {
                    counts.merge("conflicts", 1L, Long::sum);
                } catch (MemoirException.RegionNotFoundException | IndexOutOfBoundsException e) {
                    counts.merge("races", 1L, Long::sum); // deleted or shrunk by another writer: nothing changed
                } catch (RuntimeException e) {
                    counts.merge("errors", 1L, Long::sum);
                    run.problem("error: writer=" + id + " tag=" + tag + ": " + e);
                }
            }
        }
        run.summary(counts);
        return ExitCodes.OK;
    }

    private void changeCounter(final String tag) throws IOException {
        if (random.nextBoolean()) {
            final long v = s.update(tag, Object.class, o -> SoakValues.counter(SoakValues.count(o) + 1, id, seq));
            ack("update", tag, v, seq);
            return;
        }
        Versioned<Object> cur = null;
        if (s.exists(tag)) {
            cur = s.getVersioned(tag, Object.class);
        }
        final long expected = cur == null ? 0 : cur.version();
        final long n = cur == null ? 1 : SoakValues.count(cur.value()) + 1;
        ack("ocas", tag, s.compareAndSet(tag, expected, SoakValues.counter(n, id, seq)), seq);
    }

    private void changeBytes(final String tag) throws IOException {
        Region r = regions.get(tag);
        if (r == null || !s.exists(tag)) {
            r = s.region(tag, size()); // zero-filled if it is created: valid, not acknowledged
            regions.put(tag, r);
            return;
        }
        final int dice = random.nextInt(100);
        if (dice < 50) {
            final int frames = r.length() / SoakValues.FRAME;
            final boolean whole = random.nextInt(10) == 0;
            final int first = whole ? 0 : random.nextInt(frames);
            final int count = whole ? frames : 1 + random.nextInt(Math.min(8, frames - first));
            final byte[] d = SoakValues.frames(id, seq, SoakValues.WRITE, first, count);
            ack("write", tag, r.write((long) first * SoakValues.FRAME, d), SoakValues.crc(d));
        } else if (dice < 65) {
            final byte[] d = SoakValues.frames(id, seq, SoakValues.PUT, 0, size() / SoakValues.FRAME);
            ack("put", tag, r.put(d), SoakValues.crc(d));
        } else if (dice < 80) {
            final long expected = r.version();
            final byte[] d = SoakValues.frames(id, seq, SoakValues.CAS, 0, size() / SoakValues.FRAME);
            ack("cas", tag, r.compareAndSet(expected, d), SoakValues.crc(d));
        } else if (dice < 93) {
            final int length = size();
            ack("resize", tag, r.resize(length), length);
        } else {
            ack("delete", tag, r.delete(), 0);
        }
    }

    private int size() {
        return sizes[random.nextInt(sizes.length)];
    }

    private void ack(final String kind, final String tag, final long version, final long check) throws IOException {
        ackOut.write((kind + " " + tag + " " + version + " " + check + "\n").getBytes(StandardCharsets.US_ASCII));
    }
}
