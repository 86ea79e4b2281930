"""Drives the growth benchmark (see run.sh): how the cost of Undersigned's busiest paths grows
with the size of one letter, through the real app (`undersigned serve` with its worker writing
every email as a .eml file, `mail.rate_per_second = 0`, an admin and an API token made with the
command line). Every size gets a fresh database and server, so sizes do not share tables.

1. Signing a letter of BENCH_SIZES invitations: the invitations created through the API in
   batches of 1,000, every email written, then examples/sign_flow at BENCH_CONCURRENCY over
   BENCH_FLOWS of that letter's links.
2. A letter of BENCH_ORG_SIZES organizations that all signed: the coordinator's dashboard (the
   real login form, a session cookie), the API's letter and invitations, the release check (page
   and API), the coordinator's exports, a signatory's sign page (with the list of signatories
   shown to partners off and on), then the release itself, each with the server's VmRSS and
   VmHWM before and after.
3. The released letter: the first request of its public page (which renders every form: page,
   JSON, CSV, XLSX, text, PDF), later requests, and the sizes of each form.

Prints Markdown; with BENCH_JSON=FILE also writes every figure there.

The JSON: {"started_at", "commit", "nproc", "loadavg_start", "loadavg_end", "settings",
"databases": [{"database", "signing": [{"size", "create_seconds", "create_per_second",
"batch_seconds_first", "batch_seconds_last", "drain_seconds", "emails_per_second", "flows",
"sign": sign_flow's JSON line, "memory_before", "memory_after", "server_log"}],
"organizations": [{"size", "create_seconds", "sign_with", "sign_seconds", "sign_per_second",
"sign_flow", "measures": {name: measure}, "release_notices_seconds", "public": {name: measure},
"memory_end", "server_log"}]}]}, where a measure is {"path", "ms" (median), "ms_min", "ms_max",
"samples", "bytes", "status", "memory_before", "memory_after"} and memory is {"rss_kib",
"hwm_kib"} (VmRSS, VmHWM). Measure names: dashboard_page, dashboard_page_filtered, letter_api,
release_page, release_check_api, invitations_api, export_{responses,audit}_{csv,xlsx},
sign_page, sign_page_listing_signatories, release; public: page_first, page, page_gzip,
page_brotli, json, csv, xlsx, pdf.

Settings: BENCH_SIZES ("1000 10000 100000"), BENCH_FLOWS (2000, at most the size),
BENCH_CONCURRENCY (32), BENCH_ORG_SIZES ("100 1000 10000"), BENCH_REPEATS (5 GETs per read-only
measure, median reported), BENCH_SIGN_WITH ("flow": examples/sign_flow; "api": the API's
recorded answers), BENCH_DATABASES ("sqlite"; "sqlite postgres" adds PostgreSQL),
BENCH_POSTGRES_URL (postgres://postgres@127.0.0.1:5432/postgres)."""

import concurrent.futures
import gzip
import http.client
import importlib.util
import json
import os
import random
import re
import shutil
import signal
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.parse

TARGET = os.path.abspath(sys.argv[1])  # target/release
BINARY = os.path.join(TARGET, "undersigned")
SIGN_FLOW = os.path.join(TARGET, "examples", "sign_flow")
SIZES = [int(n) for n in os.environ.get("BENCH_SIZES", "1000 10000 100000").split()]
FLOWS = int(os.environ.get("BENCH_FLOWS", "2000"))
CONCURRENCY = int(os.environ.get("BENCH_CONCURRENCY", "32"))
ORG_SIZES = [int(n) for n in os.environ.get("BENCH_ORG_SIZES", "100 1000 10000").split()]
REPEATS = max(1, int(os.environ.get("BENCH_REPEATS", "5")))
SIGN_WITH = os.environ.get("BENCH_SIGN_WITH", "flow")
DATABASES = os.environ.get("BENCH_DATABASES", "sqlite").split()
PG_ADMIN = os.environ.get("BENCH_POSTGRES_URL", "postgres://postgres@127.0.0.1:5432/postgres")
BATCH = 1000
PASSWORD = "a long benchmark password"
# Waiting longer than this for emails means the worker is stuck, not slow.
DRAIN_TIMEOUT = 1800

# The sign benchmark's small helpers, loaded under a name of their own (this file is `bench` too).
_spec = importlib.util.spec_from_file_location(
    "sign_bench", os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "sign", "bench.py"))
sign_bench = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(sign_bench)
free_port, wait_ready, run_json = sign_bench.free_port, sign_bench.wait_ready, sign_bench.run_json


# ---------------------------------------------------------------------------------------------
# An HTTP client that times whole answers: one keep-alive connection, its own cookies.

class Client:
    def __init__(self, base):
        parsed = urllib.parse.urlsplit(base)
        self.host, self.port = parsed.hostname, parsed.port
        self.cookies = {}
        self.connection = None

    def request(self, method, path, body=None, headers=None):
        """(status, headers, body bytes, seconds from sending to the last byte)."""
        headers = dict(headers or {})
        if self.cookies:
            headers["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        for attempt in (1, 2):
            if self.connection is None:
                self.connection = http.client.HTTPConnection(self.host, self.port, timeout=600)
            try:
                started = time.perf_counter()
                self.connection.request(method, path, body=body, headers=headers)
                response = self.connection.getresponse()
                data = response.read()
                seconds = time.perf_counter() - started
                break
            except (http.client.RemoteDisconnected, ConnectionResetError, BrokenPipeError):
                # The server closed an idle keep-alive connection: open a new one once.
                self.connection.close()
                self.connection = None
                if attempt == 2:
                    raise
        for name, value in response.getheaders():
            if name.lower() == "set-cookie":
                pair = value.split(";", 1)[0]
                key, _, val = pair.partition("=")
                if val:
                    self.cookies[key.strip()] = val.strip()
                else:
                    self.cookies.pop(key.strip(), None)
        if response.getheader("Connection", "").lower() == "close":
            self.connection.close()
            self.connection = None
        return response.status, {k.lower(): v for k, v in response.getheaders()}, data, seconds

    def api(self, token, method, path, body=None, expect=(200, 201)):
        status, _, data, seconds = self.request(
            method, "/api/v1" + path, json.dumps(body).encode() if body is not None else None,
            {"Authorization": f"Bearer {token}", "Content-Type": "application/json"})
        if status not in expect:
            raise SystemExit(f"{method} /api/v1{path}: {status} {data[:300]!r}")
        return json.loads(data) if data else None, seconds, len(data)

    def close(self):
        if self.connection is not None:
            self.connection.close()


def form_field(page, name):
    match = re.search(r'name="%s" value="([^"]*)"' % re.escape(name), page)
    if not match:
        raise SystemExit(f"no {name} field on the page")
    return match.group(1).replace("&amp;", "&")


# ---------------------------------------------------------------------------------------------
# One fresh database and server.

def memory_kib(pid):
    status = open(f"/proc/{pid}/status").read()
    grab = lambda key: int(re.search(key + r":\s+(\d+) kB", status).group(1))
    return {"rss_kib": grab("VmRSS"), "hwm_kib": grab("VmHWM")}


class Instance:
    """`undersigned serve` on a fresh database and data folder, with an admin and its token."""

    def __init__(self, database, label):
        self.database = database
        self.work = tempfile.mkdtemp(prefix=f"undersigned-bench-growth-{database}-")
        self.pg_name = None
        self.serve = None
        try:
            self._start(label)
        except BaseException:
            self.stop()
            raise

    def _start(self, label):
        if self.database == "postgres":
            self.pg_name = f"undersigned_bench_growth_{label}_{os.getpid()}"
            subprocess.run(["psql", PG_ADMIN, "-qc", f"CREATE DATABASE {self.pg_name}"],
                           check=True, capture_output=True)
            self.db_url = f"{PG_ADMIN.rsplit('/', 1)[0]}/{self.pg_name}"
        else:
            self.db_url = f"sqlite://{self.work}/bench.db"
        port = free_port()
        self.base = f"http://127.0.0.1:{port}"
        env = {k: v for k, v in os.environ.items() if not k.startswith("UNDERSIGNED_")}
        env.update({
            "UNDERSIGNED_DATABASE__URL": self.db_url,
            "UNDERSIGNED_STORAGE__DATA_DIR": f"{self.work}/data",
            "UNDERSIGNED_SERVER__LISTEN": f"127.0.0.1:{port}",
            "UNDERSIGNED_SERVER__BASE_URL": self.base,
            "UNDERSIGNED_MAIL__SMTP_URL": "",
            "UNDERSIGNED_MAIL__RATE_PER_SECOND": "0",
            "UNDERSIGNED_LOG__FILTER": "warn",
        })
        self.env = env
        run = lambda *args, **kw: subprocess.run([BINARY, *args], env=env, check=True,
                                                 capture_output=True, text=True, **kw)
        run("migrate")
        run("admin", "create", "--email", "bench@example.org", "--name", "Bench",
            "--password-stdin", input=PASSWORD + "\n")
        self.token = run("admin", "token", "--email", "bench@example.org").stdout.strip().splitlines()[-1]
        self.log_path = f"{self.work}/serve.log"
        self.serve = subprocess.Popen([BINARY, "serve"], env=env, stdout=subprocess.DEVNULL,
                                      stderr=open(self.log_path, "w"))
        wait_ready(self.base)
        self.mail_dir = f"{self.work}/data/mail"
        self.client = Client(self.base)

    def sql(self, query):
        if self.database == "postgres":
            args = ["psql", self.db_url, "-tAc", query]
        else:
            args = ["sqlite3", "-cmd", ".timeout 5000", f"{self.work}/bench.db", query]
        return subprocess.run(args, capture_output=True, text=True, check=True).stdout.strip()

    def problems(self, last=5):
        """The last warnings and errors the server logged (the log filter is `warn`), without
        the two every start logs here (the example sender, the http base URL)."""
        if not os.path.exists(self.log_path):
            return []
        lines = [l.strip() for l in open(self.log_path, errors="replace")
                 if l.strip() and "mail.from is still" not in l and "is not https" not in l]
        return [l[:400] for l in lines[-last:]]

    def memory(self):
        return memory_kib(self.serve.pid)

    def api(self, method, path, body=None, expect=(200, 201)):
        return self.client.api(self.token, method, path, body, expect)

    def stop(self):
        started = time.perf_counter()
        if self.serve is not None and self.serve.poll() is None:
            self.serve.terminate()
            try:
                self.serve.wait(timeout=30)
            except subprocess.TimeoutExpired:
                progress("the server did not stop within 30 s of SIGTERM: killed")
                self.serve.kill()
                self.serve.wait()
        stopped = time.perf_counter()
        if getattr(self, "client", None):
            self.client.close()
        if self.pg_name:
            subprocess.run(["psql", PG_ADMIN, "-qc", f"DROP DATABASE IF EXISTS {self.pg_name} WITH (FORCE)"],
                           capture_output=True)
        shutil.rmtree(self.work, ignore_errors=True)
        progress(f"server stopped in {stopped - started:.1f} s, its database and folder removed "
                 f"in {time.perf_counter() - stopped:.1f} s")

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.stop()


# ---------------------------------------------------------------------------------------------
# Letters, invitations, emails.

# Names in several scripts and with accents, in no sorted order, as the reader's collation meets
# them in real coalitions.
PREFIXES = ["Association", "Ärzte für", "Église et", "Fondation", "Human Rights", "Coalition",
            "Уйгурский центр", "منظمة", "Zimbabwe", "Institut", "Observatoire", "Netzwerk"]


def organization_name(n, rng):
    return f"{rng.choice(PREFIXES)} {rng.randrange(10**6):06d} {n:06d}"


def create_letter(instance, title):
    letter, _, _ = instance.api("POST", "/letters", {
        "title": title, "addressee": "The Secretary-General",
        "body_markdown": "We, the undersigned organizations, ask for this.\n\n" * 20})
    return letter


def invite(instance, letter_id, size, lead_every=0):
    """Invites `size` organizations in batches of 1,000; answers the invitation ids, how long
    the requests took in all, and each batch's seconds."""
    rng = random.Random(size)
    ids, seconds, batches = [], 0.0, []
    for first in range(0, size, BATCH):
        batch = []
        for n in range(first, min(first + BATCH, size)):
            item = {"organization": organization_name(n, rng), "email": f"org{n}@example.org"}
            if lead_every and n % lead_every == 0:
                item["tier"] = "lead"
            batch.append(item)
        answer, took, _ = instance.api("POST", f"/letters/{letter_id}/invitations", {"invitations": batch})
        if answer["rejected"]:
            raise SystemExit(f"invitations rejected: {answer['rejected'][:3]}")
        ids += [i["id"] for i in answer["invitations"]]
        seconds += took
        batches.append(took)
    return ids, seconds, batches


def wait_for_outbox(instance, started, timeout=DRAIN_TIMEOUT):
    """Waits until the worker has sent (written) every queued email; answers the seconds since
    `started`. A dead job stops the benchmark."""
    deadline = time.time() + timeout
    while True:
        waiting, dead = (int(v or 0) for v in instance.sql(
            "SELECT SUM(CASE WHEN status IN ('pending', 'sending') THEN 1 ELSE 0 END), "
            "SUM(CASE WHEN status = 'dead' THEN 1 ELSE 0 END) FROM outbox").split("|"))
        if dead:
            raise SystemExit(f"{dead} emails went to the dead-letter list")
        if waiting == 0:
            return time.perf_counter() - started
        if time.time() > deadline:
            raise SystemExit(f"{waiting} emails still waiting after {timeout} s")
        time.sleep(0.1)


def sign_links(instance, wanted=None):
    """The sign links of the invitation emails written so far (all, or the first `wanted`)."""
    links, pattern = [], re.compile(re.escape(instance.base) + r"/sign/[A-Za-z0-9_-]{43}")
    for name in sorted(os.listdir(instance.mail_dir)):
        if wanted is not None and len(links) >= wanted:
            break
        if not name.endswith(".eml"):
            continue
        text = open(os.path.join(instance.mail_dir, name), encoding="utf-8", errors="replace").read()
        match = pattern.search(text.replace("=\n", ""))
        if match:
            links.append(match.group(0))
    return links


def run_sign_flow(instance, links, concurrency, seconds=None):
    path = os.path.join(instance.work, "links.txt")
    open(path, "w").write("\n".join(links) + "\n")
    args = [SIGN_FLOW, "--links", path, "--concurrency", str(concurrency)]
    if seconds:
        args += ["--seconds", str(seconds)]
    return run_json(args)


def signed_count(instance):
    return int(instance.sql("SELECT count(*) FROM invitations WHERE status = 'signed'"))


# ---------------------------------------------------------------------------------------------
# Part 1: signing as the letter grows.

def bench_signing(database, size):
    with Instance(database, f"sign{size}") as instance:
        letter = create_letter(instance, f"Growth: {size} invitations")
        started = time.perf_counter()
        _, create_seconds, batches = invite(instance, letter["id"], size)
        created_at = time.perf_counter() - started
        drain = wait_for_outbox(instance, started)
        progress(f"{database}, {size:,} invitations: created in {create_seconds:.1f} s, "
                 f"every email written {drain:.1f} s after the first request")
        emails = len([n for n in os.listdir(instance.mail_dir) if n.endswith(".eml")])
        if emails != size:
            raise SystemExit(f"{emails} emails written for {size} invitations")
        # Links spread over the whole letter, the same ones on every run.
        everything = sign_links(instance)
        flows = min(FLOWS, size)
        links = random.Random(7).sample(everything, flows)
        memory_before = instance.memory()
        result = run_sign_flow(instance, links, CONCURRENCY, seconds=600)
        memory_after = instance.memory()
        # A 303 is not proof enough: every flow counted must have left a signature behind. A
        # failed flow is reported with what the server logged, not hidden.
        signed = signed_count(instance)
        if signed != result["flows"]:
            raise SystemExit(f"{signed} invitations signed after {result['flows']} flows")
        progress(f"{database}, {size:,} invitations: {result['flows']:,} flows at "
                 f"{result['flows_per_second']:,.0f}/s, {result['errors']} failed")
        return {
            "size": size,
            "create_seconds": round(create_seconds, 3),
            "create_wall_seconds": round(created_at, 3),
            "create_per_second": round(size / create_seconds, 1),
            # The first and the last requests of 1,000: whether a batch costs more on a bigger letter.
            "batch_seconds_first": round(statistics.median(batches[:3]), 3),
            "batch_seconds_last": round(statistics.median(batches[-3:]), 3),
            "drain_seconds": round(drain, 3),
            "drain_after_create_seconds": round(drain - created_at, 3),
            "emails_per_second": round(size / drain, 1),
            "flows": result["flows"],
            "sign": result,
            "memory_before": memory_before,
            "memory_after": memory_after,
            "server_log": instance.problems(),
        }


# ---------------------------------------------------------------------------------------------
# Part 2 and 3: a letter every organization signed, its dashboard, release and public page.

def progress(message):
    print(f"[{time.strftime('%H:%M:%S')}] {message}", file=sys.stderr, flush=True)


def login(instance):
    """A coordinator's browser: the real login form, then the session cookie."""
    browser = Client(instance.base)
    status, _, page, _ = browser.request("GET", "/login")
    if status != 200:
        raise SystemExit(f"GET /login: {status}")
    form = urllib.parse.urlencode({"csrf_token": form_field(page.decode(), "csrf_token"),
                                   "email": "bench@example.org", "password": PASSWORD})
    status, headers, _, _ = browser.request("POST", "/login", form,
                                            {"Content-Type": "application/x-www-form-urlencoded"})
    if status != 303 or "us_session" not in browser.cookies:
        raise SystemExit(f"POST /login: {status}, cookies {sorted(browser.cookies)}")
    return browser


def timed(instance, client, method, path, repeats=REPEATS, headers=None, body=None,
          expect=200, label=None):
    """Medians of `repeats` requests, the answer's size, and the server's memory around them."""
    before = instance.memory()
    times, size, status = [], 0, None
    for _ in range(repeats):
        status, _, data, seconds = client.request(method, path, body, headers)
        if status != expect:
            raise SystemExit(f"{method} {path}: {status} {data[:300]!r}")
        times.append(seconds * 1000)
        size = len(data)
    after = instance.memory()
    return {
        "path": label or path,
        "ms": round(statistics.median(times), 2),
        "ms_min": round(min(times), 2),
        "ms_max": round(max(times), 2),
        "samples": len(times),
        "bytes": size,
        "status": status,
        "memory_before": before,
        "memory_after": after,
    }


def sign_all(instance, letter_id, ids, size):
    """Every invited organization signs: through its link (the partner's three requests), or as
    an answer a coordinator recorded through the API."""
    started = time.perf_counter()
    if SIGN_WITH == "api":
        def record(invitation_id):
            client = Client(instance.base)
            try:
                client.api(instance.token, "POST", f"/invitations/{invitation_id}/responses", {
                    "decision": "sign", "signer_name": "Bench Signer", "signer_title": "Director",
                    "channel": "email", "evidence": "Email of 1 December"})
            finally:
                client.close()
        with concurrent.futures.ThreadPoolExecutor(8) as pool:
            list(pool.map(record, ids))
        result = None
    else:
        result = run_sign_flow(instance, sign_links(instance), CONCURRENCY)
        if result["errors"]:
            # Reported in the JSON with what the server logged; the organizations whose flow
            # failed sign as a recorded answer instead, so that the letter is whole.
            progress(f"{result['errors']} sign flows failed: {instance.problems(2)}")
            listing, _, _ = instance.api("GET", f"/letters/{letter_id}/invitations")
            for item in listing["invitations"]:
                if item["status"] != "signed":
                    instance.api("POST", f"/invitations/{item['id']}/responses", {
                        "decision": "sign", "signer_name": "Bench Signer", "signer_title": "Director",
                        "channel": "email", "evidence": "Email of 1 December"})
    seconds = time.perf_counter() - started
    if signed_count(instance) != size:
        raise SystemExit(f"{signed_count(instance)} of {size} organizations signed")
    return seconds, result


def sign_page(instance, link, repeats):
    """A signatory's sign page: the link exchanged for the cookie once, then GET /sign."""
    partner = Client(instance.base)
    try:
        path = urllib.parse.urlsplit(link).path
        status, _, _, _ = partner.request("GET", path)
        if status != 303:
            raise SystemExit(f"GET /sign/…: {status}")
        return timed(instance, partner, "GET", "/sign", repeats)
    finally:
        partner.close()


def bench_organizations(database, size):
    with Instance(database, f"orgs{size}") as instance:
        letter = create_letter(instance, f"Growth: {size} signatories")
        letter_id, slug = letter["id"], letter["slug"]
        started = time.perf_counter()
        # One organization in twenty leads, so the lists have both groups.
        ids, create_seconds, _ = invite(instance, letter_id, size, lead_every=20)
        wait_for_outbox(instance, started)
        progress(f"{database}, {size:,} organizations invited")
        sign_seconds, flow = sign_all(instance, letter_id, ids, size)
        progress(f"{database}, {size:,} organizations signed in {sign_seconds:.1f} s")
        # The confirmation emails are written before anything is timed.
        wait_for_outbox(instance, time.perf_counter())
        links = sign_links(instance, 1)

        browser = login(instance)
        api = Client(instance.base)
        auth = {"Authorization": f"Bearer {instance.token}"}
        measures = {}
        measures["dashboard_page"] = timed(instance, browser, "GET", f"/app/letters/{letter_id}")
        measures["dashboard_page_filtered"] = timed(
            instance, browser, "GET", f"/app/letters/{letter_id}?status=signed&sort=activity&page=3")
        measures["letter_api"] = timed(instance, api, "GET", f"/api/v1/letters/{letter_id}", headers=auth)
        measures["release_page"] = timed(instance, browser, "GET", f"/app/letters/{letter_id}/release")
        measures["release_check_api"] = timed(instance, api, "GET", f"/api/v1/letters/{letter_id}/release-check", headers=auth)
        measures["invitations_api"] = timed(instance, api, "GET", f"/api/v1/letters/{letter_id}/invitations", headers=auth)
        for what in ("responses.csv", "responses.xlsx", "audit.csv", "audit.xlsx"):
            measures["export_" + what.replace(".", "_")] = timed(
                instance, browser, "GET", f"/app/letters/{letter_id}/{what}")
        measures["sign_page"] = sign_page(instance, links[0], REPEATS)
        instance.api("PUT", f"/letters/{letter_id}", {"show_signatories": True})
        measures["sign_page_listing_signatories"] = sign_page(instance, links[0], REPEATS)
        instance.api("PUT", f"/letters/{letter_id}", {"show_signatories": False})

        release_started = time.perf_counter()
        measures["release"] = timed(instance, api, "POST", f"/api/v1/letters/{letter_id}/release",
                                    repeats=1, headers=dict(auth, **{"Content-Type": "application/json"}),
                                    body=b"{}")

        # Part 3: the first reader renders every form; later readers are served from memory.
        public = {}
        page = f"/letters/{slug}"
        public["page_first"] = timed(instance, api, "GET", page, repeats=1)
        public["page"] = timed(instance, api, "GET", page)
        public["page_gzip"] = timed(instance, api, "GET", page, headers={"Accept-Encoding": "gzip"})
        public["page_brotli"] = timed(instance, api, "GET", page, headers={"Accept-Encoding": "br"})
        public["json"] = timed(instance, api, "GET", page + ".json")
        public["csv"] = timed(instance, api, "GET", page + "/signatories.csv")
        public["xlsx"] = timed(instance, api, "GET", page + "/signatories.xlsx")
        public["pdf"] = timed(instance, api, "GET", page + ".pdf")
        # The release notices every signatory is sent, written while readers arrived.
        notices = wait_for_outbox(instance, release_started)
        memory_end = instance.memory()
        browser.close()
        api.close()
        return {
            "size": size,
            "create_seconds": round(create_seconds, 3),
            "sign_with": SIGN_WITH,
            "sign_seconds": round(sign_seconds, 3),
            "sign_per_second": round(size / sign_seconds, 1),
            "sign_flow": flow,
            "measures": measures,
            "release_notices_seconds": round(notices, 3),
            "public": public,
            "memory_end": memory_end,
            "server_log": instance.problems(),
        }


# ---------------------------------------------------------------------------------------------
# Tables.

def mib(kib):
    return f"{kib / 1024:.1f}"


def per_row_growth(rows, value):
    """'×a for ×b rows' between consecutive sizes: how much `value` grew against the size."""
    out = [""]
    for previous, row in zip(rows, rows[1:]):
        a, b = value(previous), value(row)
        out.append(f"×{b / a:.1f} for ×{row['size'] / previous['size']:.3g}" if a else "")
    return out


def signing_table(database, rows):
    lines = [f"\n### {database}: signing as the letter grows ({CONCURRENCY} concurrent, fresh database per size)", "",
             "| invitations on the letter | created (API, batches of 1,000) | all emails written after | flows | flows/s | POST p50 | POST p99 | GET link p99 | GET page p99 | failed | VmRSS / VmHWM after |",
             "|---|---|---|---|---|---|---|---|---|---|---|"]
    for r in rows:
        s = r["sign"]
        lines.append(
            f"| {r['size']:,} | {r['create_seconds']:.1f} s ({r['create_per_second']:,.0f}/s) | "
            f"{r['drain_seconds']:.1f} s ({r['emails_per_second']:,.0f}/s) | {s['flows']:,} | "
            f"{s['flows_per_second']:,.0f} | {s.get('post_p50_ms', 0):.1f} ms | {s.get('post_p99_ms', 0):.1f} ms | "
            f"{s.get('link_p99_ms', 0):.1f} ms | {s.get('page_p99_ms', 0):.1f} ms | {s['errors']} | "
            f"{mib(r['memory_after']['rss_kib'])} / {mib(r['memory_after']['hwm_kib'])} MiB |")
    for r in rows:
        if r["sign"]["errors"]:
            lines.append(f"\n{r['size']:,} invitations: the server logged " +
                         "; ".join(f"`{l}`" for l in r["server_log"][-2:]))
    return "\n".join(lines)


MEASURE_NAMES = {
    "dashboard_page": "dashboard `/app/letters/{id}` (page 1)",
    "dashboard_page_filtered": "dashboard, `?status=signed&sort=activity&page=3`",
    "letter_api": "`GET /api/v1/letters/{id}` (counts)",
    "release_page": "release check page `/app/letters/{id}/release`",
    "release_check_api": "`GET /api/v1/letters/{id}/release-check`",
    "invitations_api": "`GET /api/v1/letters/{id}/invitations`",
    "export_responses_csv": "export `responses.csv`",
    "export_responses_xlsx": "export `responses.xlsx`",
    "export_audit_csv": "export `audit.csv`",
    "export_audit_xlsx": "export `audit.xlsx`",
    "sign_page": "a signatory's `GET /sign`",
    "sign_page_listing_signatories": "the same, `show_signatories` on",
    "release": "`POST /api/v1/letters/{id}/release` (once)",
}

PUBLIC_NAMES = {
    "page_first": "`/letters/{slug}`, first request after release (renders every form)",
    "page": "`/letters/{slug}`, later (identity)",
    "page_gzip": "`/letters/{slug}`, later (gzip)",
    "page_brotli": "`/letters/{slug}`, later (brotli)",
    "json": "`/letters/{slug}.json`",
    "csv": "`/letters/{slug}/signatories.csv`",
    "xlsx": "`/letters/{slug}/signatories.xlsx`",
    "pdf": "`/letters/{slug}.pdf`",
}


def size_text(n):
    return f"{n / 1024:,.1f} KiB" if n < 1024 * 1024 else f"{n / 1048576:,.2f} MiB"


def measure_table(title, rows, key, names):
    sizes = [r["size"] for r in rows]
    head = "| measure | " + " | ".join(f"{s:,} orgs: ms, size" for s in sizes) + " | growth of ms per row |"
    lines = [title, "", head, "|---|" + "---|" * (len(sizes) + 1)]
    for name, label in names.items():
        cells = []
        for r in rows:
            m = r[key][name]
            cells.append(f"{m['ms']:,.1f} ms, {size_text(m['bytes'])}")
        growth = per_row_growth(rows, lambda r: r[key][name]["ms"])
        lines.append(f"| {label} | " + " | ".join(cells) + " | " + "; ".join(g for g in growth if g) + " |")
    return "\n".join(lines)


def memory_table(rows):
    lines = ["", "Server memory (VmRSS → VmRSS, VmHWM after), MiB", "",
             "| measure | " + " | ".join(f"{r['size']:,} orgs" for r in rows) + " |",
             "|---|" + "---|" * len(rows)]
    for name, label in list(MEASURE_NAMES.items()) + [("page_first", PUBLIC_NAMES["page_first"])]:
        cells = []
        for r in rows:
            m = r["measures"].get(name) or r["public"][name]
            b, a = m["memory_before"], m["memory_after"]
            cells.append(f"{mib(b['rss_kib'])} → {mib(a['rss_kib'])}, {mib(a['hwm_kib'])}")
        lines.append(f"| {label} | " + " | ".join(cells) + " |")
    return "\n".join(lines)


def organizations_tables(database, rows):
    lines = [f"\n### {database}: a letter every organization signed (median of {REPEATS} GETs, fresh database per size)", "",
             "| organizations | invited (API) | all signed, via " + ("sign links" if SIGN_WITH == "flow" else "recorded answers") +
             " | release notices written after | VmRSS / VmHWM at the end |", "|---|---|---|---|---|"]
    for r in rows:
        lines.append(f"| {r['size']:,} | {r['create_seconds']:.1f} s | {r['sign_seconds']:.1f} s "
                     f"({r['sign_per_second']:,.0f}/s) | {r['release_notices_seconds']:.1f} s | "
                     f"{mib(r['memory_end']['rss_kib'])} / {mib(r['memory_end']['hwm_kib'])} MiB |")
    lines.append(measure_table("", rows, "measures", MEASURE_NAMES))
    lines.append(measure_table("\nThe released letter", rows, "public", PUBLIC_NAMES))
    lines.append(memory_table(rows))
    return "\n".join(lines)


# ---------------------------------------------------------------------------------------------

def loadavg():
    return open("/proc/loadavg").read().split()[:3]


def stop_on_signal(signum, _frame):
    # Unwinds through every `finally`, so servers, folders and databases are cleaned up.
    raise SystemExit(f"stopped by signal {signum}")


def main():
    signal.signal(signal.SIGTERM, stop_on_signal)
    signal.signal(signal.SIGHUP, stop_on_signal)
    commit = subprocess.run(["git", "rev-parse", "--short", "HEAD"], capture_output=True, text=True).stdout.strip()
    report = {"started_at": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()), "commit": commit,
              "nproc": os.cpu_count(), "loadavg_start": loadavg(),
              "settings": {"sizes": SIZES, "flows": FLOWS, "concurrency": CONCURRENCY,
                           "org_sizes": ORG_SIZES, "repeats": REPEATS, "sign_with": SIGN_WITH},
              "databases": []}
    print(f"Growth benchmark, commit {commit}, {os.cpu_count()} cores, load average "
          f"{' '.join(report['loadavg_start'])} at the start", flush=True)
    for database in DATABASES:
        entry = {"database": database, "signing": [], "organizations": []}
        report["databases"].append(entry)
        for size in SIZES:
            entry["signing"].append(bench_signing(database, size))
        if entry["signing"]:
            print(signing_table(database, entry["signing"]), flush=True)
        for size in ORG_SIZES:
            entry["organizations"].append(bench_organizations(database, size))
        if entry["organizations"]:
            print(organizations_tables(database, entry["organizations"]), flush=True)
    report["loadavg_end"] = loadavg()
    print(f"\nload average {' '.join(report['loadavg_end'])} at the end", flush=True)
    if os.environ.get("BENCH_JSON"):
        json.dump(report, open(os.environ["BENCH_JSON"], "w"), indent=1)


if __name__ == "__main__":
    main()
