#!/usr/bin/env python3
"""Seed 002_5be9d9842a581fde.txt, server.py (the writer on test.dat), in Python 3.

Changed, only as much as needed:
- str -> bytes for mmap.write (Python 3): m.write(s.encode());
- the file, the count (10000 in the article) and the interval (1 s) are arguments, so it ends by itself;
- it prints "wrote msg N" after each flush (the article's writer prints nothing), so a test can
  follow it; the article's no-op s.rjust(...) is kept.
FileWriterReaderIT runs it against io.memoir.examples.FileWriterReader's reader.

    python3 mmap_file_writer.py [FILE [COUNT [INTERVAL_S]]]
"""
import contextlib
import mmap
import sys
import time

path = sys.argv[1] if len(sys.argv) > 1 else 'test.dat'
count = int(sys.argv[2]) if len(sys.argv) > 2 else 10000
interval = float(sys.argv[3]) if len(sys.argv) > 3 else 1.0

with open(path, "w") as f:
    f.write('\x00' * 1024)

with open(path, 'r+') as f:
    with contextlib.closing(mmap.mmap(f.fileno(), 1024, access=mmap.ACCESS_WRITE)) as m:
        for i in range(1, count + 1):
            m.seek(0)
            s = "msg " + str(i)
            s.rjust(1024, '\x00')
            m.write(s.encode())
            m.flush()
            print("wrote " + s, flush=True)
            if i < count:
                time.sleep(interval)
