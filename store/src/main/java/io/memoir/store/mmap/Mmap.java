package io.memoir.store.mmap;

import io.memoir.store.MemoirException;
import io.memoir.store.Region;
import io.memoir.store.Store;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.channels.NonWritableChannelException;
import java.nio.file.Path;
import java.util.Iterator;
import java.util.NoSuchElementException;
import java.util.Objects;

/**
 * CPython 3.11's {@code mmap.mmap} object on Linux, in Java: a memory-mapped file, anonymous
 * memory or a named region of a Memoir {@link Store} (Windows' {@code tagname}), with a file
 * position, read/write/find/seek methods and byte indexing.
 *
 * <pre>{@code
 * // Python: with open('hello.txt', 'r+b') as f: mm = mmap.mmap(f.fileno(), 0)
 * try (Mmap mm = Mmap.map(Path.of("hello.txt"), 0)) {
 *     byte[] line = mm.readLine();          // mm.readline()
 *     byte[] hello = mm.getSlice(0, 5);     // mm[:5]
 *     mm.setSlice(6L, null, null, bytes);   // mm[6:] = bytes
 *     mm.seek(0);                           // mm.seek(0)
 * }
 * // Python (Windows): mm = mmap.mmap(-1, 1024, tagname='share_mmap', access=mmap.ACCESS_WRITE)
 * try (Mmap mm = Mmap.open(store, "share_mmap", 1024, Mmap.ACCESS_WRITE)) {
 *     mm.write(bytes);                      // journaled, seen by every JVM at once
 * }
 * }</pre>
 *
 * <p>Methods are Python's, in camelCase one for one ({@code read_byte} is {@link #readByte()},
 * {@code readline} is {@link #readLine()}, {@code closed} is {@link #isClosed()}, {@code len(m)} is
 * {@link #length()}, {@code m[i]} is {@link #get(long)}, {@code m[a:b:c]} is
 * {@link #getSlice(Long, Long, Long)}). Python {@code bytes} are {@code byte[]}, indices and sizes
 * {@code long} (C's {@code Py_ssize_t}), and {@code None} is {@code null} where Python allows it.
 *
 * <p>Every argument is checked in CPython's order (closed first, then, as CPython does, the access
 * mode before index or range checks where CPython checks it first), and a call that fails changes
 * nothing, the position included. Python's exceptions map one to one onto the nested exception
 * types below, with CPython's message text:
 *
 * <table>
 *   <caption>Python exception to Java exception</caption>
 *   <tr><th>Python</th><th>Java</th><th>JDK supertype</th></tr>
 *   <tr><td>{@code ValueError}</td><td>{@link ValueError}</td><td>{@link IllegalArgumentException}</td></tr>
 *   <tr><td>{@code TypeError}</td><td>{@link TypeError}</td><td>{@link UnsupportedOperationException}</td></tr>
 *   <tr><td>{@code IndexError}</td><td>{@link IndexError}</td><td>{@link IndexOutOfBoundsException}</td></tr>
 *   <tr><td>{@code OverflowError}</td><td>{@link OverflowError}</td><td>{@link ArithmeticException}</td></tr>
 *   <tr><td>{@code OSError} (and its errno subclasses)</td><td>{@link OSError}</td><td>{@link UncheckedIOException}</td></tr>
 *   <tr><td>{@code StopIteration}</td><td>{@link NoSuchElementException} (after {@code hasNext()} is false)</td><td></td></tr>
 * </table>
 *
 * <p>Deliberate differences: a mapping holds at most {@link #MAX_LENGTH} bytes (one Java buffer);
 * where CPython would die of {@code SIGBUS} (a file truncated under the mapping, shared anonymous
 * memory grown past its first size, a store region shrunk or deleted under the map) this class throws
 * {@link OSError} with errno 14 ({@code EFAULT}); for a file shrunk by other means than Memoir
 * ({@link #resize(long)}, {@link #truncate(Path, long)}) only in {@code strict} mode, see
 * {@link #STORAGE_CHECK_PROP_NAME}. A map of a store region fails, where the store does,
 * with the store's own {@link MemoirException}s (region missing, store read-only, store full).
 *
 * <p>Not thread-safe, like Python's (which relies on the GIL): confine an instance to one thread or
 * synchronize around it. Closing it while another thread uses it may crash the JVM, since the memory
 * is unmapped at once.
 */
public final class Mmap implements AutoCloseable, Iterable<byte[]> {

    /** Python's {@code mmap.ACCESS_DEFAULT}: read and write, shared (as {@link #ACCESS_WRITE}). */
    public static final int ACCESS_DEFAULT = 0;
    /** Python's {@code mmap.ACCESS_READ}: read only; writing raises {@link TypeError}. */
    public static final int ACCESS_READ = 1;
    /** Python's {@code mmap.ACCESS_WRITE}: write-through, shared with every other mapping of the file. */
    public static final int ACCESS_WRITE = 2;
    /** Python's {@code mmap.ACCESS_COPY}: private copy-on-write; writes never reach the file. */
    public static final int ACCESS_COPY = 3;

    /** Python's {@code os.SEEK_SET}: {@link #seek(long, int)} from the start. */
    public static final int SEEK_SET = 0;
    /** Python's {@code os.SEEK_CUR}: {@link #seek(long, int)} from the current position. */
    public static final int SEEK_CUR = 1;
    /** Python's {@code os.SEEK_END}: {@link #seek(long, int)} from the end. */
    public static final int SEEK_END = 2;

    /** Python's {@code mmap.PAGESIZE}: the operating system's page size (4096 on x86-64 Linux). */
    public static final int PAGESIZE = NativeUtil.pageSize();
    /**
     * Python's {@code mmap.ALLOCATIONGRANULARITY}: file offsets must be multiples of it. On Linux, as
     * in CPython, it is the page size.
     */
    public static final int ALLOCATIONGRANULARITY = PAGESIZE;
    /**
     * Largest length this adapter can map or resize to, {@code Integer.MAX_VALUE} (a Java buffer's
     * limit; CPython has none below the address space). Beyond it: {@link OverflowError}.
     */
    public static final long MAX_LENGTH = Integer.MAX_VALUE;

    /** Vector size of glibc's x86-64 AVX-512 {@code memmove}, which CPython's {@code move} calls. */
    private static final int MEMMOVE_VECTOR = 64;
    /** Above 8 vectors, glibc's {@code memmove(p, p, n)} returns after loading one vector. */
    private static final int MEMMOVE_NOP_ABOVE = 8 * MEMMOVE_VECTOR;

    /**
     * System property: how a file map makes sure, before an access, that the file still covers the
     * bytes touched, so that it raises {@link OSError} errno 14 where CPython would die of
     * {@code SIGBUS}. Read when a file is mapped. Values:
     * <ul>
     *   <li>{@code tracked} (the default): the map reads the file's length ({@code fstat}) only when
     *       an access goes beyond the length it last saw or a file was truncated through Memoir in
     *       this JVM since ({@link #resize(long)} of any map, {@link #truncate(Path, long)},
     *       {@link #truncate(FileChannel, long)}); otherwise an access costs one volatile read. A
     *       file truncated by other means (another process, other code in this JVM) is not seen
     *       before the access: the JVM's {@code SIGBUS} handling skips the faulting copy and throws
     *       {@code java.lang.InternalError} later, at this thread's next transition into the VM,
     *       inside or outside this class; inside a method of the map it is errno 14.</li>
     *   <li>{@code strict} (or {@code true}): an {@code fstat} before every access, exact whoever
     *       truncates the file, at about 0.2 µs per access (more under load).</li>
     *   <li>{@code off} (or {@code false}): no check; only the JVM's fault handling, as above.</li>
     * </ul>
     * Anonymous and store-region maps check exactly without a system call and ignore it. Any other
     * value makes mapping a file fail with {@link IllegalArgumentException}.
     */
    public static final String STORAGE_CHECK_PROP_NAME = "memoir.mmap.storage.check";

    private static final String[] ACCESS_NAMES = {"ACCESS_DEFAULT", "ACCESS_READ", "ACCESS_WRITE", "ACCESS_COPY"};

    private final int access;
    private final long offset;
    private Backing backing;
    private long pos;

    /**
     * Wraps a backing already mapped and checked; for backings other than file and anonymous memory.
     *
     * @param backing what is mapped
     * @param access one of the {@code ACCESS_*} constants, already validated
     * @param offset the offset within the file or region, reported by {@link #toString()}
     */
    Mmap(Backing backing, int access, long offset) {
        this.backing = Objects.requireNonNull(backing, "backing");
        this.access = access;
        this.offset = offset;
    }

    // ---------------------------------------------------------------- factories

    /**
     * Equivalent to {@code mmap.mmap(f.fileno(), length)} with {@code f = open(file, 'r+b')}: maps the
     * whole file ({@code length} 0) or its first {@code length} bytes, read-write and shared. See
     * {@link #map(Path, long, int, long)}.
     *
     * @param file an existing file
     * @param length bytes to map, 0 for the whole file
     * @return the open map, position 0
     */
    public static Mmap map(Path file, long length) {
        return map(file, length, ACCESS_DEFAULT, 0);
    }

    /**
     * Equivalent to {@code mmap.mmap(f.fileno(), length, access=access)} with {@code f} opened as in
     * {@link #map(Path, long, int, long)}.
     *
     * @param file an existing file
     * @param length bytes to map, 0 for the whole file
     * @param access one of the {@code ACCESS_*} constants
     * @return the open map, position 0
     */
    public static Mmap map(Path file, long length, int access) {
        return map(file, length, access, 0);
    }

    /**
     * Equivalent to the Python idiom
     * {@code with open(file, 'rb' if access == ACCESS_READ else 'r+b') as f:
     * mmap.mmap(f.fileno(), length, access=access, offset=offset)}.
     *
     * <p>The file is opened first (failing as Python's {@code open} does, e.g. {@link OSError} errno 2
     * "[Errno 2] No such file or directory: 'path'"); then CPython's checks run in CPython's order:
     * {@code length < 0} and {@code offset < 0} ({@link OverflowError}), {@code access}
     * ({@link ValueError} "mmap invalid access parameter."), the file's size ({@link ValueError}
     * "cannot mmap an empty file", "mmap offset is greater than file size", "mmap length is greater
     * than file size"), and then what Linux {@code mmap} refuses ({@link OSError} errno 22 for an
     * {@code offset} that is not a multiple of {@link #ALLOCATIONGRANULARITY}). The map owns the file
     * and closes it on {@link #close()}.
     *
     * @param file an existing file
     * @param length bytes to map, 0 for everything from {@code offset} to the end of the file
     * @param access one of the {@code ACCESS_*} constants
     * @param offset where the mapping starts in the file, a multiple of {@link #ALLOCATIONGRANULARITY}
     * @return the open map, position 0
     * @throws OverflowError also when the mapping would exceed {@link #MAX_LENGTH}
     */
    public static Mmap map(Path file, long length, int access, long offset) {
        Objects.requireNonNull(file, "file");
        return map(FileBacking.Handle.open(file, access != ACCESS_READ), length, access, offset, null);
    }

    /**
     * Equivalent to {@code mmap.mmap(fileno, length)}: maps the file behind {@code channel}, read-write
     * and shared. See {@link #map(FileChannel, long, int, long)}.
     *
     * @param channel an open channel, readable and writable
     * @param length bytes to map, 0 for the whole file
     * @return the open map, position 0
     */
    public static Mmap map(FileChannel channel, long length) {
        return map(channel, length, ACCESS_DEFAULT, 0);
    }

    /**
     * Equivalent to {@code mmap.mmap(fileno, length, access=access)}. See
     * {@link #map(FileChannel, long, int, long)}.
     *
     * @param channel an open channel
     * @param length bytes to map, 0 for the whole file
     * @param access one of the {@code ACCESS_*} constants
     * @return the open map, position 0
     */
    public static Mmap map(FileChannel channel, long length, int access) {
        return map(channel, length, access, 0);
    }

    /**
     * Equivalent to {@code mmap.mmap(fileno, length, access=access, offset=offset)}, the channel
     * standing for the file descriptor. Checks as {@link #map(Path, long, int, long)}.
     *
     * <p>CPython duplicates the descriptor; Java cannot, so the channel stays the caller's: keep it
     * open while the map is in use ({@link #size()}, {@link #resize(long)} and the truncation check
     * use it; once it is closed they fail with errno 9, {@code EBADF}). {@link #close()} does not
     * close it. Unlike C, Java cannot map a channel opened read-only with {@link #ACCESS_COPY}
     * ({@link OSError} errno 13).
     *
     * @param channel an open channel; readable, and writable unless {@code access} is {@link #ACCESS_READ}
     * @param length bytes to map, 0 for everything from {@code offset} to the end of the file
     * @param access one of the {@code ACCESS_*} constants
     * @param offset where the mapping starts in the file, a multiple of {@link #ALLOCATIONGRANULARITY}
     * @return the open map, position 0
     */
    public static Mmap map(FileChannel channel, long length, int access, long offset) {
        Objects.requireNonNull(channel, "channel");
        return map(FileBacking.Handle.of(channel), length, access, offset, null);
    }

    /**
     * Equivalent to Python's {@code os.truncate(path, length)}: sets the file's length, cutting it
     * or extending it with zeros, as C's {@code truncate}. Every map of the file in this JVM then
     * raises {@link OSError} errno 14 on the pages the file no longer covers, where CPython would
     * die of {@code SIGBUS}, whatever {@link #STORAGE_CHECK_PROP_NAME} says (unless {@code off}).
     * Shrink a mapped file with this (or {@link #resize(long)}) rather than by other means.
     *
     * @param file an existing file, writable
     * @param length the new length in bytes
     * @throws OSError as Python's: errno 22 for a negative length, 2 for a missing file, 21 for a
     *     directory, 27 for a length the file system cannot hold, 28 for a full disk, each with the path,
     *     e.g. {@code "[Errno 2] No such file or directory: '/path'"}
     */
    public static void truncate(Path file, long length) {
        Objects.requireNonNull(file, "file");
        if (length < 0) {
            throw Errno.error(Errno.EINVAL, file, null);
        }
        try (FileBacking.Handle handle = FileBacking.Handle.open(file, true)) {
            handle.truncate(length);
        } catch (IOException e) {
            // os.truncate names the path whatever the errno, e.g. "[Errno 27] File too large: '/path'"
            throw Errno.error(Errno.fromIo(e, file).errno(), file, e);
        }
    }

    /**
     * Equivalent to Python's {@code os.ftruncate(fd, length)}, the channel standing for the file
     * descriptor: as {@link #truncate(Path, long)} through a channel the caller keeps open.
     *
     * @param channel an open channel, writable
     * @param length the new length in bytes
     * @throws OSError as Python's: errno 22 for a negative length or a channel not open for writing,
     *     9 for a closed channel
     */
    public static void truncate(FileChannel channel, long length) {
        Objects.requireNonNull(channel, "channel");
        if (length < 0) {
            throw Errno.error(Errno.EINVAL);
        }
        try {
            FileBacking.Handle.of(channel).truncate(length);
        } catch (NonWritableChannelException e) {
            throw Errno.error(Errno.EINVAL);
        } catch (IOException e) {
            throw Errno.fromIo(e, null);
        }
    }

    /**
     * Equivalent to {@code mmap.mmap(-1, length)}: anonymous, zero-filled memory.
     *
     * @param length bytes, at least 1 (0 is {@link OSError} errno 22, as Linux {@code mmap})
     * @return the open map, position 0
     */
    public static Mmap anonymous(long length) {
        return anonymous(length, ACCESS_DEFAULT);
    }

    /**
     * Equivalent to {@code mmap.mmap(-1, length, access=access)}. With no fork in Java, the memory is
     * private to this process whatever the access; {@link #size()} fails with errno 9 as in CPython.
     *
     * @param length bytes, at least 1
     * @param access one of the {@code ACCESS_*} constants
     * @return the open map, position 0
     */
    public static Mmap anonymous(long length, int access) {
        checkNew(length, 0, access);
        if (length == 0) {
            throw Errno.error(Errno.EINVAL);
        }
        checkJavaLimit(length);
        return new Mmap(AnonymousBacking.allocate(length), access, 0);
    }

    /**
     * Equivalent to {@code mmap.mmap(-1, length, tagname=tagname)} on Windows: the named region of
     * {@code store}, read-write. See {@link #open(Store, String, long, int)}.
     *
     * @param store an open store
     * @param tagname the region's tag
     * @param length bytes to map, 0 for the whole (existing) region
     * @return the open map, position 0
     */
    public static Mmap open(Store store, String tagname, long length) {
        return open(store, tagname, length, ACCESS_DEFAULT);
    }

    /**
     * Equivalent to {@code mmap.mmap(-1, length, tagname=tagname, access=access)} on Windows: maps
     * the region {@code tagname} of {@code store}, which every opener of the tag, in any JVM, shares.
     *
     * <p>Every write through the map is a journaled {@link Region#write} of exactly the bytes
     * written ({@code writeByte} journals one byte at its offset, a slice assignment that slice,
     * {@code move} the destination range), seen by every JVM at once; every read is a
     * {@link Region#read}, never torn. {@link #resize(long)} is a journaled {@link Region#resize};
     * {@link #flush()} is {@link Store#flush()}; {@link #size()} is the region's current length.
     * {@link #ACCESS_COPY} is copy-on-write by page, as Linux's {@code MAP_PRIVATE}: pages this map
     * has not written show the region live, its own writes never reach the store or the journal.
     *
     * <p>{@link #ACCESS_WRITE} and {@link #ACCESS_DEFAULT} create the region, zero-filled, if it is
     * missing and {@code length > 0}; {@link #ACCESS_READ} and {@link #ACCESS_COPY} never create it.
     * The map's length is fixed at open, as a file map's: if another JVM resizes the region, this map
     * keeps its length, and touching bytes the region no longer has (or any byte once it is deleted)
     * raises {@link OSError} errno 14 and changes nothing.
     *
     * <p>Checks, in order: {@code length < 0} ({@link OverflowError}), {@code access}
     * ({@link ValueError}), {@link #MAX_LENGTH} ({@link OverflowError}); then the store's:
     * {@link MemoirException.StoreFullException} if {@code length} exceeds the store's largest region,
     * {@link MemoirException.RegionNotFoundException} if the region is missing (and not to be
     * created), {@link MemoirException.ReadOnlyStoreException} for a writable map of a read-only
     * store; then, as for a file, {@link ValueError} "cannot mmap an empty file" (length 0 of an empty
     * region) and "mmap length is greater than file size". A call that fails creates nothing.
     *
     * <p>The map is invalid once the store is closed: every method then raises {@link ValueError}
     * "mmap closed or invalid", as after {@link #close()}. Closing the map leaves the region.
     *
     * @param store an open store
     * @param tagname the region's tag (see {@link Store#region(String, int)} for the allowed form)
     * @param length bytes to map, 0 for the whole (existing) region
     * @param access one of the {@code ACCESS_*} constants
     * @return the open map, position 0
     */
    public static Mmap open(Store store, String tagname, long length, int access) {
        Objects.requireNonNull(store, "store");
        Objects.requireNonNull(tagname, "tagname");
        checkNew(length, 0, access);
        checkJavaLimit(length);
        boolean writable = access == ACCESS_WRITE || access == ACCESS_DEFAULT;
        Region region = writable && length > 0 ? store.region(tagname, (int) length) : store.region(tagname);
        if (writable) {
            region.checkWritable();
        }
        long regionLength = region.length();
        long mapSize = length;
        if (length == 0) {
            if (regionLength == 0) {
                throw new ValueError("cannot mmap an empty file");
            }
            mapSize = regionLength;
        } else if (regionLength < length) {
            throw new ValueError("mmap length is greater than file size");
        }
        RegionBacking shared = new RegionBacking(store, region, mapSize);
        return new Mmap(access == ACCESS_COPY ? new RegionCopyBacking(shared, mapSize) : shared, access, 0);
    }

    /**
     * Maps an open file, checking as CPython does; closes {@code handle} if that fails.
     *
     * @param check how accesses are checked; null for what {@link #STORAGE_CHECK_PROP_NAME} says
     */
    static Mmap map(FileBacking.Handle handle, long length, int access, long offset, StorageCheck check) {
        boolean mapped = false;
        try {
            StorageCheck checkMode = check != null ? check : StorageCheck.fromProperty();
            checkNew(length, offset, access);
            long mapSize = length;
            if (handle.isRegularFile()) {
                long fileSize = fileLength(handle);
                if (length == 0) {
                    if (fileSize == 0) {
                        throw new ValueError("cannot mmap an empty file");
                    }
                    if (offset >= fileSize) {
                        throw new ValueError("mmap offset is greater than file size");
                    }
                    mapSize = fileSize - offset;
                } else if (offset > fileSize || fileSize - offset < length) {
                    throw new ValueError("mmap length is greater than file size");
                }
            }
            if (mapSize == 0 || offset % ALLOCATIONGRANULARITY != 0) {
                throw Errno.error(Errno.EINVAL);
            }
            checkJavaLimit(mapSize);
            Mmap m = new Mmap(FileBacking.map(handle, mode(access), offset, mapSize, checkMode), access, offset);
            mapped = true;
            return m;
        } finally {
            if (!mapped) {
                handle.close();
            }
        }
    }

    private static long fileLength(FileBacking.Handle handle) {
        try {
            return handle.length();
        } catch (IOException e) {
            throw Errno.fromIo(e, null);
        }
    }

    /** CPython {@code new_mmap_object}'s own checks, in its order. */
    private static void checkNew(long length, long offset, int access) {
        if (length < 0) {
            throw new OverflowError("memory mapped length must be positive");
        }
        if (offset < 0) {
            throw new OverflowError("memory mapped offset must be positive");
        }
        if (access < ACCESS_DEFAULT || access > ACCESS_COPY) {
            throw new ValueError("mmap invalid access parameter.");
        }
    }

    private static void checkJavaLimit(long length) {
        if (length > MAX_LENGTH) {
            throw new OverflowError("memory mapped length is too large for Java: length=" + length
                    + ", MAX_LENGTH=" + MAX_LENGTH);
        }
    }

    private static FileChannel.MapMode mode(int access) {
        switch (access) {
            case ACCESS_READ:
                return FileChannel.MapMode.READ_ONLY;
            case ACCESS_COPY:
                return FileChannel.MapMode.PRIVATE;
            default:
                return FileChannel.MapMode.READ_WRITE;
        }
    }

    // ---------------------------------------------------------------- checks shared by the methods

    /** What is mapped, null once closed; for tests. */
    Backing backing() {
        return backing;
    }

    /** CPython's {@code CHECK_VALID}. */
    private Backing valid() {
        Backing b = backing;
        if (b == null || !b.isValid()) {
            throw new ValueError("mmap closed or invalid");
        }
        return b;
    }

    /** CPython's {@code is_writeable}. */
    private void checkWriteable() {
        if (access == ACCESS_READ) {
            throw new TypeError("mmap can't modify a readonly memory map.");
        }
    }

    /** C's {@code Py_ssize_t} index normalisation for {@code m[i]}. */
    private static long checkIndex(long index, long size) {
        long i = index < 0 ? index + size : index;
        if (i < 0 || i >= size) {
            throw new IndexError("mmap index out of range");
        }
        return i;
    }

    // ---------------------------------------------------------------- lifecycle

    /**
     * Equivalent to {@code mmap.close()}: unmaps and releases the file (not a caller's channel).
     * Closing twice is allowed; afterwards every other method but {@link #isClosed()} and
     * {@link #toString()} throws {@link ValueError} "mmap closed or invalid".
     */
    @Override
    public void close() {
        Backing b = backing;
        backing = null;
        if (b != null) {
            b.close();
        }
    }

    /**
     * Equivalent to {@code mmap.closed}.
     *
     * @return whether {@link #close()} was called (or, for a store region, the store was closed)
     */
    public boolean isClosed() {
        Backing b = backing;
        return b == null || !b.isValid();
    }

    // ---------------------------------------------------------------- sizes and position

    /**
     * Equivalent to {@code len(mmap)}.
     *
     * @return the mapped length in bytes
     */
    public long length() {
        return valid().size();
    }

    /**
     * Equivalent to {@code mmap.size()}: the length of the underlying file, which may differ from
     * {@link #length()}. For anonymous memory CPython 3.11 on Linux {@code fstat}s descriptor -1, so
     * this throws {@link OSError} "[Errno 9] Bad file descriptor".
     *
     * @return the file's length in bytes
     */
    public long size() {
        return valid().fileSize();
    }

    /**
     * Equivalent to {@code mmap.tell()}.
     *
     * @return the current position; may exceed {@link #length()} after a shrinking {@link #resize}
     */
    public long tell() {
        valid();
        return pos;
    }

    /**
     * Equivalent to {@code mmap.seek(pos)}.
     *
     * @param pos the new position, {@code 0 <= pos <= length()}
     */
    public void seek(long pos) {
        seek(pos, SEEK_SET);
    }

    /**
     * Equivalent to {@code mmap.seek(pos, whence)}; returns nothing, as in 3.11.
     *
     * @param dist the offset relative to {@code whence}
     * @param whence {@link #SEEK_SET}, {@link #SEEK_CUR} or {@link #SEEK_END}; anything else is
     *     {@link ValueError} "unknown seek type"
     * @throws ValueError "seek out of range" unless the new position is in {@code [0, length()]}
     */
    public void seek(long dist, int whence) {
        Backing b = valid();
        long size = b.size();
        long where;
        switch (whence) {
            case SEEK_SET:
                where = dist;
                break;
            case SEEK_CUR:
                if (Long.MAX_VALUE - pos < dist) {
                    throw new ValueError("seek out of range");
                }
                where = pos + dist;
                break;
            case SEEK_END:
                if (Long.MAX_VALUE - size < dist) {
                    throw new ValueError("seek out of range");
                }
                where = size + dist;
                break;
            default:
                throw new ValueError("unknown seek type");
        }
        if (where > size || where < 0) {
            throw new ValueError("seek out of range");
        }
        pos = where;
    }

    /**
     * Equivalent to {@code mmap.resize(newsize)}: resizes the file to {@code offset + newSize} (C's
     * {@code ftruncate}) and the mapping to {@code newSize}; the position is unchanged. Checks, in
     * CPython's order: {@link TypeError} "mmap can't resize a readonly or copy-on-write memory map.",
     * {@link ValueError} "new size out of range", then (Java's limit) {@link OverflowError} above
     * {@link #MAX_LENGTH}. As CPython on Linux, {@code newSize} 0 truncates the file and then fails
     * with {@link OSError} errno 22, keeping the old mapping.
     *
     * @param newSize the new length in bytes
     */
    public void resize(long newSize) {
        Backing b = valid();
        if (access != ACCESS_WRITE && access != ACCESS_DEFAULT) {
            throw new TypeError("mmap can't resize a readonly or copy-on-write memory map.");
        }
        if (newSize < 0 || Long.MAX_VALUE - newSize < offset) {
            throw new ValueError("new size out of range");
        }
        checkJavaLimit(newSize);
        b.resize(newSize);
    }

    /**
     * Equivalent to {@code mmap.flush()}: writes the whole mapping back to the file.
     */
    public void flush() {
        Backing b = valid();
        flush(b, 0, b.size());
    }

    /**
     * Equivalent to {@code mmap.flush(offset)}, whose size still defaults to the whole length: so
     * any {@code offset > 0} is {@link ValueError} "flush values out of range", as in CPython.
     *
     * @param offset start of the range
     */
    public void flush(long offset) {
        Backing b = valid();
        flush(b, offset, b.size());
    }

    /**
     * Equivalent to {@code mmap.flush(offset, size)} (C's {@code msync(MS_SYNC)}); returns nothing,
     * as in 3.11. A no-op for {@link #ACCESS_READ} and {@link #ACCESS_COPY} once the range is checked.
     *
     * @param offset start of the range, a multiple of {@link #PAGESIZE} (else {@link OSError} errno 22)
     * @param size bytes to flush
     * @throws ValueError "flush values out of range" unless {@code [offset, offset+size]} is within the mapping
     */
    public void flush(long offset, long size) {
        flush(valid(), offset, size);
    }

    private void flush(Backing b, long offset, long size) {
        if (size < 0 || offset < 0 || b.size() - offset < size) {
            throw new ValueError("flush values out of range");
        }
        if (access == ACCESS_READ || access == ACCESS_COPY) {
            return;
        }
        if (offset % PAGESIZE != 0) {
            throw Errno.error(Errno.EINVAL);
        }
        b.flush(offset, size);
    }

    // ---------------------------------------------------------------- file-like reading

    /**
     * Equivalent to {@code mmap.read()}: everything from the position to the end.
     *
     * @return the bytes read (empty at or past the end)
     */
    public byte[] read() {
        return read(-1);
    }

    /**
     * Equivalent to {@code mmap.read(n)}; {@code mmap.read(None)} is {@code read(-1)}.
     *
     * @param n bytes to read; negative, or more than remain, reads to the end
     * @return the bytes read; the position advances by their count
     */
    public byte[] read(long n) {
        Backing b = valid();
        long remaining = remaining(b);
        byte[] out = new byte[(int) (n < 0 || n > remaining ? remaining : n)];
        b.read(pos, out, 0, out.length);
        pos += out.length;
        return out;
    }

    /**
     * Equivalent to {@code readinto(b)} of Python's binary files, which {@code mmap} lacks:
     * {@code n = min(len(b), remaining); b[:n] = mm.read(n)}, without allocating.
     *
     * @param dst where to put the bytes read
     * @return the number of bytes read, 0 at or past the end; the position advances by it
     */
    public int readInto(byte[] dst) {
        return readInto(dst, 0, dst.length);
    }

    /**
     * Equivalent to {@code memoryview(dst)[off:off+len]} filled as by {@link #readInto(byte[])}:
     * {@code mm.read(len)} into part of an array, without allocating.
     *
     * @param dst where to put the bytes read
     * @param off where in {@code dst}
     * @param len at most this many bytes
     * @return the number of bytes read, 0 at or past the end; the position advances by it
     * @throws IndexOutOfBoundsException if {@code [off, off+len)} is not within {@code dst}
     */
    public int readInto(byte[] dst, int off, int len) {
        Backing b = valid();
        Objects.checkFromIndexSize(off, len, dst.length);
        int n = (int) Math.min(len, remaining(b));
        b.read(pos, dst, off, n);
        pos += n;
        return n;
    }

    /** Bytes from the position to the end, 0 if the position is past it (after a shrinking resize). */
    private long remaining(Backing b) {
        long size = b.size();
        return pos < size ? size - pos : 0;
    }

    /**
     * Equivalent to {@code mmap.read_byte()}.
     *
     * @return the byte at the position, 0..255; the position advances by 1
     * @throws ValueError "read byte out of range" at or past the end
     */
    public int readByte() {
        Backing b = valid();
        if (pos < b.size()) {
            int value = b.get(pos) & 0xFF;
            pos++;
            return value;
        }
        throw new ValueError("read byte out of range");
    }

    /**
     * Equivalent to {@code mmap.readline()}.
     *
     * @return the bytes from the position up to and including the next {@code '\n'}, or to the end
     */
    public byte[] readLine() {
        Backing b = valid();
        long size = b.size();
        if (pos >= size) {
            return new byte[0];
        }
        long eol = ByteSearch.endOfLine(b, pos, size);
        byte[] out = new byte[(int) (eol - pos)];
        b.read(pos, out, 0, out.length);
        pos = eol;
        return out;
    }

    /**
     * Equivalent to {@code mmap.find(sub)}: searches from the position to the end.
     *
     * @param sub the bytes to find
     * @return the lowest index where {@code sub} starts, or -1
     */
    public long find(byte[] sub) {
        Backing b = valid();
        return search(b, sub, pos, b.size(), false);
    }

    /**
     * Equivalent to {@code mmap.find(sub, start)}.
     *
     * @param sub the bytes to find
     * @param start where to start; negative counts from the end; clamped to {@code [0, length()]}
     * @return the lowest index where {@code sub} starts, or -1
     */
    public long find(byte[] sub, long start) {
        Backing b = valid();
        return search(b, sub, start, b.size(), false);
    }

    /**
     * Equivalent to {@code mmap.find(sub, start, end)}.
     *
     * @param sub the bytes to find
     * @param start where to start; negative counts from the end; clamped to {@code [0, length()]}
     * @param end where to stop (exclusive); negative counts from the end; clamped likewise
     * @return the lowest index where {@code sub} lies wholly within {@code [start, end)}, or -1
     */
    public long find(byte[] sub, long start, long end) {
        return search(valid(), sub, start, end, false);
    }

    /**
     * Equivalent to {@code mmap.rfind(sub)}: searches from the position to the end.
     *
     * @param sub the bytes to find
     * @return the highest index where {@code sub} starts, or -1
     */
    public long rfind(byte[] sub) {
        Backing b = valid();
        return search(b, sub, pos, b.size(), true);
    }

    /**
     * Equivalent to {@code mmap.rfind(sub, start)}.
     *
     * @param sub the bytes to find
     * @param start as for {@link #find(byte[], long)}
     * @return the highest index where {@code sub} starts, or -1
     */
    public long rfind(byte[] sub, long start) {
        Backing b = valid();
        return search(b, sub, start, b.size(), true);
    }

    /**
     * Equivalent to {@code mmap.rfind(sub, start, end)}.
     *
     * @param sub the bytes to find
     * @param start as for {@link #find(byte[], long, long)}
     * @param end as for {@link #find(byte[], long, long)}
     * @return the highest index where {@code sub} lies wholly within {@code [start, end)}, or -1
     */
    public long rfind(byte[] sub, long start, long end) {
        return search(valid(), sub, start, end, true);
    }

    private static long search(Backing b, byte[] sub, long start, long end, boolean reverse) {
        Objects.requireNonNull(sub, "sub");
        long size = b.size();
        start = clamp(start, size);
        end = clamp(end, size);
        return reverse ? ByteSearch.rfind(b, sub, start, end) : ByteSearch.find(b, sub, start, end);
    }

    private static long clamp(long index, long size) {
        if (index < 0) {
            index += size;
        }
        if (index < 0) {
            return 0;
        }
        return Math.min(index, size);
    }

    // ---------------------------------------------------------------- file-like writing

    /**
     * Equivalent to {@code mmap.write(bytes)}: all or nothing.
     *
     * @param data the bytes to write at the position
     * @return {@code data.length}; the position advances by it
     * @throws TypeError on an {@link #ACCESS_READ} map
     * @throws ValueError "data out of range" if fewer than {@code data.length} bytes remain
     */
    public int write(byte[] data) {
        Backing b = valid();
        return write(b, Objects.requireNonNull(data, "data"), 0, data.length);
    }

    /**
     * Equivalent to {@code mmap.write(memoryview(src)[off:off+len])}: writes part of an array, all or
     * nothing, without copying it first.
     *
     * @param src the array holding the bytes
     * @param off where they start in {@code src}
     * @param len how many
     * @return {@code len}; the position advances by it
     * @throws IndexOutOfBoundsException if {@code [off, off+len)} is not within {@code src}
     * @throws TypeError on an {@link #ACCESS_READ} map
     * @throws ValueError "data out of range" if fewer than {@code len} bytes remain
     */
    public int write(byte[] src, int off, int len) {
        Backing b = valid();
        Objects.checkFromIndexSize(off, len, src.length);
        return write(b, src, off, len);
    }

    private int write(Backing b, byte[] src, int off, int len) {
        checkWriteable();
        long size = b.size();
        if (pos > size || size - pos < len) {
            throw new ValueError("data out of range");
        }
        b.write(pos, src, off, len);
        pos += len;
        return len;
    }

    /**
     * Equivalent to {@code mmap.write_byte(value)}.
     *
     * @param value the byte, 0..255 (else {@link OverflowError} "unsigned byte integer is less than
     *     minimum" / "... greater than maximum", checked before the access mode, as in CPython)
     * @throws ValueError "write byte out of range" at or past the end
     */
    public void writeByte(int value) {
        Backing b = valid();
        if (value < 0) {
            throw new OverflowError("unsigned byte integer is less than minimum");
        }
        if (value > 255) {
            throw new OverflowError("unsigned byte integer is greater than maximum");
        }
        checkWriteable();
        if (pos >= b.size()) {
            throw new ValueError("write byte out of range");
        }
        b.put(pos, (byte) value);
        pos++;
    }

    /**
     * Equivalent to {@code mmap.move(dest, src, count)}: memmove within the mapping; the position is
     * unchanged. Memory is touched as glibc's x86-64 {@code memmove} touches it, which shows only when
     * storage has vanished under the map or on {@link #ACCESS_COPY} pages: {@code move(p, p, n)}
     * copies the bytes onto themselves for {@code n <= 512} and reads just the first 64 for larger
     * {@code n}.
     *
     * @param dest destination index
     * @param src source index
     * @param count bytes to copy
     * @throws TypeError on an {@link #ACCESS_READ} map (checked before the range)
     * @throws ValueError "source, destination, or count out of range"
     */
    public void move(long dest, long src, long count) {
        Backing b = valid();
        checkWriteable();
        long size = b.size();
        if (dest < 0 || src < 0 || count < 0 || size - dest < count || size - src < count) {
            throw new ValueError("source, destination, or count out of range");
        }
        if (dest == src && count > MEMMOVE_NOP_ABOVE) {
            // glibc's memmove loads the first vector, then sees dst == src and returns: it touches
            // (and may fault on) those bytes only, and stores nothing (no copy-on-write).
            b.read(src, new byte[MEMMOVE_VECTOR], 0, MEMMOVE_VECTOR);
            return;
        }
        b.move(dest, src, count);
    }

    // ---------------------------------------------------------------- indexing and slicing

    /**
     * Equivalent to {@code mmap[index]}.
     *
     * @param index negative counts from the end
     * @return the byte, 0..255
     * @throws IndexError "mmap index out of range"
     */
    public int get(long index) {
        Backing b = valid();
        return b.get(checkIndex(index, b.size())) & 0xFF;
    }

    /**
     * Equivalent to {@code mmap[index] = value}. CPython checks, in order: closed, the access mode
     * ({@link TypeError}), the index ({@link IndexError}), the value ({@link ValueError} "mmap item
     * value must be in range(0, 256)").
     *
     * @param index negative counts from the end
     * @param value 0..255
     */
    public void set(long index, int value) {
        Backing b = valid();
        checkWriteable();
        long i = checkIndex(index, b.size());
        if (value < 0 || value > 255) {
            throw new ValueError("mmap item value must be in range(0, 256)");
        }
        b.put(i, (byte) value);
    }

    /**
     * Equivalent to {@code mmap[start:stop]}.
     *
     * @param start first index; negative counts from the end; out-of-range values are clamped
     * @param stop index to stop before; likewise
     * @return a copy of the bytes
     */
    public byte[] getSlice(long start, long stop) {
        return getSlice(Long.valueOf(start), Long.valueOf(stop), null);
    }

    /**
     * Equivalent to {@code mmap[start:stop:step]}, {@code null} standing for an omitted part (Python's
     * {@code None}): {@code getSlice(null, null, -1L)} is {@code mmap[::-1]}.
     *
     * @param start first index, or null
     * @param stop index to stop before, or null
     * @param step stride, or null for 1; 0 is {@link ValueError} "slice step cannot be zero"
     * @return a copy of the selected bytes, in slice order
     */
    public byte[] getSlice(Long start, Long stop, Long step) {
        Backing b = valid();
        PySlice s = PySlice.of(b.size(), start, stop, step);
        byte[] out = new byte[(int) s.length];
        if (s.step == 1) {
            b.read(s.start, out, 0, out.length);
        } else {
            long cur = s.start;
            for (int i = 0; i < out.length; i++, cur += s.step) {
                out[i] = b.get(cur);
            }
        }
        return out;
    }

    /**
     * Equivalent to {@code mmap[start:stop] = value}.
     *
     * @param start first index; negative counts from the end; clamped
     * @param stop index to stop before; likewise
     * @param value exactly as many bytes as the slice selects
     */
    public void setSlice(long start, long stop, byte[] value) {
        setSlice(Long.valueOf(start), Long.valueOf(stop), null, value);
    }

    /**
     * Equivalent to {@code mmap[start:stop:step] = value}, {@code null} standing for {@code None}.
     * CPython checks, in order: closed, the access mode ({@link TypeError}), the step
     * ({@link ValueError}), the length ({@link IndexError} "mmap slice assignment is wrong size").
     *
     * @param start first index, or null
     * @param stop index to stop before, or null
     * @param step stride, or null for 1
     * @param value exactly as many bytes as the slice selects
     */
    public void setSlice(Long start, Long stop, Long step, byte[] value) {
        Backing b = valid();
        checkWriteable();
        PySlice s = PySlice.of(b.size(), start, stop, step);
        Objects.requireNonNull(value, "value");
        if (value.length != s.length) {
            throw new IndexError("mmap slice assignment is wrong size");
        }
        if (s.step == 1) {
            b.write(s.start, value, 0, value.length);
        } else {
            long cur = s.start;
            for (int i = 0; i < value.length; i++, cur += s.step) {
                b.put(cur, value[i]);
            }
        }
    }

    /**
     * Equivalent to {@code iter(mmap)}: like Python 3.11, which iterates through {@code mmap[i]} of
     * the sequence protocol, it yields each byte as a {@code bytes} object of length 1, here a new
     * {@code byte[1]} (whereas {@link #get(long)} gives an {@code int}, as {@code mmap[i]} does). The
     * length is read at every step; once exhausted the iterator stays exhausted; on a closed map
     * {@code hasNext()} throws {@link ValueError} "mmap closed or invalid".
     *
     * @return an iterator from index 0
     */
    @Override
    public Iterator<byte[]> iterator() {
        return new ByteIterator();
    }

    /**
     * Equivalent to {@code repr(mmap)}, e.g.
     * {@code <mmap.mmap closed=False, access=ACCESS_DEFAULT, length=10, pos=0, offset=0>}.
     *
     * @return Python's representation
     */
    @Override
    public String toString() {
        Backing b = backing;
        if (b == null || !b.isValid()) {
            return "<mmap.mmap closed=True>";
        }
        return "<mmap.mmap closed=False, access=" + ACCESS_NAMES[access] + ", length=" + b.size()
                + ", pos=" + pos + ", offset=" + offset + ">";
    }

    /** Python's sequence iterator over {@code mmap.__getitem__} of length-1 {@code bytes}. */
    private final class ByteIterator implements Iterator<byte[]> {
        private long index;
        private boolean exhausted;

        @Override
        public boolean hasNext() {
            if (exhausted) {
                return false;
            }
            if (index >= valid().size()) {
                exhausted = true;
            }
            return !exhausted;
        }

        @Override
        public byte[] next() {
            if (!hasNext()) {
                throw new NoSuchElementException("StopIteration");
            }
            byte[] item = {backing.get(index)};
            index++;
            return item;
        }
    }

    // ---------------------------------------------------------------- exceptions

    /** Python's {@code ValueError}: a bad value, including use after close ("mmap closed or invalid"). */
    public static final class ValueError extends IllegalArgumentException {
        private static final long serialVersionUID = 1L;

        ValueError(String message) {
            super(message);
        }
    }

    /** Python's {@code TypeError}: here always an operation the access mode forbids. */
    public static final class TypeError extends UnsupportedOperationException {
        private static final long serialVersionUID = 1L;

        TypeError(String message) {
            super(message);
        }
    }

    /** Python's {@code IndexError}: an index or slice assignment out of range. */
    public static final class IndexError extends IndexOutOfBoundsException {
        private static final long serialVersionUID = 1L;

        IndexError(String message) {
            super(message);
        }
    }

    /** Python's {@code OverflowError}: a negative length or offset, a byte value out of 0..255, or {@link Mmap#MAX_LENGTH}. */
    public static final class OverflowError extends ArithmeticException {
        private static final long serialVersionUID = 1L;

        OverflowError(String message) {
            super(message);
        }
    }

    /**
     * Python's {@code OSError} (with its errno subclasses: errno 2 is {@code FileNotFoundError}, 13
     * {@code PermissionError}): a failed system call, message {@code "[Errno 22] Invalid argument"}
     * as {@code str()} of Python's. Errno 14 ({@code EFAULT}) is what this adapter raises where
     * CPython would die of {@code SIGBUS}.
     */
    public static final class OSError extends UncheckedIOException {
        private static final long serialVersionUID = 1L;

        /** The C {@code errno}. */
        private final int errno;

        OSError(int errno, String message, IOException cause) {
            super(message, cause != null ? cause : new IOException(message));
            this.errno = errno;
        }

        /**
         * Equivalent to {@code OSError.errno}.
         *
         * @return the Linux errno, e.g. 22 for {@code EINVAL}
         */
        public int errno() {
            return errno;
        }
    }
}
