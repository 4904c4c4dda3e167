#!/usr/bin/env python3
"""The seed articles' jsonmmap approach, timed: a master json.dumps()es a ~1 KiB config into an mmap as
"<len>:<json>" (ObjectMmap.jsonwrite) and a follower finds ':', reads the length and json.loads()es it
(ObjectMmap.jsonread_follower). Both sides run here, one after the other, on one shared file mapping,
as one put + get pair; prints "ns_per_op <n>" for the Java harness (io.memoir.bench.ConfigShare).

Python 3 port of the seed's Python 2 code (the tagname= argument is Windows-only, so a file backs the
map). Usage: python3 jsonmmap_bench.py CONFIG_JSON_FILE [ITERATIONS]
"""
import json
import mmap
import os
import sys
import tempfile
import time


class ObjectMmap:
    def __init__(self, fileno, length):
        self.m = mmap.mmap(fileno, length, access=mmap.ACCESS_WRITE)
        self.obj = None

    def jsonwrite(self, obj):
        self.m.seek(0)
        obj_str = json.dumps(obj)
        content = (str(len(obj_str)) + ":" + obj_str).encode()
        self.m.write(content)
        return True

    def jsonread_follower(self):
        self.m.seek(0)
        index = self.m.find(b":")
        if index == -1:
            return None
        head = self.m.read(index + 1)
        content = self.m.read(int(head[:-1]))
        self.obj = json.loads(content)
        return self.obj


def main():
    with open(sys.argv[1]) as f:
        config = json.load(f)
    iterations = int(sys.argv[2]) if len(sys.argv) > 2 else 200_000
    fd, path = tempfile.mkstemp(prefix="jsonmmap-")
    try:
        os.ftruncate(fd, 64 * 1024)
        master = ObjectMmap(fd, 64 * 1024)
        follower = ObjectMmap(fd, 64 * 1024)
        for _ in range(iterations // 10):  # warm-up
            master.jsonwrite(config)
            follower.jsonread_follower()
        start = time.perf_counter_ns()
        for i in range(iterations):
            config["version"] = i  # a master publishes a change each time, as the Java side does
            master.jsonwrite(config)
            got = follower.jsonread_follower()
        elapsed = time.perf_counter_ns() - start
        assert got == config
        print("ns_per_op %.1f" % (elapsed / iterations))
    finally:
        os.close(fd)
        os.unlink(path)


if __name__ == "__main__":
    main()
