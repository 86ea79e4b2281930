#!/usr/bin/env bash
# Public page benchmark for Undersigned: a released letter served by `undersigned serve` from
# memory, beside nginx serving the same bytes as a static file, both measured in the same run by
# the same load generator (wrk) with the same connection count. Rerunnable; prints Markdown.
#   bench/public/run.sh                          # 64 connections, 15 s each
#   BENCH_CONNECTIONS=256 BENCH_SECONDS=30 bench/public/run.sh
set -euo pipefail
cd "$(dirname "$0")/../.."
if ! command -v wrk >/dev/null || ! command -v nginx >/dev/null; then
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-upgrade nginx-light wrk >/dev/null
fi
python3 -c 'import requests' 2>/dev/null ||
  python3 -m pip install --quiet --disable-pip-version-check --root-user-action=ignore requests
cargo build --release --quiet
exec python3 bench/public/bench.py target/release/undersigned
