#!/usr/bin/env bash
# Mail benchmark for Undersigned: queue 10,000 invitations through the JSON API and drain them
# with `undersigned worker` into a local aiosmtpd, beside the same server's raw accept rate
# measured in the same run by Python's smtplib. Rerunnable; prints a Markdown table.
#   bench/mail/run.sh                     # SQLite, 10,000 messages
#   BENCH_COUNT=2000 BENCH_DATABASE=postgres bench/mail/run.sh
set -euo pipefail
cd "$(dirname "$0")/../.."
python3 -c 'import aiosmtpd' 2>/dev/null ||
  python3 -m pip install --quiet --disable-pip-version-check --root-user-action=ignore aiosmtpd
source bench/build.sh
bench_build --bins
exec python3 bench/mail/bench.py "$BENCH_TARGET/undersigned"
