//! Email: the transports the outbox worker delivers through (SMTP, `.eml` files, memory for unit
//! tests), the templates every email is rendered from (plain text and HTML, auto-escaped,
//! embedded in the binary), and the composition of a message whose headers no user field can
//! break. Nothing here touches the database: the worker in `app::delivery` feeds it.

mod account_templates;
mod compose;
mod outgoing;
mod smtp;
#[cfg(test)]
mod snapshots;
mod templates;
mod transport;

pub use account_templates::{AccountEmailView, AccountTemplate, render_account};
pub use compose::{Addressing, ComposeError, compose, header_safe};
pub use outgoing::{OutgoingError, OutgoingFile, list_outgoing_files, read_outgoing_file};
pub use smtp::SendError;
pub use templates::{EmailView, RenderedEmail, Template, render};
pub use transport::{Mailer, MailerError};
