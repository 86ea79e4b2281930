"""Processes the benchmarks start and measure, shared by bench/sign and bench/public: the CPU
time a server used, and a stop that does not hang on a server that will not exit."""

import os
import subprocess


def cpu_seconds(pids):
    """User + system CPU time the processes (all their threads) have used so far, in seconds;
    a process that is gone counts nothing."""
    total = 0
    for pid in pids:
        try:
            fields = open(f"/proc/{pid}/stat").read().rsplit(")", 1)[1].split()
        except OSError:
            continue
        total += int(fields[11]) + int(fields[12])
    return total / os.sysconf("SC_CLK_TCK")


def stop(process, timeout=10):
    """Terminates `process` (a subprocess.Popen), killing it if it has not exited in time."""
    if process.poll() is None:
        process.terminate()
        try:
            process.wait(timeout=timeout)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
