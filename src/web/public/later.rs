//! A part of a rendered letter made on its first request rather than with the page: the PDF
//! and the brotli bodies of the forms a press spike does not ask for. Each late signature
//! renders the letter again while it is being read, so what is made then is only what readers
//! of the page need; the rest waits until someone asks for it.

use std::sync::Arc;

use actix_web::web;
use tokio::sync::OnceCell;

use crate::web::WebError;

type Make<T> = Arc<dyn Fn() -> Result<T, WebError> + Send + Sync>;

/// A value made once, off the async workers, by the first request that needs it; requests
/// that come meanwhile wait for it. A failure is answered and the next request tries again.
pub(super) struct Later<T> {
    value: OnceCell<T>,
    make: Make<T>,
}

impl<T: Send + 'static> Later<T> {
    /// A value made when first asked for, by `make` (slow: it runs on the blocking pool).
    pub(super) fn new(make: impl Fn() -> Result<T, WebError> + Send + Sync + 'static) -> Self {
        Self {
            value: OnceCell::new(),
            make: Arc::new(make),
        }
    }

    /// A value made already.
    pub(super) fn made(value: T) -> Self {
        Self {
            value: OnceCell::new_with(Some(value)),
            make: Arc::new(|| Err(WebError::internal("made already"))),
        }
    }

    /// The value if it was made already, without making it.
    pub(super) fn made_already(&self) -> Option<&T> {
        self.value.get()
    }

    pub(super) async fn get(&self) -> Result<&T, WebError> {
        self.value
            .get_or_try_init(|| {
                let make = self.make.clone();
                async move {
                    web::block(move || make())
                        .await
                        .map_err(WebError::internal)?
                }
            })
            .await
    }
}

#[cfg(test)]
mod tests {
    use std::sync::atomic::{AtomicUsize, Ordering};

    use super::*;

    #[actix_web::test]
    async fn made_once_and_again_after_a_failure() {
        let calls = Arc::new(AtomicUsize::new(0));
        let counted = calls.clone();
        let later = Later::new(move || match counted.fetch_add(1, Ordering::SeqCst) {
            0 => Err(WebError::internal("not this time")),
            n => Ok(n),
        });
        assert!(later.get().await.is_err());
        assert_eq!(*later.get().await.expect("made"), 1);
        assert_eq!(*later.get().await.expect("kept"), 1);
        assert_eq!(calls.load(Ordering::SeqCst), 2);
        assert_eq!(*Later::made(7).get().await.expect("made already"), 7);
    }
}
