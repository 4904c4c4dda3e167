#!/usr/bin/env python3
"""Seed 002_5be9d9842a581fde.txt, client.py (the reader of test.dat), in Python 3.

Changed, only as much as needed:
- bytes in Python 3: m.read(1024).replace(b'\\x00', b'').decode() and print() as a function;
- the file, the number of reads (forever in the article), the interval (1 s) and an optional text
  to stop at are arguments, so it ends by itself.
FileWriterReaderIT runs it against io.memoir.examples.FileWriterReader's writer.

    python3 mmap_file_reader.py [FILE [READS [INTERVAL_S [STOP_AT]]]]
"""
import contextlib
import mmap
import sys
import time

path = sys.argv[1] if len(sys.argv) > 1 else 'test.dat'
reads = int(sys.argv[2]) if len(sys.argv) > 2 else None
interval = float(sys.argv[3]) if len(sys.argv) > 3 else 1.0
stop_at = sys.argv[4] if len(sys.argv) > 4 else None

n = 0
while reads is None or n < reads:
    n += 1
    with open(path, 'r') as f:
        with contextlib.closing(mmap.mmap(f.fileno(), 1024, access=mmap.ACCESS_READ)) as m:
            s = m.read(1024).replace(b'\x00', b'').decode()
            print(s, flush=True)
    if s == stop_at:
        break
    time.sleep(interval)
