#!/usr/bin/env bash
# Public page benchmark for Undersigned: a released letter served by `undersigned serve` from
# memory, beside nginx serving the same bytes as static files (pre-compressed, with
# gzip_static and brotli_static), both measured in the same run by the same load generator
# (wrk): at each connection count, uncompressed, gzip and brotli; then a run during which late
# signatures publish new revisions of the list, beside the same run without them.
# Rerunnable; prints Markdown tables, and writes every figure as JSON to $BENCH_JSON when set.
#   bench/public/run.sh                                        # 64 and 1,000 connections, 15 s each
#   BENCH_SECONDS=2 BENCH_SIGNATORIES=10 bench/public/run.sh   # smoke: well under a minute
#   BENCH_CONNECTIONS="64 256" BENCH_SECONDS=30 BENCH_JSON=/tmp/public.json bench/public/run.sh
# Other knobs: BENCH_THREADS (wrk threads, 2), BENCH_REVISION_INTERVAL (seconds between late
# signatures, 0.75), BENCH_REVISION_CONNECTIONS (64), BENCH_REVISION_ENCODING (br),
# BENCH_REVISION_ROUNDS (pairs of runs without and with revisions, alternated: 2).
# What the output and the JSON hold, and the figures measured so far: bench/public/NOTES.md.
set -euo pipefail
cd "$(dirname "$0")/../.."
brotli_module=/usr/lib/nginx/modules/ngx_http_brotli_static_module.so
missing=()
command -v wrk >/dev/null || missing+=(wrk)
command -v nginx >/dev/null || missing+=(nginx-light)
[[ -e $brotli_module ]] || missing+=(libnginx-mod-http-brotli-static)
if ((${#missing[@]})); then
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-upgrade "${missing[@]}" >/dev/null
fi
python3 -c 'import requests, brotli' 2>/dev/null ||
  python3 -m pip install --quiet --disable-pip-version-check --root-user-action=ignore requests brotli
# 1,000 connections need as many descriptors in wrk, in nginx and in the server.
hard=$(ulimit -Hn)
[[ $hard == unlimited ]] && hard=65536
ulimit -n "$hard" 2>/dev/null || true
source bench/build.sh
bench_build --bins
PYTHONDONTWRITEBYTECODE=1 BENCH_BROTLI_MODULE=$brotli_module exec python3 bench/public/bench.py "$BENCH_TARGET/undersigned"
