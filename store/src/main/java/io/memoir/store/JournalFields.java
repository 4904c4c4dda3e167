package io.memoir.store;

/** The field names of a journal entry, in the order they are written (journal format 1). */
final class JournalFields {
    static final int FORMAT = 1;
    static final String TIME = "time";
    static final String TAG = "tag";
    static final String OP = "op";
    static final String VERSION = "version";
    static final String OFFSET = "offset";
    static final String LENGTH = "length";
    static final String WRITER = "writer";
    static final String DATA = "data";

    private JournalFields() {
    }
}
