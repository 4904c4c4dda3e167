package io.memoir.tools;

import io.memoir.store.JournalEntry;
import io.memoir.store.JournalReader;
import io.memoir.store.MemoirException;
import io.memoir.store.Op;
import io.memoir.store.RegionInfo;
import io.memoir.store.Store;
import io.memoir.store.VerifyReport;
import io.memoir.store.Versioned;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The end of {@code memoir soak}: opens the store (which repairs what killed writers left), verifies it
 * against the journal, reads the whole journal once — each soak tag's versions must go 1, 2, 3 ..., each
 * entry's data must be valid ({@link SoakValues#checkEntry}) and every change a writer acknowledged
 * must be there, with that writer's pid and data — and validates every tag's final content.
 */
final class SoakCheck {
    /** The kinds of acknowledged change, as the writers name them. */
    static final List<String> KINDS = List.of("write", "put", "cas", "resize", "delete", "update", "ocas");
    private static final int MAX_PROBLEMS = 20;

    /** One acknowledged change. */
    private record Ack(int kind, int writer, long pid, long version, long check) {
    }

    final Map<String, Long> acked = new LinkedHashMap<>();
    final Map<Op, Long> journalOps = new TreeMap<>();
    final List<String> problems = new ArrayList<>();
    long unreadableAcks;
    long entries;
    long lost;
    long badEntries;
    long gaps;
    long finalTorn;
    List<String> repairs = List.of();
    VerifyReport verify;
    private final Map<String, List<Ack>> acks = new HashMap<>();

    /**
     * Runs every check.
     *
     * @param dir         the store
     * @param lockTimeout the lock timeout to open it with
     * @param ackFiles    every writer's acknowledgement file
     * @return the findings
     */
    static SoakCheck run(final Path dir, final Duration lockTimeout, final List<Path> ackFiles) {
        final SoakCheck c = new SoakCheck();
        KINDS.forEach(k -> c.acked.put(k, 0L));
        ackFiles.forEach(c::load);
        c.acks.values().forEach(l -> l.sort(Comparator.comparingLong(Ack::version)));
        try (Store s = Store.builder().lockTimeout(lockTimeout).open(dir)) {
            c.repairs = s.repairs();
            c.verify = s.verify();
            c.scan(s);
            c.finalContent(s);
        }
        return c;
    }

    long ackedTotal() {
        return acked.values().stream().mapToLong(Long::longValue).sum();
    }

    private void problem(final String what) {
        if (problems.size() < MAX_PROBLEMS) {
            problems.add(what);
        }
    }

    private void load(final Path file) {
        try (BufferedReader r = Files.newBufferedReader(file, StandardCharsets.US_ASCII)) {
            final String[] head = String.valueOf(r.readLine()).split(" ");
            if (head.length != 4 || !head[0].equals("pid")) {
                return; // killed before it wrote its first line: it acknowledged nothing
            }
            final long pid = Long.parseLong(head[1]);
            final int writer = Integer.parseInt(head[3]);
            for (String line = r.readLine(); line != null; line = r.readLine()) {
                final String[] p = line.split(" ");
                final int kind = p.length == 4 ? KINDS.indexOf(p[0]) : -1;
                if (kind < 0) {
                    unreadableAcks++; // the last line of a killed writer may be cut short
                    continue;
                }
                acks.computeIfAbsent(p[1], t -> new ArrayList<>())
                    .add(new Ack(kind, writer, pid, Long.parseLong(p[2]), Long.parseLong(p[3])));
                acked.merge(p[0], 1L, Long::sum);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the acknowledgements of file=" + file + ": " + e.getMessage(), e);
        }
    }

    private void scan(final Store s) {
        final Map<String, Long> versions = new HashMap<>();
        final Map<String, Integer> next = new HashMap<>();
        try (JournalReader r = s.journal().reader()) {
            for (JournalEntry e = r.next(); e != null; e = r.next()) {
                if (!e.tag().startsWith(SoakValues.PREFIX)) {
                    continue;
                }
                entries++;
                journalOps.merge(e.op(), 1L, Long::sum);
                final long before = versions.getOrDefault(e.tag(), 0L);
                if (e.version() != before + 1) {
                    gaps++;
                    problem("journal: tag=" + e.tag() + " version=" + e.version() + " follows version=" + before
                        + " at index=0x" + Long.toHexString(e.index()));
                }
                versions.put(e.tag(), e.version());
                final String p = SoakValues.checkEntry(e);
                if (p != null) {
                    badEntries++;
                    problem("journal: invalid entry index=0x" + Long.toHexString(e.index()) + " tag=" + e.tag() + " "
                        + e.op() + " v" + e.version() + " pid=" + e.writer() + ": " + p);
                }
                match(e, next);
            }
        }
        acks.forEach((tag, list) -> {
            for (int i = next.getOrDefault(tag, 0); i < list.size(); i++) {
                lost(tag, list.get(i), "no journal entry has that version");
            }
        });
    }

    /** Matches the acknowledgements of the entry's tag up to its version against it. */
    private void match(final JournalEntry e, final Map<String, Integer> next) {
        final List<Ack> list = acks.get(e.tag());
        if (list == null) {
            return;
        }
        int i = next.getOrDefault(e.tag(), 0);
        for (; i < list.size() && list.get(i).version() <= e.version(); i++) {
            final Ack a = list.get(i);
            if (a.version() < e.version()) {
                lost(e.tag(), a, "no journal entry has that version");
            } else if (!same(a, e)) {
                lost(e.tag(), a, "the journal entry differs: index=0x" + Long.toHexString(e.index()) + " " + e.op()
                    + " pid=" + e.writer() + " length=" + e.length());
            }
        }
        next.put(e.tag(), i);
    }

    private static boolean same(final Ack a, final JournalEntry e) {
        if (e.writer() != a.pid()) {
            return false;
        }
        return switch (KINDS.get(a.kind())) {
            case "write" -> e.op() == Op.WRITE && SoakValues.crc(e.data()) == a.check();
            case "put", "cas" -> e.op() == Op.PUT && SoakValues.crc(e.data()) == a.check();
            case "resize" -> e.op() == Op.RESIZE && e.length() == a.check();
            case "delete" -> e.op() == Op.DELETE;
            default -> e.op() == Op.PUT && counterSeq(e) == a.check();
        };
    }

    private static long counterSeq(final JournalEntry e) {
        try {
            return SoakValues.counterSeq(e.object(Object.class));
        } catch (MemoirException.WrongTypeException ex) {
            return -1;
        }
    }

    private void lost(final String tag, final Ack a, final String why) {
        lost++;
        problem("lost: writer=" + a.writer() + " (pid " + a.pid() + ") acknowledged " + KINDS.get(a.kind()) + " tag="
            + tag + " version=" + a.version() + ", but " + why);
    }

    private void finalContent(final Store s) {
        for (RegionInfo info : s.list()) {
            final String tag = info.tag();
            if (!tag.startsWith(SoakValues.PREFIX)) {
                continue;
            }
            String p;
            try {
                if (SoakValues.isCounter(tag)) {
                    final Versioned<Object> v = s.getVersioned(tag, Object.class);
                    p = SoakValues.checkCounter(v.value(), v.version());
                } else {
                    p = SoakValues.checkContent(s.region(tag).readAll());
                }
            } catch (MemoirException.WrongTypeException e) {
                p = "not a counter object: " + e.getMessage();
            }
            if (p != null) {
                finalTorn++;
                problem("final content: tag=" + tag + " version=" + info.version() + ": " + p);
            }
        }
    }
}
