"""Drives the public page benchmark (see run.sh): releases a letter with BENCH_SIGNATORIES
organizations through the real app (invitations written as .eml files, sign links followed and
answered over HTTP), saves the released page's bytes for nginx, then loads both with wrk."""

import os
import re
import shutil
import socket
import subprocess
import sys
import tempfile
import time

import requests

BINARY = os.path.abspath(sys.argv[1])
CONNECTIONS = int(os.environ.get("BENCH_CONNECTIONS", "64"))
SECONDS = int(os.environ.get("BENCH_SECONDS", "15"))
SIGNATORIES = int(os.environ.get("BENCH_SIGNATORIES", "100"))
THREADS = os.environ.get("BENCH_THREADS", "2")


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_http(url, timeout=30):
    deadline = time.time() + timeout
    while time.time() < deadline:
        try:
            if requests.get(url, timeout=1).status_code == 200:
                return
        except requests.RequestException:
            pass
        time.sleep(0.1)
    raise SystemExit(f"{url} did not answer")


def sign_all(base, mail_dir, expected):
    links = {}
    deadline = time.time() + 120
    while len(links) < expected and time.time() < deadline:
        for name in os.listdir(mail_dir) if os.path.isdir(mail_dir) else []:
            if name.endswith(".eml") and name not in links:
                text = open(os.path.join(mail_dir, name), encoding="utf-8", errors="replace").read()
                text = text.replace("=\n", "")
                found = re.search(re.escape(base) + r"/sign/[A-Za-z0-9_-]{43}", text)
                if found:
                    links[name] = found.group(0)
        time.sleep(0.2)
    for link in links.values():
        s = requests.Session()
        page = s.get(link).text
        field = lambda n: re.search(r'name="%s" value="([^"]*)"' % n, page).group(1)
        s.post(base + "/sign", data={
            "csrf_token": field("csrf_token"), "submission_key": field("submission_key"),
            "content_sha256": field("content_sha256"),
            "decision": "sign", "signer_name": "Bench Signer", "signer_title": "Director",
            "organization_display_name": field("organization_display_name"), "comment": "",
        }, allow_redirects=False).raise_for_status()
    return len(links)


def wrk(url):
    out = subprocess.run(["wrk", "-t", THREADS, "-c", str(CONNECTIONS), "-d", f"{SECONDS}s", "--latency", url],
                         capture_output=True, text=True, check=True).stdout
    rate = float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1))
    lat = dict(re.findall(r"^\s+(50|99)%\s+(\S+)", out, re.M))
    errors = re.search(r"Non-2xx or 3xx responses: (\d+)", out)
    return rate, lat.get("50"), lat.get("99"), int(errors.group(1)) if errors else 0


def main():
    work = tempfile.mkdtemp(prefix="undersigned-bench-public-")
    port, nginx_port = free_port(), free_port()
    base = f"http://127.0.0.1:{port}"
    env = dict(os.environ, UNDERSIGNED_DATABASE__URL=f"sqlite://{work}/bench.db", UNDERSIGNED_SERVER__LISTEN=f"127.0.0.1:{port}",
               UNDERSIGNED_SERVER__BASE_URL=base, UNDERSIGNED_STORAGE__DATA_DIR=f"{work}/data", UNDERSIGNED_MAIL__SMTP_URL="",
               UNDERSIGNED_LOG__FILTER="warn", UNDERSIGNED_MAIL__RATE_PER_SECOND="0")
    subprocess.run([BINARY, "admin", "create", "--email", "bench@example.org", "--name", "Bench", "--password-stdin"],
                   input="a long bench password\n", text=True, env=env, cwd=work, check=True, capture_output=True)
    token = subprocess.run([BINARY, "admin", "token", "--email", "bench@example.org"], env=env, cwd=work,
                           check=True, capture_output=True, text=True).stdout.strip().splitlines()[-1]
    server = subprocess.Popen([BINARY, "serve"], env=env, cwd=work, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    nginx = None
    try:
        wait_http(base + "/readyz")
        api = requests.Session()
        api.headers["Authorization"] = f"Bearer {token}"
        letter = api.post(base + "/api/v1/letters", json={"title": "Joint Letter to the UN Secretary-General on Xinjiang",
                          "addressee": "António Guterres, Secretary-General of the United Nations",
                          "body_markdown": open("src/app/demo/letter.md", encoding="utf-8").read()}).json()
        invites = [{"organization": f"Organization {n:03d} – Droits & Libertés", "email": f"org{n}@example.org",
                    "tier": "lead" if n < 5 else "supporting"} for n in range(SIGNATORIES)]
        api.post(base + f"/api/v1/letters/{letter['id']}/invitations", json={"invitations": invites}).raise_for_status()
        signed = sign_all(base, f"{work}/data/mail", SIGNATORIES)
        api.post(base + f"/api/v1/letters/{letter['id']}/release", json={}).raise_for_status()
        url = base + f"/letters/{letter['slug']}"
        page = requests.get(url, headers={"Accept-Encoding": "identity"})
        page.raise_for_status()
        root = os.path.join(work, "nginx")
        os.makedirs(root)
        open(os.path.join(root, "letter.html"), "wb").write(page.content)
        conf = os.path.join(work, "nginx.conf")
        open(conf, "w").write(f"""user root; worker_processes 2; daemon off; pid {work}/nginx.pid; error_log {work}/nginx-error.log;
events {{ worker_connections 4096; }}
http {{ access_log off; sendfile on; tcp_nopush on; keepalive_requests 1000000;
  server {{ listen 127.0.0.1:{nginx_port}; root {root};
    location / {{ default_type text/html; add_header Cache-Control "public, max-age=60"; }} }} }}
""")
        nginx = subprocess.Popen(["nginx", "-c", conf, "-p", work], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        wait_http(f"http://127.0.0.1:{nginx_port}/letter.html")
        wrk(url)  # warm up both
        wrk(f"http://127.0.0.1:{nginx_port}/letter.html")
        ours = wrk(url)
        theirs = wrk(f"http://127.0.0.1:{nginx_port}/letter.html")
        print(f"\n| server ({CONNECTIONS} connections, {SECONDS} s, wrk -t{THREADS}, page of {len(page.content):,} bytes, {signed} signatories) | requests/s | p50 | p99 | non-2xx |")
        print("|---|---|---|---|---|")
        print(f"| nginx, the same bytes as a static file | {theirs[0]:,.0f} | {theirs[1]} | {theirs[2]} | {theirs[3]} |")
        print(f"| undersigned serve, /letters/{{slug}} from memory | {ours[0]:,.0f} | {ours[1]} | {ours[2]} | {ours[3]} |")
        print(f"\nundersigned / nginx: {ours[0] / theirs[0]:.2f}")
    finally:
        server.terminate()
        if nginx:
            nginx.terminate()
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
