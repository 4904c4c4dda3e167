#!/usr/bin/env python3
"""The usage examples of the blog posts in /work/shared/seeds, made deterministic (no fork, no
sleep; Windows tagname memory stood in for by a file named after the tag), printing what they read. MmapSeedExamplesTest runs the Java form of each
(docs/mmap-adapter.md) and compares the output line by line.

    python3 seed_examples.py DIR
"""
import contextlib
import mmap
import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from record_mmap import lit  # noqa: E402


def out(value):
    print(lit(value))


def basic(d):
    """Seed 000, section 1: map a file, readline, slice, slice assignment."""
    path = os.path.join(d, 'hello.txt')
    with open(path, 'wb') as f:
        f.write(b"Hello Python!\n")
    with open(path, 'r+b') as f:
        mm = mmap.mmap(f.fileno(), 0)
        out(mm.readline())
        out(mm[:5])
        mm[6:] = b" world!\n"
        mm.seek(0)
        out(mm.readline())
        mm.close()


def anonymous(d):
    """Seed 000, section 2, without the fork: anonymous memory, write, readline, slice assignment."""
    mm = mmap.mmap(-1, 27)
    out(mm.write(b"Original msg"))
    mm.seek(0)
    out(mm.readline())
    mm[12:] = b' sth from child'
    mm.seek(0)
    out(mm.readline())
    mm.close()


def writer_reader(d):
    """Seeds 000 section 3, 002 and 004: a writer and a reader mapping the same file."""
    path = os.path.join(d, 'test.dat')
    with open(path, 'wb') as f:
        f.write(b'\x00' * 1024)
    with open(path, 'r+b') as f:
        m = mmap.mmap(f.fileno(), 1024, access=mmap.ACCESS_WRITE)
    for i in range(1, 4):
        m.seek(0)
        m.write(b"msg " + str(i).encode())
        m.flush()
        with open(path, 'rb') as f:
            r = mmap.mmap(f.fileno(), 1024, access=mmap.ACCESS_READ)
            out(r.read(1024).replace(b'\x00', b''))
            r.close()
    m.close()


def json_framing(d):
    """Seeds 001 and 003 (jsonmmap): length-prefixed frames written and found again."""
    mm = mmap.mmap(-1, 1024 * 1024, access=mmap.ACCESS_WRITE)
    for obj in (b'[0, 1, 2]', b'{"a": 1}'):
        mm.seek(0)
        content = str(len(obj)).encode() + b":" + obj
        mm.write(content)
        begin = len(str(len(obj))) + 1
        end = mm.tell()
        out(end - begin)
        mm.seek(begin)
        out(mm.read(end - begin))
        mm.seek(0)
        index = mm.find(b":")
        out(index)
        head = mm.read(index + 1)
        out(mm.read(int(head[:-1])))
    mm.close()


def read_byte_flag(d):
    """Seed 001, read_mmap_info: a flag byte, then the text without its NUL padding."""
    mm = mmap.mmap(-1, 1024, access=mmap.ACCESS_WRITE)
    out(mm.read_byte())
    mm.seek(0)
    mm.write(b"This is the test data")
    mm.seek(0)
    out(mm.read_byte())
    mm.seek(0)
    out(mm.read().translate(None, b'\x00'))
    mm.seek(0)
    mm.write(b'\x00')
    mm.write(b"Load data to memory agine")
    mm.seek(0)
    out(mm.read().translate(None, b'\x00'))
    mm.close()


def tag_mmap(d, tagname, length, access):
    """mmap.mmap(-1, length, tagname=tagname, access=access) of Windows, on Linux: a file per tag."""
    path = os.path.join(d, tagname)
    if not os.path.exists(path):
        with open(path, 'wb') as f:
            f.write(b'\x00' * length)
    with open(path, 'rb' if access == mmap.ACCESS_READ else 'r+b') as f:
        return mmap.mmap(f.fileno(), length, access=access)


def tagname(d):
    """Seeds 000 section 4, 002 and 004 (server and client on tagname 'test'), then seeds 001 and
    003 (a jsonmmap frame on tagname 'share_mmap', read back by a second opener)."""
    with contextlib.closing(tag_mmap(d, 'test', 1024, mmap.ACCESS_WRITE)) as server:
        for i in range(1, 4):
            server.seek(0)
            server.write(b"msg " + str(i).encode())
            server.flush()
            with contextlib.closing(tag_mmap(d, 'test', 1024, mmap.ACCESS_READ)) as client:
                out(client.read(1024).replace(b'\x00', b''))
    writer = tag_mmap(d, 'share_mmap', 1024 * 1024, mmap.ACCESS_WRITE)
    obj = b'{"a": 1}'
    writer.seek(0)
    writer.write(str(len(obj)).encode() + b":" + obj)
    reader = tag_mmap(d, 'share_mmap', 1024 * 1024, mmap.ACCESS_READ)
    index = reader.find(b":")
    out(index)
    head = reader.read(index + 1)
    out(reader.read(int(head[:-1])))
    reader.close()
    writer.close()


EXAMPLES = [basic, anonymous, writer_reader, json_framing, read_byte_flag, tagname]

if __name__ == '__main__':
    for example in EXAMPLES:
        print('## ' + example.__name__)
        example(sys.argv[1])
