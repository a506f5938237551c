"""Keep freed memory in the process for the next training step instead of handing it back to the OS.

Why: glibc's malloc serves blocks above its mmap threshold (128 KB to start) with fresh mmap calls and
returns them on free, and trims the heap top above 128 KB. A training step allocates and frees the same
multi-megabyte activations every batch, so each step page-faults all of them in again and the kernel
zeroes every page: LeNet at batch 256 took about 4,500 page faults per step on our 2-core CPU and trained
1.5-1.7x slower than with the two settings below (the reason PyTorch's CPU tuning guides recommend jemalloc or
tcmalloc; these settings get the same effect from the allocator already loaded).

The settings are process-wide and permanent; they apply on glibc Linux only, elsewhere nothing changes.
Blocks of 32 MB and more are still mapped and unmapped each time, and at most TRIM_THRESHOLD_BYTES of
freed memory stays held at the top of the heap.
"""

from __future__ import annotations

import ctypes
import functools
import platform

# glibc's mallopt parameters (malloc.h).
_M_TRIM_THRESHOLD = -1
_M_MMAP_THRESHOLD = -3

MMAP_THRESHOLD_BYTES = 32 * 2**20  # the largest value glibc accepts on 64-bit; blocks below it reuse the heap
TRIM_THRESHOLD_BYTES = 256 * 2**20  # freed memory above this at the heap's top goes back to the OS


def glibc_linux() -> bool:
    """Whether this process runs on Linux with glibc, the only C library these settings are for."""
    return platform.system() == "Linux" and platform.libc_ver()[0] == "glibc"


@functools.cache  # once per process: the settings are process-wide
def keep_freed_memory() -> bool:
    """Tell glibc malloc to reuse freed blocks under 32 MB rather than unmap them; True when the settings are
    in force, False where the C library is not glibc."""
    return glibc_linux() and _set_thresholds()


def _set_thresholds() -> bool:
    try:
        libc = ctypes.CDLL("libc.so.6")
    except OSError:
        return False
    # mallopt returns 1 on success; setting either value also switches off glibc's own adjustment of both.
    mmap_set = libc.mallopt(_M_MMAP_THRESHOLD, MMAP_THRESHOLD_BYTES) == 1
    trim_set = libc.mallopt(_M_TRIM_THRESHOLD, TRIM_THRESHOLD_BYTES) == 1
    return mmap_set and trim_set
