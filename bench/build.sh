# Sourced by every bench/*/run.sh: builds what the benchmarks run and names where it is.
# BENCH_PROFILE=release (the default) measures the optimised build; BENCH_PROFILE=dev reuses the
# build `cargo test` made, for the CI smoke run that only checks each benchmark still runs.
BENCH_PROFILE=${BENCH_PROFILE:-release}
case "$BENCH_PROFILE" in
  release) BENCH_TARGET=target/release ;;
  dev) BENCH_TARGET=target/debug ;;
  *) echo "BENCH_PROFILE must be release or dev, not $BENCH_PROFILE" >&2; exit 2 ;;
esac
export BENCH_PROFILE BENCH_TARGET

bench_build() {
  cargo build --profile "$BENCH_PROFILE" --quiet "$@"
}
