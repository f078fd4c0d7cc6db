"""Memory freed in a long session goes back to the system once a Generate is over (``freed_memory``)."""

from __future__ import annotations

import platform
import subprocess
import sys

import pytest

# Run in a fresh interpreter: in the test process the heap already holds memory freed by earlier tests,
# which the blocks would reuse without the resident size moving at all.
SCENARIO = """
import ctypes, os
from musestudio.freed_memory import give_back_freed_memory

BLOCK, BLOCKS = 32 * 1024, 4096  # 128 MB under glibc's mmap threshold: from the heap, as a Generate's are


def rss_mb():
    with open("/proc/self/statm") as f:
        return int(f.read().split()[1]) * os.sysconf("SC_PAGE_SIZE") / 2**20


libc = ctypes.CDLL(None)
libc.malloc.restype, libc.malloc.argtypes = ctypes.c_void_p, [ctypes.c_size_t]
libc.free.argtypes = [ctypes.c_void_p]
before = rss_mb()
blocks = [libc.malloc(BLOCK) for _ in range(BLOCKS)]
for block in blocks:
    ctypes.memset(block, 1, BLOCK)  # touched, so resident
above = libc.malloc(BLOCK)  # still in use above them: glibc cannot shrink the heap's top by itself
for block in blocks:
    libc.free(block)
held = rss_mb()
given = give_back_freed_memory()
print(before, held, rss_mb(), given)
"""


@pytest.mark.skipif(platform.libc_ver()[0] != "glibc", reason="malloc_trim is glibc's")
def test_memory_freed_inside_the_heap_goes_back_to_the_system():
    out = subprocess.run([sys.executable, "-c", SCENARIO], capture_output=True, text=True, check=True)
    before, held, after, given = out.stdout.split()
    assert float(held) > float(before) + 96  # freed, yet still resident: what the soak saw pile up
    assert given == "True" and float(after) < float(held) - 96
