"""Where a server's CPU went while a load ran, for the goals a benchmark run misses: `perf record`
samples the server's threads with their call stacks, and the summary gives the text form of a
flame graph — the share of samples in each library (the binary, SQLite inside it, libc, the
kernel, and where the kernel was entered from), the functions that spent the most CPU
themselves, and Undersigned's own functions with the most CPU under them. Shared by bench/sign and bench/public; `perf` comes from Debian's
linux-perf (bench/run.sh installs it when it can). Without perf, or where the kernel refuses,
`available()` is False and the benchmarks say so instead of profiling.

    with Sampling([pid]) as sampling:
        run_the_load()
    summary = sampling.summary()   # dict, or None when nothing was sampled
"""

import collections
import os
import re
import shutil
import signal
import subprocess
import tempfile
import time

FREQUENCY = 499  # samples a second per thread: low enough not to move the figures much
TOP = int(os.environ.get("BENCH_FLAME_TOP", "12"))  # rows in each table
HASH = re.compile(r"::h[0-9a-f]{16}$")


def available():
    """Whether perf can sample processes here (installed, and allowed by the kernel)."""
    if not shutil.which("perf"):
        return False
    probe = subprocess.run(["perf", "record", "-q", "-o", "/dev/null", "--", "true"],
                           capture_output=True)
    return probe.returncode == 0


def size_of(path):
    try:
        return os.path.getsize(path)
    except OSError:
        return 0


class Sampling:
    """Samples `pids` (all their threads) from entering the block until leaving it."""

    def __init__(self, pids):
        self.pids = pids
        self.work = tempfile.mkdtemp(prefix="undersigned-profile-")
        self.data = os.path.join(self.work, "perf.data")
        self.process = None

    def __enter__(self):
        self.process = subprocess.Popen(
            ["perf", "record", "-q", "-F", str(FREQUENCY), "--call-graph", "dwarf,16384",
             "-p", ",".join(map(str, self.pids)), "-o", self.data],
            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        # perf writes its file's header once it is attached: a short load must not start before.
        deadline = time.time() + 5
        while time.time() < deadline and self.process.poll() is None and not size_of(self.data):
            time.sleep(0.02)
        return self

    def __exit__(self, *_):
        self.process.send_signal(signal.SIGINT)
        try:
            self.process.wait(timeout=60)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()

    def summary(self):
        """{"samples", "by_library": [(name, %)], "self": [(function, %)], "ours": [(function,
        inclusive %)]}, or None when perf wrote nothing; the samples are removed afterwards."""
        try:
            if not os.path.exists(self.data):
                return None
            script = subprocess.run(["perf", "script", "--no-inline", "-i", self.data, "-F", "ip,sym,dso"],
                                    capture_output=True, text=True, errors="replace")
            return summarize(stacks(script.stdout))
        finally:
            shutil.rmtree(self.work, ignore_errors=True)


def stacks(script):
    """The samples of `perf script -F ip,sym,dso` output: for each, its frames leaf first, as
    (function, library)."""
    samples, frames = [], []
    for line in script.splitlines():
        line = line.strip()
        if not line:
            if frames:
                samples.append(frames)
            frames = []
            continue
        match = re.match(r"[0-9a-f]+\s+(.*?)\s+\((.*)\)$", line)
        if match:
            function = HASH.sub("", re.sub(r"\+0x[0-9a-f]+$", "", match.group(1)))
            frames.append((function, os.path.basename(match.group(2))))
    if frames:
        samples.append(frames)
    return samples


def library(function, dso):
    """The part of the program a frame belongs to, in the reader's terms."""
    if dso.startswith("[kernel"):
        return "kernel"
    if function.startswith("sqlite3") or function.startswith("pager") or function.startswith("btree"):
        return "SQLite"
    if function.startswith("PQ") or function.startswith("pq"):
        return "libpq"
    if dso.startswith("libc"):
        return "libc (malloc, memcpy, …)" if re.match(r"_?_?(int_)?(malloc|free|realloc|cfree|mem)", function) else "libc"
    return dso or "unknown"


def share(counter, total):
    return [(name, round(100 * count / total, 1)) for name, count in counter.most_common(TOP)]


def summarize(samples):
    """The figures of `Sampling.summary` for these samples."""
    if not samples:
        return None
    libraries, own, ours = collections.Counter(), collections.Counter(), collections.Counter()
    entered = collections.Counter()
    for frames in samples:
        function, dso = frames[0]
        libraries[library(function, dso)] += 1
        if dso.startswith("[kernel"):
            caller = next((f for f, d in frames if not d.startswith("[kernel")), "?")
            entered[caller] += 1
        own[function] += 1
        ours.update({f for f, _ in frames if f.startswith("undersigned::")
                     and not f.startswith("undersigned::main")})
    total = len(samples)
    return {"samples": total, "by_library": share(libraries, total), "self": share(own, total),
            "ours": share(ours, total), "kernel_from": share(entered, total)}


def markdown(summary, title):
    """The summary as Markdown under a heading line, for the benchmark's output."""
    if not summary:
        return f"\n{title}: no samples (perf unavailable or refused here).\n"
    lines = [f"\n{title} ({summary['samples']:,} samples at {FREQUENCY} Hz, perf record --call-graph dwarf)",
             "", "| where | share of the server's CPU samples |", "|---|---|"]
    lines += [f"| {name} | {pct} % |" for name, pct in summary["by_library"]]
    if summary.get("kernel_from"):
        lines += ["", "| the kernel, entered from (system call or fault) | share of all samples |", "|---|---|"]
        lines += [f"| `{name}` | {pct} % |" for name, pct in summary["kernel_from"][:8]]
    lines += ["", "| function (self) | % | Undersigned's function (inclusive) | % |", "|---|---|---|---|"]
    rows = max(len(summary["self"]), len(summary["ours"]))
    for n in range(rows):
        left = summary["self"][n] if n < len(summary["self"]) else ("", "")
        right = summary["ours"][n] if n < len(summary["ours"]) else ("", "")
        lines.append(f"| `{left[0]}` | {left[1]} | `{right[0]}` | {right[1]} |" if right[0]
                     else f"| `{left[0]}` | {left[1]} | | |")
    return "\n".join(lines) + "\n"
