package io.memoir.store.mmap;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.Reader;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** The CSV recordings of {@code record_mmap.py}: cases of steps, each with CPython's outcome. */
final class Recording {

    /** One row: an operation and what CPython did. */
    static final class Step {
        final int number;
        final String target;
        final String op;
        final String args;
        final Outcome expected;

        Step(int number, String target, String op, String args, Outcome expected) {
            this.number = number;
            this.target = target;
            this.op = op;
            this.args = args;
            this.expected = expected;
        }

        @Override
        public String toString() {
            return number + ". " + target + "." + op + (args.isEmpty() ? "" : " " + args);
        }
    }

    /** The result of one step: a literal or an exception, and {@code tell()} afterwards. */
    static final class Outcome {
        final String result;
        final String error;
        final String message;
        final String tell;

        Outcome(String result, String error, String message, String tell) {
            this.result = result;
            this.error = error;
            this.message = message;
            this.tell = tell;
        }

        @Override
        public boolean equals(Object o) {
            if (!(o instanceof Outcome)) {
                return false;
            }
            Outcome x = (Outcome) o;
            return result.equals(x.result) && error.equals(x.error) && message.equals(x.message)
                    && tell.equals(x.tell);
        }

        @Override
        public int hashCode() {
            return result.hashCode() * 31 + error.hashCode();
        }

        @Override
        public String toString() {
            String what = error.isEmpty() ? "-> " + result : "raises " + error + "(" + message + ")";
            return what + (tell.isEmpty() ? "" : ", tell " + tell);
        }
    }

    /** A named program of steps. */
    static final class Case {
        final String source;
        final String name;
        final List<Step> steps = new ArrayList<>();

        Case(String source, String name) {
            this.source = source;
            this.name = name;
        }

        boolean usesFile() {
            return steps.stream().anyMatch(s -> s.target.equals("file") || s.op.equals("open"));
        }

        /**
         * Whether the case can run with a store region as its file: it maps the file (at offset 0
         * only), never anonymous memory, never truncates the file or makes it a directory, never
         * expects it missing, and never resizes while two maps are open (a region's storage ends at
         * its length, byte for byte; a file's at the end of the page, so a second map's view of a
         * shrunk file differs).
         */
        boolean fitsRegion() {
            if (!usesFile() || expects("FileNotFoundError") || expects("IsADirectoryError")) {
                return false;
            }
            long maps = steps.stream().filter(s -> s.op.equals("open")).map(s -> s.target).distinct().count();
            for (Step s : steps) {
                boolean fileChange = s.target.equals("file") && (s.op.equals("truncate") || s.op.equals("mkdir"));
                boolean offset = s.op.equals("open") && !s.args.endsWith(" 0");
                boolean resizeOfTwo = maps > 1 && s.op.equals("resize");
                if (s.op.equals("anon") || fileChange || offset || resizeOfTwo) {
                    return false;
                }
            }
            return true;
        }

        /** Whether a step truncates the file under the maps ({@code os.truncate}). */
        boolean truncatesFile() {
            return steps.stream().anyMatch(s -> s.target.equals("file") && s.op.equals("truncate"));
        }

        boolean expects(String error) {
            return steps.stream().anyMatch(s -> s.expected.error.equals(error));
        }

        @Override
        public String toString() {
            return source + ": " + name;
        }
    }

    private Recording() {
    }

    /** Reads a recording: comment lines start with '#', then a header, then one row per step. */
    static List<Case> read(String source, Reader in) throws IOException {
        Map<String, Case> cases = new LinkedHashMap<>();
        BufferedReader lines = new BufferedReader(in);
        boolean header = true;
        for (String line = lines.readLine(); line != null; line = lines.readLine()) {
            if (line.startsWith("#") || line.isEmpty()) {
                continue;
            }
            if (header) {
                header = false;
                continue;
            }
            List<String> f = parseCsvLine(line);
            if (f.size() != 9) {
                throw new IOException(source + ": expected 9 fields, got " + f.size() + ": " + line);
            }
            Case c = cases.computeIfAbsent(f.get(0), name -> new Case(source, name));
            c.steps.add(new Step(Integer.parseInt(f.get(1)), f.get(2), f.get(3), f.get(4),
                    new Outcome(f.get(5), f.get(6), f.get(7), f.get(8))));
        }
        return new ArrayList<>(cases.values());
    }

    /** One RFC 4180 line (fields never span lines in the recordings). */
    static List<String> parseCsvLine(String line) {
        List<String> fields = new ArrayList<>();
        StringBuilder field = new StringBuilder();
        boolean quoted = false;
        for (int i = 0; i < line.length(); i++) {
            char c = line.charAt(i);
            if (quoted) {
                if (c == '"' && i + 1 < line.length() && line.charAt(i + 1) == '"') {
                    field.append('"');
                    i++;
                } else if (c == '"') {
                    quoted = false;
                } else {
                    field.append(c);
                }
            } else if (c == '"') {
                quoted = true;
            } else if (c == ',') {
                fields.add(field.toString());
                field.setLength(0);
            } else {
                field.append(c);
            }
        }
        fields.add(field.toString());
        return fields;
    }

    /** Quotes a field for CSV when needed. */
    static String csvField(String value) {
        if (value.contains(",") || value.contains("\"")) {
            return "\"" + value.replace("\"", "\"\"") + "\"";
        }
        return value;
    }
}
