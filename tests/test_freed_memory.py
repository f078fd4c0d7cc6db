"""Memory freed in a long session goes back to the system once a Generate is over (``freed_memory``)."""

from __future__ import annotations

import ctypes
import ctypes.util
import os
import platform

import pytest

from musestudio.freed_memory import give_back_freed_memory

BLOCK = 32 * 1024  # under glibc's mmap threshold: the blocks come from the heap, as a Generate's do
BLOCKS = 4096  # 128 MB


def rss_mb() -> float:
    with open("/proc/self/statm") as f:
        return int(f.read().split()[1]) * os.sysconf("SC_PAGE_SIZE") / 2**20


@pytest.mark.skipif(platform.libc_ver()[0] != "glibc", reason="malloc_trim is glibc's")
def test_memory_freed_inside_the_heap_goes_back_to_the_system():
    libc = ctypes.CDLL(ctypes.util.find_library("c"))
    libc.malloc.restype, libc.malloc.argtypes = ctypes.c_void_p, [ctypes.c_size_t]
    libc.free.argtypes = [ctypes.c_void_p]
    before = rss_mb()
    blocks = [libc.malloc(BLOCK) for _ in range(BLOCKS)]
    for block in blocks:
        ctypes.memset(block, 1, BLOCK)  # touched, so resident
    above = libc.malloc(BLOCK)  # still in use above them: glibc cannot shrink the heap's top by itself
    try:
        for block in blocks:
            libc.free(block)
        held = rss_mb()
        assert held > before + 96  # freed, yet still resident: what the soak saw pile up
        assert give_back_freed_memory()
        assert rss_mb() < held - 96
    finally:
        libc.free(above)
