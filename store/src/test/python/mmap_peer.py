#!/usr/bin/env python3
"""The Python side of MmapPythonInteropTest: maps a file the Java side maps, and obeys commands.

    python3 mmap_peer.py PATH ACCESS

Commands on stdin, one per line; one reply line each on stdout:
    write OFFSET HEX        m[OFFSET:...] = bytes      -> ok
    read OFFSET N           m[OFFSET:OFFSET+N]          -> data HEX
    wait OFFSET HEX         until those bytes appear    -> seen | timeout
    pingpong OFFSET ROUNDS  for i in 1..ROUNDS: m[OFFSET] = i, then wait until m[OFFSET+1] == i
                                                        -> done | timeout i
    resize N                m.resize(N)                 -> ok
    quit                                                -> bye
Waits are bounded (10 s) so a broken Java side cannot hang the test.
"""
import mmap
import sys
import time

LIMIT = 10.0


def wait_until(cond):
    deadline = time.monotonic() + LIMIT
    while not cond():
        if time.monotonic() > deadline:
            return False
    return True


def main(path, access):
    with open(path, 'rb' if access == mmap.ACCESS_READ else 'r+b') as f:
        m = mmap.mmap(f.fileno(), 0, access=access)
    print('mapped', len(m), flush=True)
    for line in sys.stdin:
        cmd = line.split()
        if cmd[0] == 'write':
            off, data = int(cmd[1]), bytes.fromhex(cmd[2])
            m[off:off + len(data)] = data
            reply = 'ok'
        elif cmd[0] == 'read':
            off, n = int(cmd[1]), int(cmd[2])
            reply = 'data ' + m[off:off + n].hex()
        elif cmd[0] == 'wait':
            off, data = int(cmd[1]), bytes.fromhex(cmd[2])
            reply = 'seen' if wait_until(lambda: m[off:off + len(data)] == data) else 'timeout'
        elif cmd[0] == 'pingpong':
            off, rounds = int(cmd[1]), int(cmd[2])
            reply = 'done'
            for i in range(1, rounds + 1):
                m[off] = i
                if not wait_until(lambda: m[off + 1] == i):
                    reply = 'timeout %d' % i
                    break
        elif cmd[0] == 'resize':
            m.resize(int(cmd[1]))
            reply = 'ok'
        else:
            break
        print(reply, flush=True)
    m.close()
    print('bye', flush=True)


if __name__ == '__main__':
    main(sys.argv[1], int(sys.argv[2]))
