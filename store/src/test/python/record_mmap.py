#!/usr/bin/env python3
"""Record what CPython's mmap does, for io.memoir.store.mmap.MmapCPythonTest to replay in Java.

    python3 store/src/test/python/record_mmap.py            # rewrite the recordings
    python3 store/src/test/python/record_mmap.py --replay   # ops CSV on stdin, results on stdout

Each case is a short program of steps run against real mmap objects (file-backed and anonymous,
every access mode) in a forked child, so that a step that kills CPython with SIGBUS is recorded
too. Every step is written as one CSV row:

    case,step,target,op,args,result,error,message,tell

  target   a map ("m", "c", ...), an iterator, "file" (the case's data file) or "module"
  op       the Python operation (see OPS below), args its arguments, space separated
  result   the return value as a literal, empty when the step raised
  error    the exception type name (or SIGBUS when the child died of it), message its str()
  tell     the target map's tell() afterwards, empty if it is closed or not a map

Literals: ints in decimal, None, True, False, names from mmap/os (ACCESS_READ, SEEK_END),
bytes as b'...' (printable ASCII as is, \\\\ \\' \\n \\t \\r, anything else \\xNN), str as '...',
lists as [a b c]. A message naming the case's directory shows it as {dir}.

The output is deterministic (fixed seeds, no paths, no times). It assumes Linux with 4096-byte
pages and CPython 3.11, and refuses to run elsewhere.

To add a case: add a scenario to SCENARIOS (run on all eight file/anonymous x access configs),
or a function that yields (name, steps) to a FILES entry. To add an op: add it to OPS here and
to MmapReplayer.java.
"""
import csv
import json
import mmap
import os
import random
import shutil
import signal
import sys
import tempfile
import traceback

MAXSIZE = 2 ** 63 - 1
MINSIZE = -2 ** 63
NAMES = {
    'ACCESS_DEFAULT': mmap.ACCESS_DEFAULT, 'ACCESS_READ': mmap.ACCESS_READ,
    'ACCESS_WRITE': mmap.ACCESS_WRITE, 'ACCESS_COPY': mmap.ACCESS_COPY,
    'SEEK_SET': os.SEEK_SET, 'SEEK_CUR': os.SEEK_CUR, 'SEEK_END': os.SEEK_END,
}
HEADER = ['case', 'step', 'target', 'op', 'args', 'result', 'error', 'message', 'tell']
OUT_DIR = os.path.join(os.path.dirname(os.path.abspath(__file__)),
                       '..', 'resources', 'io', 'memoir', 'store', 'mmap')


# ------------------------------------------------------------------------------------ literals

def lit(v):
    """Encode a value as the op language's literal."""
    if v is None or isinstance(v, bool):
        return str(v)
    if isinstance(v, int):
        return str(v)
    if isinstance(v, (bytes, bytearray)):
        return "b'" + ''.join(_esc(c) for c in v) + "'"
    if isinstance(v, str):
        return "'" + v.replace('\\', '\\\\').replace("'", "\\'") + "'"
    if isinstance(v, list):
        return '[' + ' '.join(lit(x) for x in v) + ']'
    raise TypeError('no literal for %r' % (v,))


def _esc(c):
    if c == 0x5c:
        return '\\\\'
    if c == 0x27:
        return "\\'"
    if c == 0x0a:
        return '\\n'
    if c == 0x09:
        return '\\t'
    if c == 0x0d:
        return '\\r'
    if 0x20 <= c < 0x7f:
        return chr(c)
    return '\\x%02x' % c


_UNESC = {'\\': 0x5c, "'": 0x27, 'n': 0x0a, 't': 0x09, 'r': 0x0d}


def parse_args(text):
    """Decode a space-separated list of literals."""
    out, i = [], 0
    while i < len(text):
        if text[i] == ' ':
            i += 1
        elif text.startswith("b'", i):
            buf, i = bytearray(), i + 2
            while text[i] != "'":
                if text[i] == '\\':
                    if text[i + 1] == 'x':
                        buf.append(int(text[i + 2:i + 4], 16))
                        i += 4
                    else:
                        buf.append(_UNESC[text[i + 1]])
                        i += 2
                else:
                    buf.append(ord(text[i]))
                    i += 1
            out.append(bytes(buf))
            i += 1
        else:
            j = text.find(' ', i)
            j = len(text) if j < 0 else j
            word = text[i:j]
            out.append(None if word == 'None' else NAMES[word] if word in NAMES else int(word))
            i = j
    return out


def pattern(n):
    """n deterministic bytes, all values, with a newline every 64."""
    return bytes(10 if i % 64 == 63 else (i * 7 + 3) % 256 for i in range(n))


# ------------------------------------------------------------------------------------ session

class Session:
    """The objects of one case: maps, iterators and the data file {dir}/data."""

    def __init__(self, root):
        self.root = root
        self.path = os.path.join(root, 'data')
        self.objs = {}

    def obj(self, name):
        if name not in self.objs:
            raise NameError("name '%s' is not defined" % name)
        return self.objs[name]

    def run(self, target, op, text):
        if target == 'module':
            return getattr(mmap, text)
        if op == 'iter':
            self.objs[text] = iter(self.obj(target))
            return None
        args = parse_args(text)
        if target == 'file':
            return getattr(self, 'file_' + op)(*args)
        if op == 'open':
            length, access, offset = args
            with open(self.path, 'rb' if access == mmap.ACCESS_READ else 'r+b') as f:
                self.objs[target] = mmap.mmap(f.fileno(), length, access=access, offset=offset)
            return None
        if op == 'anon':
            self.objs[target] = mmap.mmap(-1, args[0], access=args[1])
            return None
        return OPS[op](self.obj(target), *args)

    def file_create(self, content):
        with open(self.path, 'wb') as f:
            f.write(pattern(content) if isinstance(content, int) else content)

    def file_mkdir(self):
        os.mkdir(self.path)

    def file_read(self):
        with open(self.path, 'rb') as f:
            return f.read()

    def file_size(self):
        return os.path.getsize(self.path)

    def file_truncate(self, n):
        os.truncate(self.path, n)

    def file_write(self, offset, data):
        with open(self.path, 'r+b') as f:
            f.seek(offset)
            f.write(data)

    def tell(self, target):
        o = self.objs.get(target)
        if isinstance(o, mmap.mmap) and not o.closed:
            return lit(o.tell())
        return ''


def _setitem(m, i, v):
    m[i] = v


def _setslice(m, a, b, c, v):
    m[a:b:c] = v


def _getslice(m, a, b, c=None):
    return m[a:b:c]


OPS = {
    'close': lambda m: m.close(),
    'closed': lambda m: m.closed,
    'repr': repr,
    'len': len,
    'size': lambda m: m.size(),
    'tell': lambda m: m.tell(),
    'read': lambda m, *a: m.read(*a),
    'read_byte': lambda m: m.read_byte(),
    'readline': lambda m: m.readline(),
    'find': lambda m, *a: m.find(*a),
    'rfind': lambda m, *a: m.rfind(*a),
    'flush': lambda m, *a: m.flush(*a),
    'move': lambda m, *a: m.move(*a),
    'resize': lambda m, n: m.resize(n),
    'seek': lambda m, *a: m.seek(*a),
    'write': lambda m, b: m.write(b),
    'write_byte': lambda m, v: m.write_byte(v),
    'getitem': lambda m, i: m[i],
    'setitem': _setitem,
    'getslice': _getslice,
    'setslice': _setslice,
    'list': list,
    'next': next,
}


def run_steps(root, steps, emit):
    s = Session(root)
    for target, op, args in steps:
        try:
            row = [lit(s.run(target, op, args)), '', '']
        except Exception as e:  # every Python exception is a recorded outcome
            row = ['', type(e).__name__, str(e).replace(root, '{dir}')]
        emit(row + [s.tell(target)])


def run_case(steps):
    """Run steps in a forked child; a step that kills it is recorded with the signal's name."""
    root = tempfile.mkdtemp(prefix='record_mmap')
    r, w = os.pipe()
    pid = os.fork()
    if pid == 0:
        os.close(r)
        code = 0
        try:
            run_steps(root, steps, lambda row: os.write(w, (json.dumps(row) + '\n').encode()))
        except BaseException:
            traceback.print_exc()
            code = 3
        finally:
            os._exit(code)
    os.close(w)
    with os.fdopen(r, 'rb') as f:
        data = f.read()
    _, status = os.waitpid(pid, 0)
    shutil.rmtree(root, ignore_errors=True)
    rows = [json.loads(line) for line in data.decode().splitlines()]
    if os.WIFSIGNALED(status):
        rows.append(['', signal.Signals(os.WTERMSIG(status)).name, '', ''])
    elif os.WEXITSTATUS(status) != 0:
        raise RuntimeError('recorder failed in case %r' % (steps,))
    return rows


def parse_steps(text):
    """'m.find b'a' 3' lines into (target, op, args) triples."""
    steps = []
    for line in text.strip().splitlines():
        line = line.strip()
        if not line or line.startswith('#'):
            continue
        head, _, args = line.partition(' ')
        target, _, op = head.partition('.')
        steps.append((target, op, args.strip()))
    return steps


def write_csv(path, cases):
    with open(path, 'w', newline='') as f:
        f.write('# Recorded by store/src/test/python/record_mmap.py from CPython %s on Linux, '
                'PAGESIZE=%d. Do not edit: rerun the script.\n'
                % ('.'.join(map(str, sys.version_info[:3])), mmap.PAGESIZE))
        out = csv.writer(f, lineterminator='\n')
        out.writerow(HEADER)
        count = 0
        for name, steps in cases:
            rows = run_case(steps)
            for i, (step, row) in enumerate(zip(steps, rows), 1):
                out.writerow([name, i, step[0], step[1], step[2]] + row)
            count += 1
    return count


# ------------------------------------------------------------------------------------ cases

CONFIGS = [(backing, access) for backing in ('file', 'anon')
           for access in ('ACCESS_DEFAULT', 'ACCESS_READ', 'ACCESS_WRITE', 'ACCESS_COPY')]
CONTENT = b"hello world\nfoo\n\x00\xff bar\nhello"


def setup(backing, access, content):
    """Steps that map `content` as m."""
    if backing == 'file':
        return 'file.create %s\nm.open 0 %s 0\n' % (lit(content), access)
    if isinstance(content, int):
        content = pattern(content)
    text = 'm.anon %d %s\n' % (len(content), access)
    if access != 'ACCESS_READ':
        text += 'm.write %s\nm.seek 0\n' % lit(content)
    return text


def configured(scenarios):
    """Each (name, content, body) scenario on every config; file steps only where there is a file."""
    for name, content, body in scenarios:
        for backing, access in CONFIGS:
            steps = parse_steps(setup(backing, access, content) + body)
            if backing == 'anon':
                steps = [s for s in steps if s[0] != 'file']
            yield '%s[%s %s]' % (name, backing, access), steps


def find_body():
    lines = []
    subs = [b'hello', b'o', b'\n', b'', b'zz', CONTENT + b'!']
    starts = [None, 0, 3, -5, -100, 100]
    ends = [None, len(CONTENT), 10, -1, -100, 100, 0]
    for seek in (0, 7):
        lines.append('m.seek %d' % seek)
        for op in ('find', 'rfind'):
            for sub in subs:
                for start in starts:
                    for end in ends:
                        if start is None and end is not None:
                            continue
                        args = [sub] + [a for a in (start, end) if a is not None]
                        lines.append('m.%s %s' % (op, ' '.join(lit(a) for a in args)))
    return '\n'.join(lines)


SCENARIOS = [
    ('basics', CONTENT, """
        m.len
        m.size
        m.tell
        m.closed
        m.repr
        m.read 5
        m.read 0
        m.read -1
        m.seek 3
        m.read None
        m.seek 3
        m.read 1000
        m.read
        m.read_byte
        m.seek -1 SEEK_END
        m.read_byte
        m.read_byte
        m.seek 0
        m.read 9223372036854775807
        m.seek 2
        m.read -9223372036854775808
        m.list
        m.repr
        m.close
        m.repr
        m.closed
    """),
    ('readline', CONTENT, """
        m.readline
        m.readline
        m.readline
        m.readline
        m.readline
        m.readline
        m.seek -3 SEEK_END
        m.readline
        m.seek 11
        m.readline
        m.seek 12
        m.readline
    """),
    ('seek', CONTENT, """
        m.seek 0
        m.seek 28
        m.seek 29
        m.seek -1
        m.seek 5 SEEK_SET
        m.seek 3 SEEK_CUR
        m.seek -8 SEEK_CUR
        m.seek -1 SEEK_CUR
        m.seek 28 SEEK_CUR
        m.seek 0 SEEK_END
        m.seek -28 SEEK_END
        m.seek -29 SEEK_END
        m.seek 1 SEEK_END
        m.seek 0 3
        m.seek 0 -1
        m.seek 9223372036854775807 SEEK_CUR
        m.seek -9223372036854775808 SEEK_CUR
        m.seek 9223372036854775807 SEEK_END
        m.seek -9223372036854775808 SEEK_END
        m.seek 9223372036854775807
        m.seek -9223372036854775808
        m.seek 7
        m.seek 2147483647 2147483647
    """),
    ('find', CONTENT, find_body()),
    ('write', CONTENT, """
        m.write b'HELLO'
        m.write b''
        m.seek -2 SEEK_END
        m.write b'abc'
        m.write b'ab'
        m.write b''
        m.write b'x'
        m.seek 0
        m.getslice None None
        m.write_byte 65
        m.write_byte 0
        m.write_byte 255
        m.write_byte 256
        m.write_byte -1
        m.write_byte 2147483647
        m.write_byte -2147483648
        m.seek 0 SEEK_END
        m.write_byte 1
        m.write_byte 300
        m.seek 0
        m.read
        m.flush
        file.read
    """),
    ('items', CONTENT, """
        m.getitem -29
        m.getitem -28
        m.getitem -1
        m.getitem 0
        m.getitem 1
        m.getitem 27
        m.getitem 28
        m.getitem 9223372036854775807
        m.getitem -9223372036854775808
        m.setitem 0 65
        m.setitem -1 66
        m.setitem 28 1
        m.setitem -29 1
        m.setitem 0 256
        m.setitem 0 -1
        m.setitem 28 256
        m.setitem 5 255
        m.setitem -9223372036854775808 0
        m.setitem -28 0
        m.setitem 1 2147483647
        m.getslice None None
        m.tell
        file.read
    """),
    ('move', CONTENT, """
        m.move 0 5 5
        m.getslice None None
        m.move 5 0 10
        m.getslice None None
        m.move 2 4 10
        m.getslice None None
        m.move 0 0 28
        m.move 28 0 0
        m.move 0 28 0
        m.move 29 0 0
        m.move 0 29 0
        m.move 0 0 29
        m.move 1 0 28
        m.move 0 1 28
        m.move 27 0 1
        m.move -1 0 0
        m.move 0 -1 0
        m.move 0 0 -1
        m.move 9223372036854775807 9223372036854775807 9223372036854775807
        m.move 0 0 0
        m.tell
        file.read
    """),
    ('flush', CONTENT, """
        m.flush
        m.flush 0
        m.flush 1
        m.flush 0 28
        m.flush 0 0
        m.flush 28 0
        m.flush 29 0
        m.flush 0 29
        m.flush -1 0
        m.flush 0 -1
        m.flush 1 1
        m.flush 27 1
        m.flush 4096 0
        m.flush 9223372036854775807 9223372036854775807
        m.flush -9223372036854775808 0
    """),
    ('flush-pages', 10000, """
        m.flush 4096 100
        m.flush 4096 5904
        m.flush 8192 1808
        m.flush 8192 1809
        m.flush 4095 1
        m.flush 4097 0
        m.flush 0 10000
        m.flush 9999 1
        m.flush 10000 0
    """),
    ('resize', CONTENT, """
        m.seek 20
        m.resize 10
        m.len
        m.size
        m.tell
        m.read
        m.readline
        m.read_byte
        m.write b''
        m.write_byte 1
        m.seek 0 SEEK_CUR
        m.find b'l'
        m.rfind b'l'
        m.getslice None None
        m.seek 0
        m.read
        m.resize 40
        m.len
        m.size
        m.read
        m.resize -1
        m.resize -9223372036854775808
        m.len
        m.repr
        file.read
        file.size
        m.resize 1
        m.list
        m.resize 4096
        m.getitem 4095
        m.resize 4097
        m.len
        m.size
        file.size
    """),
    ('closed', CONTENT, """
        m.iter early
        m.close
        m.closed
        m.repr
        m.close
        m.len
        m.size
        m.tell
        m.read
        m.read 1
        m.read_byte
        m.readline
        m.find b'a'
        m.rfind b'a' 0 1
        m.seek 0
        m.seek 0 7
        m.write b'a'
        m.write_byte 1
        m.write_byte 300
        m.move 0 0 0
        m.move -1 -1 -1
        m.flush
        m.flush 1 1
        m.resize 10
        m.resize -1
        m.getitem 0
        m.getitem 100
        m.setitem 0 1
        m.setitem 100 300
        m.getslice None None
        m.getslice 0 1 0
        m.setslice None None None b''
        m.setslice 0 1 0 b'x'
        m.list
        m.iter it
        it.next
        early.next
        m.closed
    """),
    ('iteration', b'abcdef', """
        m.iter a
        a.next
        a.next
        a.next
        m.iter b
        m.seek 5
        m.resize 4
        b.next
        b.next
        b.next
        b.next
        b.next
        m.resize 8
        b.next
        a.next
        a.next
        m.list
        m.close
        m.iter c
        c.next
        c.next
        b.next
        a.next
    """),
]


def grid(values):
    return [lit(v) for v in values]


def slice_cases():
    """m[a:b:c] and m[a:b:c] = v over grids of bounds and steps."""
    content = b'01234567'
    bounds = [None, -10, -8, -5, -1, 0, 1, 3, 7, 8, 10, MAXSIZE, MINSIZE]
    steps_ = [None, 1, 2, 3, -1, -2, -3, 0, MAXSIZE, MINSIZE]
    sets = [None, -9, -3, 0, 2, 5, 8, 9]
    set_steps = [None, 1, 2, -1, -3, 0]
    for backing, access in CONFIGS:
        if (backing, access) in (('file', 'ACCESS_READ'), ('anon', 'ACCESS_WRITE')):
            body = ['m.getslice %s %s' % (a, b) for a in grid(bounds) for b in grid(bounds)]
            body += ['m.getslice %s %s %s' % (a, b, c)
                     for a in grid(bounds) for b in grid(bounds) for c in grid(steps_)]
            yield 'getslice[%s %s]' % (backing, access), parse_steps(
                setup(backing, access, content) + '\n'.join(body))
        if backing == 'anon' and access != 'ACCESS_WRITE':
            continue
        body = []
        for a in sets:
            for b in sets:
                for c in set_steps:
                    n = len(range(*slice(a, b, c).indices(len(content)))) if c != 0 else 1
                    for size in sorted({n, n + 1, max(n - 1, 0)}):
                        body.append('m.setslice %s %s %s %s' % (lit(a), lit(b), lit(c),
                                                                lit(b'ABCDEFGHIJK'[:size])))
                    body.append('m.getslice None None')
        if backing == 'file':
            body.append('file.read')
        yield 'setslice[%s %s]' % (backing, access), parse_steps(
            setup(backing, access, content) + '\n'.join(body))


def open_cases():
    """The constructor: lengths, offsets and access values against file sizes, and anonymous."""
    accesses = ['ACCESS_DEFAULT', 'ACCESS_READ', 'ACCESS_WRITE', 'ACCESS_COPY', '4', '-1']
    after = ['m.len', 'm.size', 'm.repr', 'm.getslice 0 4', 'm.close']
    for size in (0, 1, 28, 4096, 10000):
        for access in accesses:
            if access in ('4', '-1') and size not in (0, 28):
                continue
            lines = ['file.create %d' % size]
            lengths = sorted({0, 1, max(size - 1, 0), size, size + 1, 5904, -1})
            for length in lengths:
                for offset in sorted({0, 1, 4095, 4096, 8192, size, 10000, 12288, -1}):
                    lines.append('m.open %d %s %d' % (length, access, offset))
                    lines.extend(after)
            yield 'open[file size=%d %s]' % (size, access), parse_steps('\n'.join(lines))
    lines = []
    for length in (0, 1, 10, 4096, 4097, -1, -9223372036854775808):
        for access in accesses:
            lines.append('m.anon %d %s' % (length, access))
            lines.extend(after)
    yield 'open[anon]', parse_steps('\n'.join(lines))
    yield 'open[missing file]', parse_steps('m.open 0 ACCESS_WRITE 0\nm.open 0 ACCESS_READ 0\n'
                                            'm.open -1 7 -1\nm.len')
    yield 'open[directory]', parse_steps('file.mkdir\nm.open 0 ACCESS_WRITE 0\nm.open 0 ACCESS_READ 0\n'
                                         'm.open 0 ACCESS_COPY 0\nm.open -1 7 -1')
    yield 'constants', parse_steps('\n'.join('module.const ' + n for n in (
        'ACCESS_DEFAULT', 'ACCESS_READ', 'ACCESS_WRITE', 'ACCESS_COPY', 'PAGESIZE',
        'ALLOCATIONGRANULARITY')))


def shrink_cases():
    """Storage vanishing under a mapping (CPython dies of SIGBUS) and other processes' writes."""
    for access in ('ACCESS_DEFAULT', 'ACCESS_READ', 'ACCESS_WRITE', 'ACCESS_COPY'):
        tag = '[file %s]' % access
        yield 'truncated' + tag, parse_steps("""
            file.create 10000
            m.open 0 %s 0
            m.setitem 5000 65
            file.truncate 10
            m.len
            m.size
            m.getitem 9
            m.getitem 10
            m.getitem 4095
            m.setitem 11 5
            m.getitem 11
            m.read 5
            m.seek 4000
            m.read 96
            m.flush
            m.flush 0 4096
            file.truncate 20
            m.getitem 11
            m.size
            m.getitem 4096
            m.getitem 0
        """ % access)
        yield 'truncated-read-across' + tag, parse_steps("""
            file.create 10000
            m.open 0 %s 0
            file.truncate 4096
            m.seek 4000
            m.read 96
            m.read 1
        """ % access)
        yield 'truncated-find' + tag, parse_steps("""
            file.create 10000
            m.open 0 %s 0
            file.truncate 100
            m.find b'\\x03' 0 4096
            m.find b'zzzz'
        """ % access)
        yield 'truncated-to-zero' + tag, parse_steps("""
            file.create 100
            m.open 0 %s 0
            file.truncate 0
            m.len
            m.size
            m.tell
            m.read_byte
        """ % access)
        yield 'truncated-with-offset' + tag, parse_steps("""
            file.create 10000
            m.open 0 %s 4096
            m.len
            file.truncate 5000
            m.getitem 903
            m.getitem 904
            m.getitem 4095
            m.list
        """ % access)
        yield 'extended' + tag, parse_steps("""
            file.create 100
            m.open 0 %s 0
            file.truncate 20000
            m.len
            m.size
            m.getitem 99
            m.getitem 100
            file.write 50 b'external'
            m.getslice 48 60
        """ % access)
        yield 'shared-with-copy' + tag, parse_steps("""
            file.create b'0123456789'
            m.open 0 %s 0
            c.open 0 ACCESS_COPY 0
            file.write 0 b'AB'
            m.getslice None None
            c.getslice None None
            c.setitem 1 66
            file.write 2 b'CD'
            c.getslice None None
            m.getslice None None
            m.setitem 5 70
            c.getslice None None
            m.getslice None None
            c.flush
            file.read
            c.close
            m.close
            file.read
        """ % access)
        yield 'resize-to-zero' + tag, parse_steps("""
            file.create b'0123456789'
            m.open 0 %s 0
            m.resize 0
            m.len
            m.size
            file.size
            m.resize 5
            m.len
            m.size
            m.getslice None None
            m.resize 0
            m.getitem 0
        """ % access)
        yield 'resize-with-offset' + tag, parse_steps("""
            file.create 10000
            m.open 100 %s 4096
            m.resize 9223372036854775807
            m.resize 9223372036854775806
            m.resize 200
            m.len
            m.size
            file.size
            m.getitem 199
            m.resize 10
            file.size
            m.repr
        """ % access)
    data = pattern(4097)
    subs = [b'zz', b'z', b'\n', data[4094:4096], data[4095:4097], data[4095:4096], data[0:2],
            data[4000:4003], b'\x03\n']
    for n, sub in enumerate(subs):
        for a, b in ((0, 4097), (4000, 4097), (4094, 4096), (4095, 4097), (0, 4096), (4096, 4097)):
            for op in ('find', 'rfind'):
                yield 'search-near-fault-%d-%s-%d-%d[file ACCESS_READ]' % (n, op, a, b), parse_steps(
                    'file.create 4097\nm.open 0 ACCESS_READ 0\nfile.truncate 4096\n'
                    'm.%s %s %d %d\nm.tell' % (op, lit(sub), a, b))
    yield 'move-in-place-copies[file ACCESS_WRITE + ACCESS_COPY]', parse_steps("""
        file.create b'0123456789'
        m.open 0 ACCESS_WRITE 0
        c.open 0 ACCESS_COPY 0
        c.move 1 1 5
        m.setitem 1 65
        c.getslice None None
        m.getslice None None
    """)
    yield 'move-in-place-faults[file ACCESS_WRITE]', parse_steps("""
        file.create 8192
        m.open 0 ACCESS_WRITE 0
        file.truncate 10
        m.move 4096 4096 0
        m.move 1 1 10
        m.move 4096 4096 1
    """)
    for k, n in ((0, 7325), (0, 4097), (4000, 200), (4000, 300), (4000, 1000), (1, 1424),
                 (4095, 2), (4000, 512), (4000, 513), (4032, 600), (4033, 600), (3585, 511),
                 (3585, 512), (3585, 513)):
        yield 'move-in-place-%d-%d[file ACCESS_WRITE]' % (k, n), parse_steps(
            'file.create 8192\nm.open 0 ACCESS_WRITE 0\nfile.truncate 4096\nm.move %d %d %d\nm.tell'
            % (k, k, n))
    for n in (64, 512, 513, 5000):
        yield 'move-in-place-cow-%d[file ACCESS_COPY]' % n, parse_steps("""
            file.create 10000
            m.open 0 ACCESS_WRITE 0
            c.open 0 ACCESS_COPY 0
            c.move 0 0 %d
            m.setitem 1 65
            m.setitem 9000 66
            c.getitem 1
            c.getitem 9000
        """ % n)
    for pos in (4000, 4090, 4095, 4096):
        yield 'readline-near-fault-%d[file ACCESS_WRITE]' % pos, parse_steps(
            'file.create 4097\nm.open 0 ACCESS_WRITE 0\nfile.truncate 4096\nm.seek %d\n'
            'm.readline\nm.readline\nm.tell' % pos)
    for access in ('ACCESS_DEFAULT', 'ACCESS_READ', 'ACCESS_WRITE', 'ACCESS_COPY'):
        yield 'anon-regrow[anon %s]' % access, parse_steps("""
            m.anon 8192 %s
            m.setitem 5000 7
            m.resize 4096
            m.len
            m.resize 8192
            m.getitem 5000
            m.resize 12288
            m.flush
            m.getitem 8191
            m.getitem 8192
        """ % access)
        yield 'anon-grow[anon %s]' % access, parse_steps("""
            m.anon 10 %s
            m.resize 0
            m.resize 5000
            m.len
            m.getitem 9
            m.getitem 10
            m.getitem 4095
            m.seek 4090
            m.read 6
            m.read 1
        """ % access)


def random_cases(seed, count):
    """Random programs: random config, content and ops with arguments near the edges."""
    rnd = random.Random(seed)
    for n in range(count):
        backing, access = rnd.choice(CONFIGS)
        size = rnd.choice([1, 2, 5, 17, 40, rnd.randint(1, 64)])
        content = bytes(rnd.choice(b'ab\n\x00') for _ in range(size))
        lines = [setup(backing, access, content)]
        for _ in range(rnd.randint(10, 40)):
            lines.append(random_op(rnd, size))
        if backing == 'file':
            lines.append('file.read')
        steps = parse_steps('\n'.join(lines))
        if backing == 'anon':
            steps = [s for s in steps if s[0] != 'file']
        yield 'random-%d-%d[%s %s]' % (seed, n, backing, access), steps


def random_op(rnd, size):
    def idx():
        return rnd.choice([rnd.randint(-size - 3, size + 3), 0, size, -size - 1,
                           rnd.choice([MAXSIZE, MINSIZE]) if rnd.random() < 0.05 else 1])

    def data():
        return lit(bytes(rnd.choice(b'ab\n\x00') for _ in range(rnd.choice([0, 1, 1, 2, 3, 6]))))

    op = rnd.choice(['read', 'read_byte', 'readline', 'find', 'rfind', 'seek', 'write',
                     'write_byte', 'move', 'getitem', 'setitem', 'getslice', 'setslice', 'flush',
                     'resize', 'size', 'len', 'tell', 'list', 'file.read', 'close'])
    if op == 'close' and rnd.random() < 0.8:
        op = 'tell'
    if op in ('read_byte', 'readline', 'size', 'len', 'tell', 'list', 'close'):
        return 'm.' + op
    if op == 'file.read':
        return op
    if op == 'read':
        return 'm.read ' + rnd.choice(['', 'None', str(rnd.randint(-2, size + 2))])
    if op in ('find', 'rfind'):
        args = [data()] + [str(idx()) for _ in range(rnd.randint(0, 2))]
        return 'm.%s %s' % (op, ' '.join(args))
    if op == 'seek':
        return 'm.seek %d %d' % (idx(), rnd.choice([0, 0, 1, 2, 3]))
    if op == 'write':
        return 'm.write ' + data()
    if op == 'write_byte':
        return 'm.write_byte %d' % rnd.choice([0, 97, 255, 256, -1])
    if op == 'move':
        return 'm.move %d %d %d' % (idx(), idx(), rnd.randint(-1, size + 1))
    if op == 'getitem':
        return 'm.getitem %d' % idx()
    if op == 'setitem':
        return 'm.setitem %d %d' % (idx(), rnd.choice([0, 98, 255, 256, -1]))
    if op == 'flush':
        return 'm.flush ' + rnd.choice(['', '0', '0 %d' % rnd.randint(0, size + 1),
                                        '%d %d' % (idx(), rnd.randint(-1, size))])
    if op == 'resize':
        return 'm.resize %d' % rnd.choice([rnd.randint(1, 2 * size + 2), size, 1, 0, -1])

    def opt():
        return rnd.choice(['None', str(idx())])
    step = rnd.choice(['None', '1', '2', '-1', '-2', '3', '0'])
    if op == 'getslice':
        return 'm.getslice %s %s %s' % (opt(), opt(), step)
    a, b = opt(), opt()
    py = [None if t == 'None' else int(t) for t in (a, b, step)]
    n = len(range(*slice(*py).indices(size))) if py[2] != 0 else 1
    n = max(0, n + rnd.choice([0, 0, 0, 1, -1]))
    return 'm.setslice %s %s %s %s' % (a, b, step, lit((b'xyzXYZ' * 12)[:n]))


FILES = {
    'open.csv': open_cases,
    'methods.csv': lambda: configured(SCENARIOS),
    'slices.csv': slice_cases,
    'storage.csv': shrink_cases,
    'random.csv': lambda: random_cases(20251121, 400),
}


# ------------------------------------------------------------------------------------ main

def replay(inp, out):
    """--replay: read case,step,target,op,args rows (header first) and write complete rows."""
    reader = csv.reader(line for line in inp if not line.startswith('#'))
    next(reader)
    cases = {}
    for row in reader:
        cases.setdefault(row[0], []).append((row[2], row[3], row[4]))
    writer = csv.writer(out, lineterminator='\n')
    writer.writerow(HEADER)
    for name, steps in cases.items():
        for i, (step, row) in enumerate(zip(steps, run_case(steps)), 1):
            writer.writerow([name, i, step[0], step[1], step[2]] + row)


def main(argv):
    if not sys.platform.startswith('linux') or mmap.PAGESIZE != 4096:
        sys.exit('record_mmap.py needs Linux with 4096-byte pages')
    if sys.version_info[:2] != (3, 11):
        sys.exit('record_mmap.py records CPython 3.11 semantics; this is %s' % sys.version)
    if argv[1:] == ['--replay']:
        replay(sys.stdin, sys.stdout)
        return
    out_dir = argv[1] if len(argv) > 1 else OUT_DIR
    os.makedirs(out_dir, exist_ok=True)
    for name, cases in FILES.items():
        count = write_csv(os.path.join(out_dir, name), cases())
        print('%s: %d cases' % (name, count))


if __name__ == '__main__':
    main(sys.argv)
