"""Start-up time of `undersigned serve` on SQLite: from the process being started to the first
200 from /readyz (polled every 2 ms), once on a fresh data folder (migrations applied, secret
generated) and then BENCH_RUNS times on the same folder, median. Usage: bench.py BINARY.
Prints Markdown; with BENCH_JSON=FILE also writes the figures there."""

import json
import os
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request

BINARY = os.path.abspath(sys.argv[1])
RUNS = int(os.environ.get("BENCH_RUNS", "7"))


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def start_once(work):
    port = free_port()
    env = {k: v for k, v in os.environ.items() if not k.startswith("UNDERSIGNED_")}
    env.update({"UNDERSIGNED_DATABASE__URL": f"sqlite://{work}/bench.db",
                "UNDERSIGNED_STORAGE__DATA_DIR": f"{work}/data",
                "UNDERSIGNED_SERVER__LISTEN": f"127.0.0.1:{port}",
                "UNDERSIGNED_SERVER__BASE_URL": f"http://127.0.0.1:{port}",
                "UNDERSIGNED_LOG__FILTER": "warn"})
    started = time.perf_counter()
    server = subprocess.Popen([BINARY, "serve"], env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        while time.perf_counter() - started < 30:
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{port}/readyz", timeout=1) as answer:
                    if answer.status == 200:
                        return (time.perf_counter() - started) * 1000
            except OSError:
                if server.poll() is not None:
                    raise SystemExit("serve stopped during start-up")
            time.sleep(0.002)
        raise SystemExit("/readyz did not answer in 30 s")
    finally:
        server.terminate()
        server.wait(timeout=30)


def main():
    work = tempfile.mkdtemp(prefix="undersigned-bench-startup-")
    try:
        first = start_once(work)
        times = [start_once(work) for _ in range(RUNS)]
    finally:
        shutil.rmtree(work, ignore_errors=True)
    median = statistics.median(times)
    print(f"\n| start-up of `serve` to the first 200 from /readyz (SQLite) | ms |")
    print("|---|---|")
    print(f"| first start, fresh data folder (migrations, secret) | {first:.0f} |")
    print(f"| restart, median of {RUNS} (min–max {min(times):.0f}–{max(times):.0f}) | {median:.0f} |")
    if os.environ.get("BENCH_JSON"):
        json.dump({"first_ms": first, "median_ms": median, "min_ms": min(times), "max_ms": max(times), "runs": RUNS},
                  open(os.environ["BENCH_JSON"], "w"))


if __name__ == "__main__":
    main()
