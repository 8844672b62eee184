"""Worker processes that never outlive the command that started them.

Reading and normalising run in process pools. When the parent is killed (SIGKILL, the job
stopped), pool workers would otherwise stay behind, blocked on their task queue forever.
Pass :func:`die_with_parent` as the pool's ``initializer`` with ``initargs=(os.getpid(),)``.
"""

from __future__ import annotations

import ctypes
import os
import signal
import sys

_PR_SET_PDEATHSIG = 1  # <sys/prctl.h>: signal this process when its parent thread exits


def die_with_parent(parent_pid: int) -> None:
    """Pool initializer: on Linux the kernel kills this worker when the parent dies."""
    if sys.platform.startswith("linux"):
        libc = ctypes.CDLL(None, use_errno=True)
        libc.prctl(_PR_SET_PDEATHSIG, signal.SIGKILL)
    if os.getppid() != parent_pid:  # the parent died before prctl took effect
        os._exit(1)
