package io.memoir.store.mmap;

import java.lang.reflect.Field;
import java.lang.reflect.Method;
import java.nio.ByteBuffer;

/**
 * The two things the JDK does not offer publicly: the page size and explicit unmapping.
 *
 * <p>Both go through {@code sun.misc.Unsafe} by reflection (module {@code jdk.unsupported}, which
 * opens {@code sun.misc} to everyone, so no JVM flag is needed). When that fails, the page size
 * falls back to 4096 and unmapping is left to the garbage collector. Not API.
 */
final class NativeUtil {

    /** The page size assumed when {@code Unsafe.pageSize()} cannot be called. */
    static final int FALLBACK_PAGE_SIZE = 4096;

    private static final Object UNSAFE;
    private static final Method PAGE_SIZE;
    private static final Method INVOKE_CLEANER;

    static {
        Object unsafe = null;
        Method pageSize = null;
        Method invokeCleaner = null;
        try {
            Class<?> type = Class.forName("sun.misc.Unsafe");
            Field field = type.getDeclaredField("theUnsafe");
            field.setAccessible(true);
            unsafe = field.get(null);
            pageSize = type.getMethod("pageSize");
            invokeCleaner = type.getMethod("invokeCleaner", ByteBuffer.class);
        } catch (ReflectiveOperationException | RuntimeException e) {
            unsafe = null;
        }
        UNSAFE = unsafe;
        PAGE_SIZE = pageSize;
        INVOKE_CLEANER = invokeCleaner;
    }

    private NativeUtil() {
    }

    /** The operating system's page size, as C's {@code sysconf(_SC_PAGESIZE)}. */
    static int pageSize() {
        if (UNSAFE != null && PAGE_SIZE != null) {
            try {
                return (Integer) PAGE_SIZE.invoke(UNSAFE);
            } catch (ReflectiveOperationException | RuntimeException e) {
                return FALLBACK_PAGE_SIZE;
            }
        }
        return FALLBACK_PAGE_SIZE;
    }

    /**
     * Unmaps a mapped buffer, or frees a direct one, now rather than at garbage collection.
     *
     * <p>The caller must guarantee that the buffer is never touched again: an access after this
     * call crashes the JVM. {@link Mmap} drops its only reference before calling this.
     */
    static void unmap(ByteBuffer buffer) {
        if (UNSAFE == null || INVOKE_CLEANER == null || buffer == null || !buffer.isDirect()) {
            return;
        }
        try {
            INVOKE_CLEANER.invoke(UNSAFE, buffer);
        } catch (ReflectiveOperationException | RuntimeException e) {
            // Left to the garbage collector, which unmaps unreachable buffers.
        }
    }

    /** Rounds {@code value} up to a multiple of {@code unit}, saturating at {@code Long.MAX_VALUE}. */
    static long roundUp(long value, long unit) {
        long rem = value % unit;
        if (rem == 0) {
            return value;
        }
        long up = value - rem;
        return up > Long.MAX_VALUE - unit ? Long.MAX_VALUE : up + unit;
    }
}
