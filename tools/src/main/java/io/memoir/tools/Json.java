package io.memoir.tools;

/** A minimal JSON writer for the CLI's one-object-per-line output; no dependency needed for it. */
final class Json {
    private final StringBuilder sb = new StringBuilder("{");

    Json field(final String name, final String value) {
        key(name);
        if (value == null) {
            sb.append("null");
        } else {
            quote(sb, value);
        }
        return this;
    }

    Json field(final String name, final long value) {
        key(name);
        sb.append(value);
        return this;
    }

    Json field(final String name, final boolean value) {
        key(name);
        sb.append(value);
        return this;
    }

    /** A field whose value is JSON text already; left out when null. */
    Json raw(final String name, final String json) {
        if (json != null) {
            key(name);
            sb.append(json);
        }
        return this;
    }

    private void key(final String name) {
        if (sb.length() > 1) {
            sb.append(',');
        }
        quote(sb, name);
        sb.append(':');
    }

    @Override
    public String toString() {
        return sb + "}";
    }

    static void quote(final StringBuilder sb, final String s) {
        sb.append('"');
        for (int i = 0; i < s.length(); i++) {
            final char c = s.charAt(i);
            switch (c) {
                case '"' -> sb.append("\\\"");
                case '\\' -> sb.append("\\\\");
                case '\n' -> sb.append("\\n");
                case '\r' -> sb.append("\\r");
                case '\t' -> sb.append("\\t");
                default -> {
                    if (c < 0x20 || c == 0x7f) {
                        sb.append(String.format("\\u%04x", (int) c));
                    } else {
                        sb.append(c);
                    }
                }
            }
        }
        sb.append('"');
    }
}
