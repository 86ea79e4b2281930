"""Gathers the figures of one bench/run.sh (the Markdown each benchmark printed, the JSON the
sign and start-up benchmarks wrote) into a Summary: the machine, the versions, every figure
beside its baseline and goal. Prints it; without --smoke also puts it at the top of
docs/BENCHMARKS.md in place of the previous Summary, the older sections kept below.
Usage: summary.py LOG_DIR STARTED LOAD [--smoke]"""

import json
import os
import re
import subprocess
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import flame  # noqa: E402

LOGS, STARTED, LOAD = sys.argv[1:4]
SMOKE = "--smoke" in sys.argv[4:]
DOC = "docs/BENCHMARKS.md"


def read(name):
    path = os.path.join(LOGS, name)
    return open(path, encoding="utf-8").read() if os.path.exists(path) else ""


def row_value(text, label):
    """The first number after `| label…|` in a Markdown table, or None."""
    match = re.search(r"^\|\s*" + re.escape(label) + r"[^|]*\|\s*([\d,.]+)", text, re.M)
    return float(match.group(1).replace(",", "")) if match else None


def command(*args):
    try:
        return subprocess.run(args, capture_output=True, text=True, check=True).stdout.strip()
    except (OSError, subprocess.CalledProcessError):
        return "unknown"


def machine():
    cpu = re.search(r"model name\s*:\s*(.+)", open("/proc/cpuinfo").read())
    pg = command("psql", os.environ.get("BENCH_POSTGRES_URL", "postgres://postgres@127.0.0.1:5432/postgres"),
                 "-tAc", "SHOW server_version")
    nginx = command("sh", "-c", "nginx -v 2>&1").replace("nginx version: ", "")
    return (f"Machine: {command('nproc')} cores (`nproc`), {cpu.group(1) if cpu else 'unknown CPU'}, "
            f"{round(os.sysconf('SC_PAGE_SIZE') * os.sysconf('SC_PHYS_PAGES') / 2**30)} GiB; "
            f"load average {LOAD} when the run began ({STARTED}), "
            f"{' '.join(open('/proc/loadavg').read().split()[:3])} when it ended. {command('rustc', '--version')}, "
            f"`cargo build --profile {os.environ.get('BENCH_PROFILE', 'release')}`, commit {command('git', 'rev-parse', '--short', 'HEAD')}; "
            f"PostgreSQL {pg}, {nginx}. The servers and the load clients share these cores.")


def fmt(value, unit=""):
    return "–" if value is None else f"{value:,.0f}{unit}"


def verdict(met):
    return "met" if met else "**missed**"


def profiles(public, sign):
    """The flame-graph summaries the benchmarks took for the goals this run missed."""
    found = []
    for result in sign:
        goal = result.get("goal") or {}
        if goal.get("missed"):
            found.append(flame.markdown(goal.get("profile"), f"Signing on {result['database']}, "
                                        f"missed ({goal['missed']}): where the server's CPU went")
                         if goal.get("profiled") else
                         f"\nSigning on {result['database']}, missed ({goal['missed']}): not profiled (no perf here).\n")
    for case in public.get("cases", []):
        if "profile" in case:
            found.append(flame.markdown(case["profile"], f"Public page, {case['connections']:,} connections, "
                                        f"{case['encoding']}, missed: where the server's CPU went"))
    if not found:
        return []
    return ["", "### Where the time went, for each goal missed in this run", "",
            "Sampled by `perf` while the same load ran once more (bench/flame.py): the share of the "
            "server's samples by library, the functions with the most CPU of their own, and "
            "Undersigned's functions with the most CPU beneath them.", *found]


def summary():
    mail = read("mail.md")
    public = json.loads(read("public.json") or "{}")
    sign = json.loads(read("sign.json") or "[]")
    startup = json.loads(read("startup.json") or "{}")
    growth = json.loads(read("growth.json") or "{}")
    worker = row_value(mail, "undersigned worker")
    raws = [v for v in (row_value(mail, "raw: smtplib, 1 "), row_value(mail, "raw: smtplib, 4")) if v]
    raw_mail = max(raws) if raws else None
    rows = []
    for case in public.get("cases", []):
        ours, theirs = case["undersigned"], case["nginx"]
        rows.append((f"public page `/letters/{{slug}}`, {case['connections']:,} connections, {case['encoding']}: "
                     "requests/s (p99)", f"{ours['requests_per_second']:,.0f} ({ours['p99_ms']:.1f} ms)",
                     f"nginx, same bytes: {theirs['requests_per_second']:,.0f} ({theirs['p99_ms']:.1f} ms)",
                     f"{case['ratio']:.2f} (p99 {case['p99_ratio']:.2f})", "≥ 1.0 of nginx, p99 ≤ 2×",
                     verdict(case["goal_met"])))
    revisions = public.get("revisions")
    if revisions:
        rows.append(("public page while late signatures publish revisions: "
                     f"{revisions['expected_signatories'] - revisions['listed_at_release']} new, the page counts them all",
                     "yes" if revisions["page_ok"] else "**no**", "–",
                     f"p99 with / without: {revisions['p99_ratio']:.2f}",
                     "no p99 spike", verdict(revisions["page_ok"] and revisions["p99_ratio"] <= 2.0)))
    rows.append(("outbox drained into aiosmtpd, messages/s (4 connections)", fmt(worker),
                 f"smtplib, best of 1 and 4 connections: {fmt(raw_mail)}",
                 f"{worker / raw_mail:.2f}" if worker and raw_mail else "–", "– (no goal set)", "–"))
    for result in sign:
        db, raw = result["database"], result["raw"]["commits_per_second"]
        goal = "≥ 2,000 flows/s" if db == "sqlite" else "≥ 1,000 flows/s"
        top = max(map(int, result["levels"]))
        for level, r in result["levels"].items():
            at_top = int(level) == top
            rows.append((f"signing on {db}, {level} concurrent: flows/s (POST p50 / p99)",
                         f"{r['flows_per_second']:,.0f} ({r.get('post_p50_ms', 0):.1f} / {r.get('post_p99_ms', 0):.1f} ms)",
                         f"raw commits, 1 connection: {raw:,}/s", f"{r['flows_per_second'] / raw:.3f}",
                         f"{goal}, POST p99 < 50 ms" if at_top else "–",
                         verdict(not result["goal"]["missed"]) if at_top and "goal" in result else "–"))
        two = result.get("two_instances")
        if two:
            many = result["raw_many"]
            rows.append((f"signing on {db}, two instances, {two['concurrency']} concurrent",
                         f"{two['flows_per_second']:,.0f} ({two.get('post_p50_ms', 0):.1f} / {two.get('post_p99_ms', 0):.1f} ms)",
                         f"raw commits, {many['connections']} connections: {many['commits_per_second']:,}/s",
                         f"{two['flows_per_second'] / many['commits_per_second']:.3f}", "more than one instance",
                         verdict(two["flows_per_second"] > result["levels"][str(two["concurrency"])]["flows_per_second"])
                         if str(two["concurrency"]) in result["levels"] else "–"))
        rows.append((f"peak RSS of `serve` under the sign load ({db}, VmHWM)", f"{result['peak_rss_kib'] / 1024:.1f} MiB",
                     "–", "–", "< 64 MiB", verdict(result["peak_rss_kib"] < 64 * 1024)))
    for entry in growth.get("databases", []):
        for r in entry.get("signing", []):
            flow = r["sign"]
            rows.append((f"signing on {entry['database']} with {r['size']:,} invitations on the letter: "
                         "flows/s (POST p99)", f"{flow['flows_per_second']:,.0f} ({flow.get('post_p99_ms', 0):.1f} ms)",
                         "–", "–", "flat as the letter grows", "–"))
    if startup:
        rows.append(("start-up of `serve` to /readyz (SQLite), restart", f"{startup['median_ms']:.0f} ms "
                     f"(median of {startup['runs']}, {startup['min_ms']:.0f}–{startup['max_ms']:.0f})",
                     f"first start, fresh folder: {startup['first_ms']:.0f} ms", "–", "< 200 ms",
                     verdict(startup["median_ms"] < 200)))
    sizes = ("smoke sizes (`bench/run.sh --smoke`): figures only show that each benchmark runs"
             if SMOKE else "`bench/run.sh`, default sizes")
    lines = ["## Summary", "", f"Written by `bench/run.sh` on {STARTED}, {sizes}. {machine()}", "",
             "| measure | this run | baseline, same run | ratio | goal | met? |", "|---|---|---|---|---|---|"]
    lines += ["| " + " | ".join(row) + " |" for row in rows]
    lines += profiles(public, sign)
    lines += ["", "Each benchmark's own tables from the same run:", "", "<details>", ""]
    for name in ("public.md", "mail.md", "sign.md", "startup.md", "growth.md"):
        lines.append(read(name).strip())
        lines.append("")
    lines += ["</details>", ""]
    return "\n".join(lines)


def main():
    text = summary()
    print("\n" + text)
    if SMOKE:
        return
    doc = open(DOC, encoding="utf-8").read()
    title, _, rest = doc.partition("\n")
    rest = rest.lstrip("\n")
    if rest.startswith("## Summary"):
        following = re.search(r"^## (?!Summary)", rest, re.M)
        rest = rest[following.start():] if following else ""
    open(DOC, "w", encoding="utf-8").write(f"{title}\n\n{text}\n{rest}")
    print(f"\n{DOC}: Summary rewritten")


if __name__ == "__main__":
    main()
