#!/usr/bin/env bash
# Growth benchmark for Undersigned: how signing, the coordinator's dashboard, the release check,
# the release and the public page cost more as one letter grows, through the real app on a fresh
# database per size. Rerunnable; prints Markdown tables (BENCH_JSON=FILE: every figure as JSON).
#   bench/growth/run.sh                                   # 1,000 / 10,000 / 100,000 invitations;
#                                                         # 100 / 1,000 / 10,000 signatories; SQLite
#   BENCH_SIZES="100 300" BENCH_ORG_SIZES="20 50" bench/growth/run.sh       # smoke, under a minute
#   BENCH_DATABASES="sqlite postgres" bench/growth/run.sh                   # PostgreSQL too
# PostgreSQL: BENCH_POSTGRES_URL (postgres://postgres@127.0.0.1:5432/postgres), a role that may
# create and drop databases; each size makes its own and drops it. Other settings: see bench.py.
set -euo pipefail
cd "$(dirname "$0")/../.."
source bench/build.sh
bench_build --bins --examples
exec python3 bench/growth/bench.py "$BENCH_TARGET"
