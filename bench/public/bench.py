"""Drives the public page benchmark (see run.sh): releases a letter with BENCH_SIGNATORIES
organizations through the real app, saves the released page's bytes in each encoding as
Undersigned serves them for nginx, then loads both with wrk at each connection count,
uncompressed, gzip and brotli; then loads Undersigned again while late signatures, made one by
one through their sign links, publish new revisions, beside the same run without them. Prints
Markdown; with BENCH_JSON=FILE also writes every figure there.

Settings: BENCH_SECONDS (15 per run), BENCH_SIGNATORIES (100), BENCH_CONNECTIONS ("64 1000"),
BENCH_THREADS (wrk threads, 2), BENCH_REVISION_INTERVAL (seconds between late signatures,
0.75), BENCH_REVISION_CONNECTIONS (64), BENCH_REVISION_ENCODING (br), BENCH_REVISION_ROUNDS
(pairs of runs without and with revisions, in the order without, with, with, without…: 2),
BENCH_PROFILE_MISSED (1; 0 skips the profile of missed cases).

For the first PROFILED_CASES cases that miss their goal, wrk runs that case once more while perf
samples the server (bench/flame.py), and the run prints where its CPU went."""

import json
import os
import resource
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time

import requests

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), ".."))
import flame  # noqa: E402
from letter import Undersigned, released_letter, sign, signatory_count
from load import ENCODINGS, Nginx, check_target, cpu_seconds, page_bytes, parse_wrk, wrk, wrk_command

BINARY = os.path.abspath(sys.argv[1])
SECONDS = int(os.environ.get("BENCH_SECONDS", "15"))
SIGNATORIES = int(os.environ.get("BENCH_SIGNATORIES", "100"))
CONNECTIONS = [int(c) for c in os.environ.get("BENCH_CONNECTIONS", "64 1000").replace(",", " ").split()]
THREADS = int(os.environ.get("BENCH_THREADS", "2"))
INTERVAL = float(os.environ.get("BENCH_REVISION_INTERVAL", "0.75"))
REVISION_CONNECTIONS = int(os.environ.get("BENCH_REVISION_CONNECTIONS", "64"))
REVISION_ENCODING = os.environ.get("BENCH_REVISION_ENCODING", "br")
ROUNDS = int(os.environ.get("BENCH_REVISION_ROUNDS", "2"))
# Late signatures start this long into the revision run and stop this long before its end,
# so that the last revision reaches the page (rechecked once a second) while the load runs.
LEAD, TAIL = min(1.0, SECONDS / 10), 1.5
LATE_PER_RUN = max(1, int((SECONDS - TAIL - LEAD) / INTERVAL) + 1)
WARM_UP = max(1, min(3, SECONDS // 5))
PROFILE_MISSED = os.environ.get("BENCH_PROFILE_MISSED", "1") != "0"
PROFILED_CASES = 2


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def loadavg():
    return " ".join(open("/proc/loadavg").read().split()[:3])


def enough_descriptors():
    needed = max(CONNECTIONS + [REVISION_CONNECTIONS]) + 512
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    if soft < needed:
        if hard != resource.RLIM_INFINITY and hard < needed:
            raise SystemExit(f"{max(CONNECTIONS)} connections need {needed} open files; the limit is {hard}")
        resource.setrlimit(resource.RLIMIT_NOFILE, (needed, hard))


class PageWatcher(threading.Thread):
    """Reads the page's signatory count every 50 ms and notes when it changes: how soon a
    late signature reaches the page."""

    def __init__(self, url):
        super().__init__(daemon=True)
        self.url, self.changes, self.done = url, [], threading.Event()

    def run(self):
        browser = requests.Session()
        while not self.done.is_set():
            try:
                count = signatory_count(browser.get(self.url, timeout=10).text)
                if not self.changes or count != self.changes[-1][1]:
                    self.changes.append((time.monotonic(), count))
            except requests.RequestException:
                pass
            self.done.wait(0.05)

    def seen_at(self, count):
        return next((at for at, seen in self.changes if seen is not None and seen >= count), None)


def revision_run(server, url, links, listed):
    """wrk at REVISION_CONNECTIONS while the `links` sign one every INTERVAL seconds, each
    publishing a revision; returns wrk's figures, the signatures' durations and how long each
    took to reach the page."""
    watcher = PageWatcher(url)
    watcher.start()
    cpu_before, client_before = cpu_seconds([server.process.pid]), time.process_time()
    load = subprocess.Popen(wrk_command(url, REVISION_CONNECTIONS, SECONDS, REVISION_ENCODING, THREADS),
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    started, signed = time.monotonic(), []
    try:
        for k, link in enumerate(links):
            at = started + LEAD + k * INTERVAL
            if at > started + SECONDS - TAIL:
                break
            time.sleep(max(0.0, at - time.monotonic()))
            took = sign(server.base, link)
            signed.append((time.monotonic(), took))
        out, err = load.communicate(timeout=SECONDS + 60)
    finally:
        if load.poll() is None:
            load.kill()
            load.wait()
    if load.returncode:
        raise SystemExit(f"wrk failed: {err}")
    figures = parse_wrk(out)
    # With the signing, the revisions and the watcher's reads: what the run cost the server.
    figures["server_cpu_us_per_request"] = ((cpu_seconds([server.process.pid]) - cpu_before) * 1e6
                                            / max(1, figures["requests"]))
    # The signing browsers and the watcher run on the same cores as the server and wrk.
    figures["client_cpu_seconds"] = time.process_time() - client_before
    time.sleep(1.5)  # the recheck of the page's copy
    watcher.done.set()
    watcher.join()
    visible = [watcher.seen_at(listed + k + 1) for k in range(len(signed))]
    return figures, signed, [(v - s[0]) * 1000 if v else None for v, s in zip(visible, signed)]


def mean_of(runs, kind):
    """The mean of each figure over the runs of one kind."""
    chosen = [r for r in runs if r["kind"] == kind]
    return {key: statistics.mean(r[key] for r in chosen) for key in chosen[0] if key != "kind"}


def spread(values):
    values = [v for v in values if v is not None]
    return {"p50": statistics.median(values), "max": max(values)} if values else None


def f_ms(value):
    return f"{value:,.2f} ms"


def f_errors(r):
    return f"{r['non_2xx']}" + (f" ({r['socket_errors']} socket errors)" if r["socket_errors"] else "")


def print_case(case, sizes):
    encoding, connections = case["encoding"], case["connections"]
    accept = ENCODINGS[encoding][0]
    print(f"\n{connections:,} connections, {encoding} ({f'Accept-Encoding: {accept}' if accept else 'no Accept-Encoding'}), "
          f"{SECONDS} s, wrk -t{THREADS}, body of {sizes[encoding]:,} bytes\n")
    print("| server | connections | encoding | requests/s | p50 | p99 | non-2xx | ratio to nginx | p99 ratio "
          "| server CPU per request |")
    print("|---|---|---|---|---|---|---|---|---|---|")
    for label, key in (("nginx, the same bytes as static files", "nginx"),
                       ("undersigned serve, /letters/{slug} from memory", "undersigned")):
        r, nginx = case[key], case["nginx"]
        print(f"| {label} | {connections:,} | {encoding} | {r['requests_per_second']:,.0f} | {f_ms(r['p50_ms'])} | "
              f"{f_ms(r['p99_ms'])} | {f_errors(r)} | {r['requests_per_second'] / nginx['requests_per_second']:.2f} | "
              f"{r['p99_ms'] / nginx['p99_ms']:.2f} | {r['server_cpu_us_per_request']:.1f} µs |")


def print_goals(cases):
    print("\n| case | requests/s, undersigned / nginx (goal ≥ 1.0) | p99, undersigned / nginx (goal ≤ 2.0) | goal "
          "| server CPU per request, undersigned / nginx |")
    print("|---|---|---|---|---|")
    for case in cases:
        print(f"| {case['connections']:,} connections, {case['encoding']} | {case['ratio']:.2f} | "
              f"{case['p99_ratio']:.2f} | {'met' if case['goal_met'] else 'missed'} | {case['cpu_ratio']:.2f} |")


def print_revisions(rev):
    print(f"\nundersigned serve, {REVISION_CONNECTIONS:,} connections, {REVISION_ENCODING}, {SECONDS} s, wrk -t{THREADS}: "
          f"the same run without and with late signatures, alternated\n")
    print("| run | requests/s | p50 | p99 | non-2xx | rate / without | p99 / without | server CPU per request |")
    print("|---|---|---|---|---|---|---|---|")
    base = rev["without"]

    def row(label, r):
        print(f"| {label} | {r['requests_per_second']:,.0f} | {f_ms(r['p50_ms'])} | {f_ms(r['p99_ms'])} | "
              f"{f_errors(r)} | {r['requests_per_second'] / base['requests_per_second']:.2f} | "
              f"{r['p99_ms'] / base['p99_ms']:.2f} | {r['server_cpu_us_per_request']:.1f} µs |")

    for n, r in enumerate(rev["runs"], 1):
        row(f"{n}. without revisions" if r["kind"] == "without" else
            f"{n}. a late signature every {INTERVAL:g} s, {r['published']:.0f} revision"
            f"{'s' if r['published'] != 1 else ''} published", r)
    row(f"**mean without revisions** ({rev['rounds']} runs)", base)
    row(f"**mean with revisions** ({rev['rounds']} runs, {rev['published']} revisions)", rev["with"])
    if rev.get("p99_ratio_to_nginx") is not None:
        print(f"\np99 with revisions / nginx's p99 at the same connections and encoding: {rev['p99_ratio_to_nginx']:.2f}"
              " (goal ≤ 2.0)")
    sign_ms, seen_ms = rev["sign_flow_ms"], rev["visible_after_ms"]
    print(f"\nThe page after the run: signed by {rev['page_signatories']} organizations "
          f"({rev['listed_at_release']} at release + {rev['published']} late; "
          f"{'as expected' if rev['page_ok'] else 'EXPECTED ' + str(rev['expected_signatories'])}), revision "
          f"{rev['page_revision']}. Each late signature (link, form, POST): p50 {f_ms(sign_ms['p50'])}, max "
          f"{f_ms(sign_ms['max'])} (the signing browsers and the page watcher took {rev['with']['client_cpu_seconds']:.1f} s "
          f"of CPU per run on the same cores); on the page "
          + (f"p50 {f_ms(seen_ms['p50'])}, max {f_ms(seen_ms['max'])} after its POST answered." if seen_ms
             else "never seen by the watcher during the run."))


def measure(work):
    port, nginx_port = free_port(), free_port()
    server = Undersigned(BINARY, work, port)
    nginx = None
    try:
        slug, listed, late_links = released_letter(server, SIGNATORIES, LATE_PER_RUN * ROUNDS)
        url = f"{server.base}/letters/{slug}"
        bodies = page_bytes(url)
        nginx = Nginx(work, nginx_port, bodies, max(CONNECTIONS + [REVISION_CONNECTIONS]))
        targets = {"nginx": nginx.url, "undersigned": url}
        pids = {"nginx": nginx.pids(), "undersigned": [server.process.pid]}
        for encoding, body in bodies.items():
            for target in targets.values():
                check_target(target, encoding, body)
        for target in targets.values():
            wrk(target, CONNECTIONS[0], WARM_UP, "identity", THREADS)
        cases = []
        for connections in CONNECTIONS:
            for encoding in ENCODINGS:
                case = {"connections": connections, "encoding": encoding}
                for name, target in targets.items():
                    case[name] = wrk(target, connections, SECONDS, encoding, THREADS, pids[name])
                case["ratio"] = case["undersigned"]["requests_per_second"] / case["nginx"]["requests_per_second"]
                case["p99_ratio"] = case["undersigned"]["p99_ms"] / case["nginx"]["p99_ms"]
                case["cpu_ratio"] = (case["undersigned"]["server_cpu_us_per_request"]
                                     / case["nginx"]["server_cpu_us_per_request"])
                case["goal_met"] = case["ratio"] >= 1.0 and case["p99_ratio"] <= 2.0
                cases.append(case)
        profiling = PROFILE_MISSED and flame.available()
        for case in [c for c in cases if not c["goal_met"]][:PROFILED_CASES if profiling else 0]:
            with flame.Sampling(pids["undersigned"]) as sampling:
                wrk(url, case["connections"], min(SECONDS, 5), case["encoding"], THREADS)
            case["profile"] = sampling.summary()
        check_target(url, REVISION_ENCODING, bodies[REVISION_ENCODING])
        # The machine's other work drifts: the runs with revisions sit between those without.
        runs, signed, visible = [], [], []
        for kind in [k for r in range(ROUNDS) for k in (("without", "with") if r % 2 == 0 else ("with", "without"))]:
            if kind == "without":
                figures = wrk(url, REVISION_CONNECTIONS, SECONDS, REVISION_ENCODING, THREADS, pids["undersigned"])
            else:
                links = late_links[len(signed):len(signed) + LATE_PER_RUN]
                figures, now_signed, now_visible = revision_run(server, url, links, listed + len(signed))
                figures["published"] = len(now_signed)
                signed, visible = signed + now_signed, visible + now_visible
            runs.append(dict(figures, kind=kind))
        without, with_revisions = mean_of(runs, "without"), mean_of(runs, "with")
        page = requests.get(url, timeout=30).text
        revision = requests.get(url + ".json", timeout=30).json()["revision"]
        nginx_same = next((c["nginx"] for c in cases
                           if (c["connections"], c["encoding"]) == (REVISION_CONNECTIONS, REVISION_ENCODING)), None)
        revisions = {
            "connections": REVISION_CONNECTIONS, "encoding": REVISION_ENCODING, "interval_seconds": INTERVAL,
            "rounds": ROUNDS, "runs": runs, "without": without, "with": with_revisions, "published": len(signed),
            "rate_ratio": with_revisions["requests_per_second"] / without["requests_per_second"],
            "p99_ratio": with_revisions["p99_ms"] / without["p99_ms"],
            "p99_ratio_to_nginx": with_revisions["p99_ms"] / nginx_same["p99_ms"] if nginx_same else None,
            "listed_at_release": listed, "expected_signatories": listed + len(signed),
            "page_signatories": signatory_count(page), "page_revision": revision,
            "sign_flow_ms": spread([took for _, took in signed]), "visible_after_ms": spread(visible),
        }
        revisions["page_ok"] = (revisions["page_signatories"] == revisions["expected_signatories"]
                                and revision == 1 + len(signed))
        return {"page_bytes": {e: len(b) for e, b in bodies.items()}, "cases": cases, "revisions": revisions}
    finally:
        if nginx:
            nginx.stop()
        server.stop()


def main():
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))
    enough_descriptors()
    work = tempfile.mkdtemp(prefix="undersigned-bench-public-")
    started_load = loadavg()
    try:
        results = measure(work)
    finally:
        shutil.rmtree(work, ignore_errors=True)
    results.update(seconds=SECONDS, threads=THREADS, signatories=SIGNATORIES,
                   loadavg_start=started_load, loadavg_end=loadavg())
    print(f"\nThe released page of {SIGNATORIES} signatories, in bytes: "
          + ", ".join(f"{e} {n:,}" for e, n in results["page_bytes"].items())
          + f". Load average {started_load} at the start, {results['loadavg_end']} at the end.")
    for case in results["cases"]:
        print_case(case, results["page_bytes"])
    print_goals(results["cases"])
    for case in results["cases"]:
        if "profile" in case:
            print(flame.markdown(case["profile"], f"Where the server's CPU went at {case['connections']:,} "
                                 f"connections, {case['encoding']} (missed: rate {case['ratio']:.2f} of nginx, "
                                 f"p99 {case['p99_ratio']:.2f}×)"))
    print_revisions(results["revisions"])
    if os.environ.get("BENCH_JSON"):
        with open(os.environ["BENCH_JSON"], "w") as out:
            json.dump(results, out, indent=1)
    if not results["revisions"]["page_ok"]:
        raise SystemExit("the page does not show every late signatory")


if __name__ == "__main__":
    main()
