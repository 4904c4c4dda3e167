#!/usr/bin/env python3
"""CPython's side of MmapBenchmark: 64-byte reads and writes at position 0 of a 4 KiB file mapped
with mmap, timed with timeit. Prints one row per operation: the best of REPEAT runs of NUMBER calls,
in ns per call (timeit's own loop overhead included, as JMH's is in its figures).

    python3 bench/src/main/python/mmap_bench.py [--number N] [--repeat R]
"""
import argparse
import mmap
import os
import platform
import tempfile
import timeit

SIZE = 64
FILE_LENGTH = 4096

OPERATIONS = [
    # (name, statement); read64 and write64 are MmapBenchmark's mmapRead64 and mmapWrite64
    ('read64', 'mm.seek(0); mm.read(64)'),
    ('write64', 'mm.seek(0); mm.write(src)'),
    ('slice_read64', 'mm[0:64]'),
    ('slice_write64', 'mm[0:64] = src'),
]


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument('--number', type=int, default=1_000_000, help='calls per run')
    parser.add_argument('--repeat', type=int, default=5, help='runs; the best is reported')
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix='memoir-mmap-bench-') as d:
        path = os.path.join(d, 'data')
        with open(path, 'wb') as f:
            f.write(b'\x00' * FILE_LENGTH)
        with open(path, 'r+b') as f:
            mm = mmap.mmap(f.fileno(), FILE_LENGTH, access=mmap.ACCESS_WRITE)
        src = bytes(ord('a') + i % 26 for i in range(SIZE))
        names = {'mm': mm, 'src': src}
        print(f'# CPython {platform.python_version()} mmap, {args.repeat} x {args.number} calls, best run')
        print(f'{"operation":<16}{"ns/op":>10}  statement')
        for name, stmt in OPERATIONS:
            runs = timeit.Timer(stmt, globals=names).repeat(repeat=args.repeat, number=args.number)
            print(f'{name:<16}{min(runs) / args.number * 1e9:>10.1f}  {stmt}')
        mm.close()


if __name__ == '__main__':
    main()
