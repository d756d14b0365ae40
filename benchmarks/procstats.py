"""A process's CPU time and resident memory from Linux ``/proc``: shared by the benchmarks
(``capacity`` must run without Playwright, which ``load`` imports, so this stands alone)."""

from __future__ import annotations

import os
from pathlib import Path


def cpu_seconds(pid: int) -> float:
    """User + system CPU time of a process so far, in seconds."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def rss_mb(pid: int) -> float:
    """Resident memory of a process (VmRSS), in MB.

    Raises
    ------
    OSError
        If the process is gone (``FileNotFoundError``) or has no memory left to report, an
        exited process not yet reaped (``ProcessLookupError``).
    """
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    raise ProcessLookupError(f"no VmRSS for process {pid}")
