"""Drives the sign benchmark (see run.sh). For each database: a fresh SQLite file or PostgreSQL
database, `undersigned serve` (with its worker writing the invitations as .eml files), one letter
of BENCH_INVITATIONS invitations per load level, the sign links read from the emails that were
really written, then the sign flow (examples/sign_flow.rs) at each concurrency, beside the raw
commit rate of the same database measured by examples/commit_rate.rs in the same run. On
PostgreSQL a second instance then shares the database and the load. Prints Markdown; with
BENCH_JSON=FILE also writes every figure there.

When the top level misses its goal (GOALS), one more letter is signed at that level while perf
samples the server (bench/flame.py), and the run prints where its CPU went.

Settings: BENCH_INVITATIONS (3000), BENCH_SECONDS (cap per run, 20), BENCH_CONCURRENCY
("1 8 32"), BENCH_DATABASES ("sqlite postgres"), BENCH_POSTGRES_URL, BENCH_PROFILE_MISSED (1;
0 skips the profile)."""

import json
import os
import re
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request

# bench/procs.py, shared with the public page benchmark.
sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), ".."))
from procs import cpu_seconds  # noqa: E402
import flame  # noqa: E402

TARGET = os.path.abspath(sys.argv[1])  # target/release, or target/debug for a smoke run
BINARY = os.path.join(TARGET, "undersigned")
SIGN_FLOW = os.path.join(TARGET, "examples", "sign_flow")
COMMIT_RATE = os.path.join(TARGET, "examples", "commit_rate")
INVITATIONS = int(os.environ.get("BENCH_INVITATIONS", "3000"))
SECONDS = float(os.environ.get("BENCH_SECONDS", "20"))
COMMIT_SECONDS = min(SECONDS, 5.0)
LEVELS = [int(c) for c in os.environ.get("BENCH_CONCURRENCY", "1 8 32").split()]
DATABASES = os.environ.get("BENCH_DATABASES", "sqlite postgres").split()
PG_ADMIN = os.environ.get("BENCH_POSTGRES_URL", "postgres://postgres@127.0.0.1:5432/postgres")
# The goals at the top level: flows a second, and the POST's p99 in ms.
GOALS = {"sqlite": 2000, "postgres": 1000}
POST_P99_GOAL_MS = 50
PROFILE_MISSED = os.environ.get("BENCH_PROFILE_MISSED", "1") != "0"
# Instances sharing one database must derive sign links from the same secret.
LINK_SECRET = "5" * 64


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_ready(base, timeout=60):
    deadline = time.time() + timeout
    while time.time() < deadline:
        try:
            with urllib.request.urlopen(base + "/readyz", timeout=1) as response:
                if response.status == 200:
                    return
        except OSError:
            pass
        time.sleep(0.02)
    raise SystemExit(f"{base}/readyz did not answer")


def api(base, token, method, path, body=None):
    request = urllib.request.Request(
        base + "/api/v1" + path, method=method,
        data=json.dumps(body).encode() if body is not None else None,
        headers={"Authorization": f"Bearer {token}", "Content-Type": "application/json"})
    with urllib.request.urlopen(request, timeout=300) as response:
        return json.loads(response.read())


def links_in(mail_dir, base, seen):
    """Sign links of the .eml files not yet in `seen` (file name → link), added to it."""
    found = []
    for name in sorted(os.listdir(mail_dir)) if os.path.isdir(mail_dir) else []:
        if not name.endswith(".eml") or name in seen:
            continue
        text = open(os.path.join(mail_dir, name), encoding="utf-8", errors="replace").read()
        match = re.search(re.escape(base) + r"/sign/[A-Za-z0-9_-]{43}", text.replace("=\n", ""))
        seen[name] = match.group(0) if match else None
        if match:
            found.append(match.group(0))
    return found


def invite_and_collect(base, token, mail_dir, seen, title):
    """A letter with INVITATIONS invitations; their sign links once the worker wrote them."""
    letter = api(base, token, "POST", "/letters",
                 {"title": title, "addressee": "Everyone", "body_markdown": "We ask for this.\n\n" * 20})["id"]
    for first in range(0, INVITATIONS, 1000):
        batch = [{"organization": f"Organization {n:05d}", "email": f"org{n}@example.org"}
                 for n in range(first, min(first + 1000, INVITATIONS))]
        api(base, token, "POST", f"/letters/{letter}/invitations", {"invitations": batch})
    links, deadline = [], time.time() + 300
    while len(links) < INVITATIONS:
        if time.time() > deadline:
            raise SystemExit(f"only {len(links)} of {INVITATIONS} invitation emails arrived")
        links += links_in(mail_dir, base, seen)
        time.sleep(0.2)
    return links


def run_json(args):
    out = subprocess.run(args, capture_output=True, text=True)
    if out.stderr.strip():
        print(out.stderr.strip(), file=sys.stderr)
    if out.returncode != 0:
        raise SystemExit(f"{args[0]} failed ({out.returncode})")
    return json.loads(out.stdout.strip().splitlines()[-1])


def sign_flow(work, links, concurrency, bases=None):
    path = os.path.join(work, f"links-{concurrency}-{len(bases or [])}.txt")
    open(path, "w").write("\n".join(links) + "\n")
    args = [SIGN_FLOW, "--links", path, "--concurrency", str(concurrency), "--seconds", str(SECONDS)]
    if bases:
        args += ["--base", ",".join(bases)]
    return run_json(args)


def postgres_pids():
    return [int(p) for p in subprocess.run(["pgrep", "-x", "postgres"], capture_output=True, text=True).stdout.split()]


def measured(flow, server_pids, database):
    """Runs `flow` and adds the CPU each flow cost the server (and PostgreSQL's processes): a
    figure that holds on a busy machine, where rates and latencies do not."""
    db_pids = postgres_pids() if database == "postgres" else []
    server_before, db_before = cpu_seconds(server_pids), cpu_seconds(db_pids)
    result = flow()
    flows = max(result["flows"], 1)
    result["server_cpu_ms_per_flow"] = (cpu_seconds(server_pids) - server_before) * 1000 / flows
    if db_pids:
        result["database_cpu_ms_per_flow"] = (cpu_seconds(db_pids) - db_before) * 1000 / flows
    return result


def peak_rss_kib(pid):
    status = open(f"/proc/{pid}/status").read()
    return int(re.search(r"VmHWM:\s+(\d+) kB", status).group(1))


def bench_database(database):
    work = tempfile.mkdtemp(prefix=f"undersigned-bench-sign-{database}-")
    children, pg_names = [], []
    try:
        if database == "postgres":
            app_db, raw_db = (f"undersigned_bench_{kind}_{os.getpid()}" for kind in ("app", "raw"))
            for name in (app_db, raw_db):
                subprocess.run(["psql", PG_ADMIN, "-qc", f"CREATE DATABASE {name}"], check=True)
                pg_names.append(name)
            server = PG_ADMIN.rsplit("/", 1)[0]
            db_url, raw_url = f"{server}/{app_db}", f"{server}/{raw_db}"
            settings = subprocess.run(["psql", PG_ADMIN, "-tAc", "SELECT current_setting('synchronous_commit') || ', fsync ' || current_setting('fsync')"],
                                      capture_output=True, text=True).stdout.strip()
        else:
            db_url, raw_url = f"sqlite://{work}/bench.db", f"sqlite://{work}/raw.db"
            settings = "WAL, synchronous = NORMAL"
        raw = run_json([COMMIT_RATE, "--url", raw_url, "--seconds", str(COMMIT_SECONDS)])
        raw_many = None
        if database == "postgres":
            raw_many = run_json([COMMIT_RATE, "--url", raw_url, "--seconds", str(COMMIT_SECONDS), "--connections", "10"])

        port = free_port()
        base = f"http://127.0.0.1:{port}"
        env = {k: v for k, v in os.environ.items() if not k.startswith("UNDERSIGNED_")}
        env.update({
            "UNDERSIGNED_DATABASE__URL": db_url,
            "UNDERSIGNED_STORAGE__DATA_DIR": f"{work}/data",
            "UNDERSIGNED_SERVER__LISTEN": f"127.0.0.1:{port}",
            "UNDERSIGNED_SERVER__BASE_URL": base,
            "UNDERSIGNED_MAIL__SMTP_URL": "",
            "UNDERSIGNED_MAIL__RATE_PER_SECOND": "0",
            "UNDERSIGNED_SECURITY__LINK_SECRET": LINK_SECRET,
            "UNDERSIGNED_LOG__FILTER": "warn",
        })
        run = lambda *args, **kw: subprocess.run([BINARY, *args], env=env, check=True, capture_output=True, text=True, **kw)
        run("migrate")
        run("admin", "create", "--email", "bench@example.org", "--name", "Bench", "--password-stdin",
            input="a long benchmark password\n")
        token = run("admin", "token", "--email", "bench@example.org").stdout.strip().splitlines()[-1]
        serve = subprocess.Popen([BINARY, "serve"], env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        children.append(serve)
        wait_ready(base)

        mail_dir, seen = f"{work}/data/mail", {}
        levels = {c: invite_and_collect(base, token, mail_dir, seen, f"Benchmark letter, {c} at once")
                  for c in LEVELS}
        two = None
        profile_links = invite_and_collect(base, token, mail_dir, seen, "Benchmark letter, profiled") \
            if PROFILE_MISSED and flame.available() else None
        if database == "postgres":
            two_links = invite_and_collect(base, token, mail_dir, seen, "Benchmark letter, two instances")
        rss_before = peak_rss_kib(serve.pid)
        results = {c: measured(lambda: sign_flow(work, links, c), [serve.pid], database)
                   for c, links in levels.items()}
        rss = peak_rss_kib(serve.pid)
        # A 303 is not proof enough: every flow counted must have left a signature behind.
        count = (["psql", db_url, "-tAc"] if database == "postgres" else ["sqlite3", f"{work}/bench.db"]) + [
            "SELECT count(*) FROM invitations WHERE status = 'signed'"]
        signed = int(subprocess.run(count, capture_output=True, text=True, check=True).stdout.strip())
        if signed != sum(r["flows"] for r in results.values()):
            raise SystemExit(f"{signed} invitations signed after {sum(r['flows'] for r in results.values())} flows")
        top = max(LEVELS)
        missed = goal_missed(database, results[top])
        profile = None
        if missed and profile_links:
            with flame.Sampling([serve.pid]) as sampling:
                sign_flow(work, profile_links, top)
            profile = sampling.summary()
        if database == "postgres":
            second_port = free_port()
            second_env = dict(env, UNDERSIGNED_SERVER__LISTEN=f"127.0.0.1:{second_port}",
                              UNDERSIGNED_STORAGE__DATA_DIR=f"{work}/data2")
            second = subprocess.Popen([BINARY, "serve"], env=second_env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
            children.append(second)
            second_base = f"http://127.0.0.1:{second_port}"
            wait_ready(second_base)
            two = measured(lambda: sign_flow(work, two_links, top, [base, second_base]),
                           [serve.pid, second.pid], database)
        return {"database": database, "settings": settings, "raw": raw, "raw_many": raw_many,
                "levels": results, "two_instances": two, "peak_rss_kib": rss,
                "rss_before_signing_kib": rss_before, "invitations": INVITATIONS,
                "goal": {"flows_per_second": GOALS[database], "post_p99_ms": POST_P99_GOAL_MS,
                         "missed": missed, "profile": profile,
                         "profiled": bool(missed and profile_links)}}
    finally:
        for child in reversed(children):
            if child.poll() is None:
                child.terminate()
                try:
                    child.wait(timeout=30)
                except subprocess.TimeoutExpired:
                    child.kill()
        for name in pg_names:
            subprocess.run(["psql", PG_ADMIN, "-qc", f"DROP DATABASE IF EXISTS {name} WITH (FORCE)"],
                           capture_output=True)
        shutil.rmtree(work, ignore_errors=True)


def goal_missed(database, result):
    """What the top level missed of its goal, in words, or None."""
    missed = []
    if result["flows_per_second"] < GOALS[database]:
        missed.append(f"{result['flows_per_second']:,.0f} flows/s, goal ≥ {GOALS[database]:,}")
    if result.get("post_p99_ms", 0) >= POST_P99_GOAL_MS:
        missed.append(f"POST p99 {result['post_p99_ms']:.1f} ms, goal < {POST_P99_GOAL_MS} ms")
    return "; ".join(missed) or None


def cpu(result):
    text = f"{result['server_cpu_ms_per_flow']:.2f} ms"
    if "database_cpu_ms_per_flow" in result:
        text += f" (+ PostgreSQL {result['database_cpu_ms_per_flow']:.2f} ms)"
    return text


def table(result):
    db, raw = result["database"], result["raw"]
    lines = [f"\n{db} ({result['settings']}), {result['invitations']:,} invitations per run, cap {SECONDS:g} s per run",
             "", "| measure | flows/s | POST p50 | POST p99 | GET link p99 | GET page p99 | errors | server CPU per flow |",
             "|---|---|---|---|---|---|---|---|"]
    for c, r in result["levels"].items():
        lines.append(f"| sign flow, {c} concurrent ({r['flows']:,} flows) | {r['flows_per_second']:,.0f} | "
                     f"{r.get('post_p50_ms', 0):.1f} ms | {r.get('post_p99_ms', 0):.1f} ms | "
                     f"{r.get('link_p99_ms', 0):.1f} ms | {r.get('page_p99_ms', 0):.1f} ms | {r['errors']} | {cpu(r)} |")
    two = result["two_instances"]
    if two:
        lines.append(f"| sign flow, two instances, {two['concurrency']} concurrent ({two['flows']:,} flows) | "
                     f"{two['flows_per_second']:,.0f} | {two.get('post_p50_ms', 0):.1f} ms | "
                     f"{two.get('post_p99_ms', 0):.1f} ms | {two.get('link_p99_ms', 0):.1f} ms | "
                     f"{two.get('page_p99_ms', 0):.1f} ms | {two['errors']} | {cpu(two)} |")
    lines.append(f"| raw: single-row INSERT transactions, 1 connection | {raw['commits_per_second']:,} commits/s | | | | | | |")
    if result["raw_many"]:
        many = result["raw_many"]
        lines.append(f"| raw: the same, {many['connections']} connections | {many['commits_per_second']:,} commits/s | | | | | | |")
    lines.append(f"\npeak RSS of the server (VmHWM): {result['peak_rss_kib'] / 1024:.1f} MiB "
                 f"({result['rss_before_signing_kib'] / 1024:.1f} MiB before signing)")
    goal = result["goal"]
    if goal["missed"] and goal["profiled"]:
        lines.append(flame.markdown(goal["profile"], f"Where the server's CPU went on {db} at "
                                    f"{max(LEVELS)} concurrent (missed: {goal['missed']})"))
    elif goal["missed"]:
        lines.append(f"\nMissed on {db}: {goal['missed']}; not profiled (perf unavailable here, or "
                     "BENCH_PROFILE_MISSED=0).")
    return "\n".join(lines)


def main():
    results = []
    for database in DATABASES:
        result = bench_database(database)
        print(table(result), flush=True)
        results.append(result)
    if os.environ.get("BENCH_JSON"):
        json.dump(results, open(os.environ["BENCH_JSON"], "w"), indent=1)


if __name__ == "__main__":
    main()
