"""Drives the mail benchmark (see run.sh): one aiosmtpd, first fed by smtplib (the raw rate,
over 1 connection and over as many as the worker uses), then by `undersigned worker` draining
BENCH_COUNT invitations queued through the API. Settings: BENCH_COUNT (10000),
BENCH_CONNECTIONS (4), BENCH_DATABASE (sqlite or postgres), BENCH_HANDLER (Sink or Mailbox)."""

import json
import os
import shutil
import signal
import smtplib
import socket
import subprocess
import sys
import tempfile
import threading
import time
import urllib.request
from email.message import EmailMessage

BINARY = os.path.abspath(sys.argv[1])
COUNT = int(os.environ.get("BENCH_COUNT", "10000"))
CONNECTIONS = int(os.environ.get("BENCH_CONNECTIONS", "4"))
DATABASE = os.environ.get("BENCH_DATABASE", "sqlite")
HANDLER = os.environ.get("BENCH_HANDLER", "Sink")
PG_ADMIN = os.environ.get("BENCH_POSTGRES_URL", "postgres://postgres@127.0.0.1:5432/postgres")


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_port(port, timeout=20):
    deadline = time.time() + timeout
    while time.time() < deadline:
        try:
            socket.create_connection(("127.0.0.1", port), 0.2).close()
            return
        except OSError:
            time.sleep(0.05)
    raise SystemExit(f"nothing listens on {port}")


def similar_message(n):
    """About the size and shape of an invitation: text and HTML alternatives."""
    msg = EmailMessage()
    msg["From"] = "Undersigned <noreply@localhost>"
    msg["To"] = f"Organization {n} <org{n}@example.org>"
    msg["Subject"] = "Invitation to sign: Benchmark letter"
    msg["Message-ID"] = f"<raw-{n}@bench.invalid>"
    text = "Dear Organization,\n\n" + "You are invited to co-sign the letter.\n" * 20
    msg.set_content(text + "http://127.0.0.1/sign/" + "x" * 43 + "\n")
    msg.add_alternative("<p>" + text + "</p>", subtype="html")
    return msg.as_bytes(policy=msg.policy.clone(linesep="\r\n"))


def raw_rate(port, count, connections):
    """Messages per second smtplib gets accepted over `connections` parallel connections."""
    messages = [similar_message(n) for n in range(count)]

    errors = []

    def send(part):
        try:
            with smtplib.SMTP("127.0.0.1", port) as client:
                for n in part:
                    client.sendmail("noreply@localhost", [f"org{n}@example.org"], messages[n])
        except Exception as error:  # reported below: a failed baseline must not look fast
            errors.append(error)

    parts = [range(i, count, connections) for i in range(connections)]
    threads = [threading.Thread(target=send, args=(p,)) for p in parts]
    started = time.perf_counter()
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    if errors:
        raise SystemExit(f"the raw SMTP client failed: {errors[0]}")
    return count / (time.perf_counter() - started)


def api(base, token, method, path, body=None):
    request = urllib.request.Request(
        base + "/api/v1" + path,
        method=method,
        data=json.dumps(body).encode() if body is not None else None,
        headers={"Authorization": f"Bearer {token}", "Content-Type": "application/json"},
    )
    with urllib.request.urlopen(request, timeout=120) as response:
        return json.loads(response.read())


def main():
    work = tempfile.mkdtemp(prefix="undersigned-bench-")
    children = []
    pg_name = None
    try:
        if DATABASE == "postgres":
            pg_name = f"undersigned_bench_{os.getpid()}"
            subprocess.run(["psql", PG_ADMIN, "-qc", f"CREATE DATABASE {pg_name}"], check=True)
            db_url = PG_ADMIN.rsplit("/", 1)[0] + "/" + pg_name
            count_sent = ["psql", db_url, "-tAc", "SELECT count(*) FROM outbox WHERE status = 'sent'"]
        else:
            db_url = f"sqlite://{work}/bench.db"
            count_sent = ["sqlite3", f"{work}/bench.db", "SELECT count(*) FROM outbox WHERE status = 'sent'"]
        smtp_port, http_port = free_port(), free_port()
        env = {k: v for k, v in os.environ.items() if not k.startswith("UNDERSIGNED_")}
        env.update({
            "UNDERSIGNED_DATABASE__URL": db_url,
            "UNDERSIGNED_STORAGE__DATA_DIR": f"{work}/data",
            "UNDERSIGNED_SERVER__LISTEN": f"127.0.0.1:{http_port}",
            "UNDERSIGNED_SERVER__BASE_URL": f"http://127.0.0.1:{http_port}",
            "UNDERSIGNED_MAIL__SMTP_URL": f"smtp://127.0.0.1:{smtp_port}",
            "UNDERSIGNED_MAIL__RATE_PER_SECOND": "0",
            "UNDERSIGNED_MAIL__CONNECTIONS": str(CONNECTIONS),
            "UNDERSIGNED_LOG__FILTER": "warn",
        })

        handler = ["aiosmtpd.handlers.Sink"] if HANDLER == "Sink" else ["aiosmtpd.handlers.Mailbox", f"{work}/Maildir"]
        smtp = subprocess.Popen(
            ["python3", "-m", "aiosmtpd", "-n", "-l", f"127.0.0.1:{smtp_port}", "-c", *handler],
            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        children.append(smtp)
        wait_port(smtp_port)

        run = lambda *args, **kw: subprocess.run([BINARY, *args], env=env, check=True, capture_output=True, text=True, **kw)
        run("migrate")
        run("admin", "create", "--email", "bench@example.org", "--name", "Bench", "--password-stdin",
            input="a long benchmark password\n")
        token = run("admin", "token", "--email", "bench@example.org").stdout.strip().splitlines()[-1]

        serve = subprocess.Popen([BINARY, "serve", "--no-worker"], env=env,
                                 stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        children.append(serve)
        wait_port(http_port)
        base = f"http://127.0.0.1:{http_port}"
        letter = api(base, token, "POST", "/letters",
                     {"title": "Benchmark letter", "addressee": "Everyone", "body_markdown": "Text."})["id"]
        started = time.perf_counter()
        for first in range(0, COUNT, 1000):
            batch = [{"organization": f"Organization {n}", "email": f"org{n}@example.org"}
                     for n in range(first, min(first + 1000, COUNT))]
            api(base, token, "POST", f"/letters/{letter}/invitations", {"invitations": batch})
        queue_seconds = time.perf_counter() - started
        serve.send_signal(signal.SIGTERM)
        serve.wait(timeout=60)

        raw_one = raw_rate(smtp_port, COUNT, 1)
        raw_many = raw_rate(smtp_port, COUNT, CONNECTIONS)

        started = time.perf_counter()
        worker = subprocess.Popen([BINARY, "worker"], env=env,
                                  stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        children.append(worker)
        while True:
            sent = int(subprocess.run(count_sent, capture_output=True, text=True, check=True).stdout.strip() or 0)
            if sent >= COUNT:
                break
            if worker.poll() is not None:
                raise SystemExit("the worker stopped early")
            time.sleep(0.05)
        drain_seconds = time.perf_counter() - started
        drained = COUNT / drain_seconds

        print(f"\n| measure ({DATABASE}, {COUNT} messages, aiosmtpd {HANDLER} handler) | messages/s |")
        print("|---|---|")
        print(f"| queue: invitations created through the API (batches of 1000) | {COUNT / queue_seconds:,.0f} |")
        print(f"| raw: smtplib, 1 connection | {raw_one:,.0f} |")
        print(f"| raw: smtplib, {CONNECTIONS} connections | {raw_many:,.0f} |")
        print(f"| undersigned worker, {CONNECTIONS} connections (claim, render, send, mark sent) | {drained:,.0f} |")
        print(f"\nworker / best raw rate: {drained / max(raw_one, raw_many):.2f}")
    finally:
        for child in reversed(children):
            if child.poll() is None:
                child.terminate()
                try:
                    child.wait(timeout=30)
                except subprocess.TimeoutExpired:
                    child.kill()
        if pg_name:
            subprocess.run(["psql", PG_ADMIN, "-qc", f"DROP DATABASE IF EXISTS {pg_name} WITH (FORCE)"])
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
