#!/usr/bin/env bash
# Every Undersigned benchmark in one run, each beside its baseline measured in the same run:
# the public page against nginx (bench/public), the outbox against aiosmtpd's raw accept rate
# (bench/mail), signing on SQLite and PostgreSQL (one and two instances) against each
# database's raw commit rate (bench/sign), peak RSS under the sign load, and start-up to
# /readyz (bench/startup), and how signing, the dashboard, the release and the public page
# cost more as one letter grows (bench/growth). Then rewrites the "Summary" section at the top of
# docs/BENCHMARKS.md with the machine, the versions and every figure beside its baseline and
# goal; for each goal missed, where the server's CPU went (perf, bench/flame.py). Each benchmark
# installs what it lacks (nginx, wrk, aiosmtpd; perf here) and removes its temporary folders,
# databases and processes.
#   bench/run.sh            # full sizes, about 5 minutes on 2 cores; rewrites the Summary
#   bench/run.sh --smoke    # tiny sizes, a few seconds each; prints the figures, writes nothing
#   BENCH_PROFILE=dev bench/run.sh --smoke   # the same on the test build (what CI runs)
# PostgreSQL: BENCH_POSTGRES_URL (postgres://postgres@127.0.0.1:5432/postgres).
set -euo pipefail
cd "$(dirname "$0")/.."
smoke=""
if [[ "${1:-}" == "--smoke" ]]; then
  smoke="--smoke"
  export BENCH_SECONDS=2 BENCH_SIGNATORIES=10 BENCH_COUNT=200 \
    BENCH_INVITATIONS=50 BENCH_RUNS=3 BENCH_CONNECTIONS=64 BENCH_REVISION_ROUNDS=1 \
    BENCH_SIZES="100 300" BENCH_ORG_SIZES="20 50" BENCH_FLOWS=100 BENCH_REPEATS=1
fi
logs=$(mktemp -d "${TMPDIR:-/tmp}/undersigned-bench-XXXXXX")
trap 'rm -rf "$logs"' EXIT

if ! command -v perf >/dev/null && command -v apt-get >/dev/null && [[ $(id -u) == 0 ]]; then
  echo "installing perf from Debian's packages (profiles of missed goals)"
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-upgrade linux-perf >/dev/null ||
    echo "perf could not be installed: missed goals will not be profiled"
fi
source bench/build.sh
bench_build --bins --examples
started=$(date -u +%FT%TZ)
load=$(cut -d' ' -f1-3 /proc/loadavg)
echo "== public page against nginx"
BENCH_JSON="$logs/public.json" bench/public/run.sh | tee "$logs/public.md"
echo "== outbox against aiosmtpd"
# The mail benchmark's connection count is its own (4 by default), not the public one's.
(unset BENCH_CONNECTIONS; bench/mail/run.sh) | tee "$logs/mail.md"
echo "== signing against the raw commit rate"
BENCH_JSON="$logs/sign.json" bench/sign/run.sh | tee "$logs/sign.md"
echo "== start-up to /readyz"
BENCH_JSON="$logs/startup.json" python3 bench/startup/bench.py "$BENCH_TARGET/undersigned" |
  tee "$logs/startup.md"
echo "== growth: one letter from 1,000 to 100,000 invitations"
BENCH_JSON="$logs/growth.json" bench/growth/run.sh | tee "$logs/growth.md"
python3 bench/summary.py "$logs" "$started" "$load" $smoke
