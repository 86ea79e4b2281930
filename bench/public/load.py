"""The load side of the public page benchmark (see run.sh): the bytes of the page in each
encoding as Undersigned serves them, nginx serving the same bytes as static files, the check
that a target answers the encoding asked for, and wrk with its figures."""

import gzip
import http.client
import os
import re
import subprocess
import sys
import time
from urllib.parse import urlsplit

import brotli

# bench/procs.py, shared with the sign benchmark.
sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), ".."))
from procs import cpu_seconds, stop  # noqa: E402

# The encodings measured: the Accept-Encoding sent (none for identity), the Content-Encoding
# expected back (none for identity), and the suffix of nginx's pre-compressed file.
ENCODINGS = {
    "identity": (None, None, ""),
    "gzip": ("gzip", "gzip", ".gz"),
    "br": ("br", "br", ".br"),
}


def fetch(url, encoding):
    """Status, Content-Encoding and the body exactly as sent (not decoded) of one GET with the
    Accept-Encoding of `encoding`, the same headers wrk sends."""
    parts = urlsplit(url)
    connection = http.client.HTTPConnection(parts.hostname, parts.port, timeout=30)
    try:
        connection.putrequest("GET", parts.path, skip_accept_encoding=True)
        accept = ENCODINGS[encoding][0]
        if accept:
            connection.putheader("Accept-Encoding", accept)
        connection.endheaders()
        answer = connection.getresponse()
        return answer.status, answer.getheader("Content-Encoding"), answer.read()
    finally:
        connection.close()


def page_bytes(url):
    """The page's bytes in each encoding as Undersigned serves them, each checked to come back
    with the Content-Encoding asked for and to unpack to the plain one."""
    bodies = {}
    for encoding, (_, expected, _) in ENCODINGS.items():
        status, coding, body = fetch(url, encoding)
        if status != 200 or coding != expected:
            raise SystemExit(f"{url} with {encoding}: {status}, Content-Encoding {coding}, expected {expected}")
        bodies[encoding] = body
    if gzip.decompress(bodies["gzip"]) != bodies["identity"]:
        raise SystemExit("the gzip page does not unpack to the plain page")
    if brotli.decompress(bodies["br"]) != bodies["identity"]:
        raise SystemExit("the brotli page does not unpack to the plain page")
    return bodies


def check_target(url, encoding, body):
    """One request like wrk's: 200, the Content-Encoding asked for and exactly `body`."""
    status, coding, got = fetch(url, encoding)
    expected = ENCODINGS[encoding][1]
    if status != 200 or coding != expected or got != body:
        raise SystemExit(f"{url} with {encoding}: {status}, Content-Encoding {coding} (expected {expected}), "
                         f"{len(got)} bytes (expected the {len(body)} Undersigned serves)")


class Nginx:
    """nginx serving `bodies` as /letter.html, .html.gz and .html.br: gzip_static and
    brotli_static send a pre-compressed file to a client that accepts its coding. The open
    file cache keeps the files (and the absence of others) open, as a hot static site is set
    up; without it nginx is about a sixth slower here."""

    def __init__(self, work, port, bodies, max_connections):
        root = os.path.join(work, "nginx")
        os.makedirs(root)
        for encoding, body in bodies.items():
            open(os.path.join(root, "letter.html" + ENCODINGS[encoding][2]), "wb").write(body)
        conf = os.path.join(work, "nginx.conf")
        open(conf, "w").write(f"""load_module {os.environ.get("BENCH_BROTLI_MODULE",
                                 "/usr/lib/nginx/modules/ngx_http_brotli_static_module.so")};
user root; worker_processes 2; daemon off; pid {work}/nginx.pid; error_log {work}/nginx-error.log;
worker_rlimit_nofile {2 * max_connections + 1024};
events {{ worker_connections {max_connections + 1024}; }}
http {{ access_log off; sendfile on; tcp_nopush on; keepalive_requests 1000000;
  gzip_static on; brotli_static on; gzip_vary on;
  open_file_cache max=100 inactive=60s; open_file_cache_errors on;
  server {{ listen 127.0.0.1:{port} backlog=4096; root {root};
    location / {{ default_type text/html; add_header Cache-Control "public, max-age=60"; }} }} }}
""")
        self.url = f"http://127.0.0.1:{port}/letter.html"
        self.process = subprocess.Popen(["nginx", "-c", conf, "-p", work], stdout=subprocess.DEVNULL,
                                        stderr=subprocess.DEVNULL)
        deadline = time.time() + 10
        while True:
            try:
                if fetch(self.url, "identity")[0] == 200:
                    return
            except OSError:
                pass
            if self.process.poll() is not None or time.time() > deadline:
                log = open(f"{work}/nginx-error.log").read() if os.path.exists(f"{work}/nginx-error.log") else ""
                raise SystemExit(f"nginx did not start: {log[-1000:]}")
            time.sleep(0.05)

    def pids(self):
        """The master and its workers, whose CPU time is what serving cost."""
        children = subprocess.run(["pgrep", "-P", str(self.process.pid)], capture_output=True, text=True).stdout
        return [self.process.pid] + [int(pid) for pid in children.split()]

    def stop(self):
        stop(self.process)


def wrk_command(url, connections, seconds, encoding, threads):
    command = ["wrk", "-t", str(threads), "-c", str(connections), "-d", f"{seconds}s", "--latency",
               # Slow answers count in the latencies instead of being dropped as timeouts.
               "--timeout", "10s"]
    if ENCODINGS[encoding][0]:
        command += ["-H", f"Accept-Encoding: {ENCODINGS[encoding][0]}"]
    return command + [url]


def ms(text):
    value, unit = re.fullmatch(r"([\d.]+)(us|ms|s|m)", text).groups()
    return float(value) * {"us": 0.001, "ms": 1.0, "s": 1000.0, "m": 60000.0}[unit]


def parse_wrk(out):
    """wrk's figures: requests/s, p50 and p99 in ms, non-2xx answers, socket errors, requests."""
    latency = dict(re.findall(r"^\s+(50|99)%\s+(\S+)", out, re.M))
    non_2xx = re.search(r"Non-2xx or 3xx responses: (\d+)", out)
    sockets = re.search(r"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)", out)
    return {
        "requests_per_second": float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1)),
        "p50_ms": ms(latency["50"]),
        "p99_ms": ms(latency["99"]),
        "non_2xx": int(non_2xx.group(1)) if non_2xx else 0,
        "socket_errors": sum(map(int, sockets.groups())) if sockets else 0,
        "requests": int(re.search(r"(\d+) requests in", out).group(1)),
    }


def wrk(url, connections, seconds, encoding, threads, pids=()):
    """wrk's figures, and with the server's `pids` its CPU time per request in µs: what a
    request costs the server however much of the shared cores the load generator took."""
    before = cpu_seconds(pids)
    out = subprocess.run(wrk_command(url, connections, seconds, encoding, threads),
                         capture_output=True, text=True, check=True).stdout
    figures = parse_wrk(out)
    if pids:
        figures["server_cpu_us_per_request"] = (cpu_seconds(pids) - before) * 1e6 / max(1, figures["requests"])
    return figures
