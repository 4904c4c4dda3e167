package io.memoir.store;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The store descriptor {@code memoir.yaml}: a flat YAML file written once, when the store is created.
 *
 * <pre>
 * # Memoir store descriptor: written at creation, read at every open. Do not edit.
 * format: 1
 * journalFormat: 4
 * created: 2026-11-21T10:00:00Z
 * maxRegions: 1024
 * averageRegionSize: 4096
 * maxRegionSize: 1048576
 * rollCycle: FAST_DAILY
 * </pre>
 */
final class Descriptor {
    static final String FILE_NAME = "memoir.yaml";
    static final int FORMAT = 1;

    final int format;
    /**
     * The journal format the store was created with: 1 (every put journaled whole), 2 (a put of the
     * same length may be journaled as a {@link Op#PATCH}) or 3 (and one of another length as a
     * {@link Op#SPLICE}). A store keeps its format for life, so that an older Memoir that reads an older
     * format is never handed an entry it cannot read.
     */
    final int journalFormat;
    final Capacity capacity;
    final String rollCycle;
    final String created;

    Descriptor(final int format, final int journalFormat, final Capacity capacity, final String rollCycle,
               final String created) {
        this.format = format;
        this.journalFormat = journalFormat;
        this.capacity = capacity;
        this.rollCycle = rollCycle;
        this.created = created;
    }

    static Descriptor create(final Capacity capacity, final String rollCycle) {
        return new Descriptor(FORMAT, JournalFields.FORMAT, capacity, rollCycle, Instant.now().toString());
    }

    String text() {
        return "# Memoir store descriptor: written at creation, read at every open. Do not edit.\n"
            + "format: " + format + "\n"
            + "journalFormat: " + journalFormat + "\n"
            + "created: " + created + "\n"
            + "maxRegions: " + capacity.maxRegions() + "\n"
            + "averageRegionSize: " + capacity.averageRegionSize() + "\n"
            + "maxRegionSize: " + capacity.maxRegionSize() + "\n"
            + "rollCycle: " + rollCycle + "\n";
    }

    /**
     * Writes the descriptor atomically unless one exists.
     *
     * @return the descriptor in the directory: this one, or the one another process wrote first
     */
    Descriptor writeIfAbsent(final Path dir) {
        final Path target = dir.resolve(FILE_NAME);
        final Path tmp = dir.resolve(FILE_NAME + ".tmp-" + ProcessOwner.PID + "-" + Thread.currentThread().getId());
        try {
            Files.writeString(tmp, text(), StandardCharsets.UTF_8);
            try {
                Files.createLink(target, tmp);
                return this;
            } catch (FileAlreadyExistsException e) {
                return read(dir);
            } finally {
                Files.deleteIfExists(tmp);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write store descriptor=" + target + ": " + e.getMessage(), e);
        }
    }

    static Descriptor read(final Path dir) {
        final Path file = dir.resolve(FILE_NAME);
        final Map<String, String> values = new LinkedHashMap<>();
        try {
            for (String line : Files.readAllLines(file, StandardCharsets.UTF_8)) {
                final String l = line.strip();
                if (l.isEmpty() || l.startsWith("#")) {
                    continue;
                }
                final int colon = l.indexOf(':');
                if (colon <= 0) {
                    throw corrupt(file, "line without 'key: value': " + l);
                }
                values.put(l.substring(0, colon).strip(), l.substring(colon + 1).strip());
            }
        } catch (NoSuchFileException e) {
            throw new MemoirException.NotAStoreException("not a Memoir store: no descriptor=" + file);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read store descriptor=" + file + ": " + e.getMessage(), e);
        }
        final int format = intValue(values, "format", file);
        if (format > FORMAT) {
            throw new MemoirException.CorruptStoreException("store descriptor=" + file + " has format=" + format
                + ", this Memoir reads format<=" + FORMAT + ": open it with a newer Memoir");
        }
        final int journalFormat = intValue(values, "journalFormat", file);
        if (journalFormat > JournalFields.FORMAT) {
            throw new MemoirException.CorruptStoreException("store descriptor=" + file + " has journalFormat="
                + journalFormat + ", this Memoir reads journalFormat<=" + JournalFields.FORMAT
                + ": open it with a newer Memoir");
        }
        final Capacity capacity;
        try {
            capacity = new Capacity(intValue(values, "maxRegions", file), intValue(values, "averageRegionSize", file),
                intValue(values, "maxRegionSize", file));
        } catch (IllegalArgumentException e) {
            throw corrupt(file, e.getMessage());
        }
        return new Descriptor(format, journalFormat, capacity, values.getOrDefault("rollCycle", "FAST_DAILY"),
            values.getOrDefault("created", "?"));
    }

    private static int intValue(final Map<String, String> values, final String key, final Path file) {
        final String v = values.get(key);
        if (v == null) {
            throw corrupt(file, "missing key=" + key);
        }
        try {
            return Integer.parseInt(v);
        } catch (NumberFormatException e) {
            throw corrupt(file, "key=" + key + " is not a number: value=" + v);
        }
    }

    private static MemoirException.CorruptStoreException corrupt(final Path file, final String what) {
        return new MemoirException.CorruptStoreException("store descriptor=" + file + " is damaged: " + what);
    }
}
