package io.memoir.tools;

import io.memoir.store.JournalEntry;
import io.memoir.store.MemoirException;
import io.memoir.store.Op;
import java.util.Collection;
import java.util.Map;

/**
 * JSON text of the objects that {@code put-json} and {@code Store.put} journal, for {@code tail},
 * {@code history} and {@code export}: untyped values (maps, lists, strings, numbers, booleans, null) as
 * JSON, anything else as its {@code toString()} in a string.
 */
final class ObjectJson {
    private ObjectJson() {
    }

    /**
     * The object a PUT entry stored, as JSON text.
     *
     * @param e a journal entry
     * @return the JSON text, or null if the entry holds raw bytes rather than an object
     */
    static String of(final JournalEntry e) {
        if (e.op() != Op.PUT || e.data().length == 0) {
            return null;
        }
        try {
            final StringBuilder sb = new StringBuilder();
            write(sb, e.object(Object.class));
            return sb.toString();
        } catch (MemoirException | IllegalStateException | IllegalArgumentException notAnObject) {
            return null;
        }
    }

    private static void write(final StringBuilder sb, final Object v) {
        if (v == null) {
            sb.append("null");
        } else if (v instanceof Map<?, ?> m) {
            sb.append('{');
            boolean first = true;
            for (Map.Entry<?, ?> kv : m.entrySet()) {
                if (!first) {
                    sb.append(',');
                }
                first = false;
                Json.quote(sb, String.valueOf(kv.getKey()));
                sb.append(':');
                write(sb, kv.getValue());
            }
            sb.append('}');
        } else if (v instanceof Collection<?> c) {
            sb.append('[');
            boolean first = true;
            for (Object o : c) {
                if (!first) {
                    sb.append(',');
                }
                first = false;
                write(sb, o);
            }
            sb.append(']');
        } else if (v instanceof Number || v instanceof Boolean) {
            sb.append(v);
        } else {
            Json.quote(sb, v.toString());
        }
    }
}
