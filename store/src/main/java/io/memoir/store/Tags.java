package io.memoir.store;

import java.util.Objects;

/**
 * Tag validation. A tag is 1 to {@value #MAX_TAG_LENGTH} characters from {@code [A-Za-z0-9._:@/+-]},
 * not starting with {@code .}, {@code /} or {@code -}. Tags are keys, never file names.
 */
final class Tags {
    static final int MAX_TAG_LENGTH = 128;
    static final int MAX_TAG_BYTES = MAX_TAG_LENGTH;

    private Tags() {
    }

    static String check(final String tag) {
        Objects.requireNonNull(tag, "tag");
        if (tag.isEmpty()) {
            throw new IllegalArgumentException("tag is empty: a tag is 1 to " + MAX_TAG_LENGTH + " characters");
        }
        if (tag.length() > MAX_TAG_LENGTH) {
            throw new IllegalArgumentException("tag is too long: length=" + tag.length() + ", max=" + MAX_TAG_LENGTH
                + ", tag=" + tag.substring(0, 32) + "...");
        }
        final char first = tag.charAt(0);
        if (first == '.' || first == '/' || first == '-') {
            throw new IllegalArgumentException("tag must not start with '" + first + "': tag=" + tag);
        }
        for (int i = 0; i < tag.length(); i++) {
            final char c = tag.charAt(i);
            if (!isAllowed(c)) {
                throw new IllegalArgumentException("tag has a character that is not allowed: tag=" + printable(tag)
                    + ", position=" + i + ", char=" + printable(String.valueOf(c))
                    + " (allowed: letters, digits and . _ : @ / + -)");
            }
        }
        return tag;
    }

    private static boolean isAllowed(final char c) {
        return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')
            || c == '.' || c == '_' || c == ':' || c == '@' || c == '/' || c == '+' || c == '-';
    }

    private static String printable(final String s) {
        final StringBuilder sb = new StringBuilder();
        for (int i = 0; i < s.length(); i++) {
            final char c = s.charAt(i);
            if (c < 0x20 || c > 0x7e) {
                sb.append(String.format("\\u%04x", (int) c));
            } else {
                sb.append(c);
            }
        }
        return sb.toString();
    }
}
