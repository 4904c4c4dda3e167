#!/usr/bin/env python3
"""Seed 000_f72d29741e27a457.txt, section 1 (basic use), as the article has it, in Python 3.

Changed, only as much as needed: the article's lost line breaks put back; hello.txt goes in the
directory given as the first argument (default: the current one). HelloFileMmapIT runs this and
io.memoir.examples.HelloFileMmap and compares what they print and the file they leave.
"""
import mmap
import os
import sys

d = sys.argv[1] if len(sys.argv) > 1 else '.'
path = os.path.join(d, 'hello.txt')

# 1. create a file
with open(path, 'wb') as f:
    f.write(b"Hello Python!\n")

# 2. map it
with open(path, 'r+b') as f:
    mm = mmap.mmap(f.fileno(), 0)  # size 0: the whole file
    print(mm.readline())  # prints "Hello Python!"
    print(mm[:5])  # prints "Hello"
    mm[6:] = b" world!\n"
    mm.seek(0)
    print(mm.readline())  # prints "Hello  world!"
    mm.close()
