#!/usr/bin/env bash
# Sign benchmark for Undersigned: partners answering their sign links (open the link, follow the
# redirect, read the form, POST the decision) at 1, 8 and 32 at once, on SQLite and on
# PostgreSQL, beside the raw commit rate of the same database measured in the same run by a
# minimal program (examples/commit_rate.rs). Rerunnable; prints Markdown tables.
#   bench/sign/run.sh                                   # 3,000 invitations per run, both databases
#   BENCH_INVITATIONS=500 BENCH_SECONDS=5 BENCH_DATABASES=sqlite bench/sign/run.sh
# PostgreSQL: BENCH_POSTGRES_URL (postgres://postgres@127.0.0.1:5432/postgres), a role that may
# create and drop databases; each run makes its own and drops it.
set -euo pipefail
cd "$(dirname "$0")/../.."
source bench/build.sh
bench_build --bins --examples
exec python3 bench/sign/bench.py "$BENCH_TARGET"
