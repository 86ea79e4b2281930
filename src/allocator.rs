//! How the process's memory allocator is set up before any thread starts. glibc's `malloc`
//! gives each thread that allocates under contention an arena of its own (up to eight per
//! core), and memory freed in an arena mostly stays with that arena: a coordinator's view of a
//! letter of 10,000 organizations, read on one of the blocking pool's threads and then on
//! another, left the server at 204 MiB after one dashboard and 466 MiB after the growth
//! benchmark's measures, never returned. Two arenas keep that at 99 and 136 MiB with no
//! measurable cost to the sign flow (docs/BENCHMARKS.md, "Memory").

/// The most malloc arenas: one per core of the machines Undersigned is sized for.
const MAX_ARENAS: i32 = 2;

/// Limits glibc's malloc arenas to `MAX_ARENAS`. Call first thing in `main`; a no-op on other
/// C libraries. `MALLOC_ARENA_MAX` in the environment, when set, wins.
pub fn limit_arenas() {
    #[cfg(all(target_os = "linux", target_env = "gnu"))]
    if std::env::var_os("MALLOC_ARENA_MAX").is_none() {
        // SAFETY: mallopt only sets a tunable of glibc's allocator; called before the process
        // starts other threads, with a documented parameter and a valid value.
        unsafe {
            libc::mallopt(libc::M_ARENA_MAX, MAX_ARENAS);
        }
    }
}
