"""What the benchmarks ran on, read from the machine rather than written by hand."""

from __future__ import annotations

import os
import platform
from pathlib import Path


def describe_machine() -> str:
    """E.g. ``"2 CPUs, Intel(R) Xeon(R) Processor, Linux"``: CPU count, CPU model (from /proc/cpuinfo when
    there is one), operating system."""
    model = platform.processor() or platform.machine()
    cpuinfo = Path("/proc/cpuinfo")
    if cpuinfo.exists():
        for line in cpuinfo.read_text(errors="replace").splitlines():
            if line.startswith("model name"):
                model = line.split(":", 1)[1].strip()
                break
    return f"{os.cpu_count()} CPUs, {model}, {platform.system()}"
