//! The mail worker as tests run it. `TestApp` starts none, so that jobs stay in the queue until
//! a test wants them delivered; a test starts its own here, and learns that the worker has
//! looked again by its completed passes, never by sleeping.

use std::time::Duration;

use undersigned::app::outbox::{Worker, WorkerHandle};

use super::TestApp;

/// Longer than any worker pass takes in the tests.
const PASS_LIMIT: Duration = Duration::from_secs(20);

impl TestApp {
    /// A worker on this app's context with the transport its settings name, not yet running.
    pub fn worker(&self) -> Worker {
        Worker::new(self.context.clone()).expect("a mail worker")
    }

    /// A worker on this app's context, running.
    pub fn start_worker(&self) -> WorkerHandle {
        self.worker().spawn()
    }
}

/// Waits until the worker has completed a whole pass that began after this call (releases,
/// reminders and a batch of email that were due by now are done); fails the test if the worker
/// ended or took longer than 20 s. For asserting that something did not happen.
pub async fn after_a_full_pass(worker: &WorkerHandle) {
    let passed = tokio::time::timeout(PASS_LIMIT, worker.completed_passes(2))
        .await
        .expect("the worker completes a pass within 20 s");
    assert!(passed, "the worker ended before completing a pass");
}
