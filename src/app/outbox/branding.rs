//! Who an email comes from, as its reader sees it: the sender's name ("Amina Diallo via
//! Coordinating NGO" at `mail.from`'s address) and the coordinating organization's logo at an
//! absolute address. Shared by every kind of email the worker renders.

use lettre::message::Mailbox;

use crate::app::coordinating::CoordinatingOrganization;
use crate::config::BaseUrl;
use crate::mail;

/// The sender as partners see it: "Amina Diallo via Coordinating NGO" at `mail.from`'s
/// address, the organization alone without a coordinator, `mail.from` as set without either.
pub fn sender(from: &Mailbox, coordinator: Option<&str>, organization: Option<&str>) -> Mailbox {
    let name = match (coordinator, organization) {
        (Some(person), Some(organization)) => format!("{person} via {organization}"),
        (None, Some(organization)) => organization.to_string(),
        _ => return from.clone(),
    };
    Mailbox::new(Some(mail::header_safe(&name)), from.email.clone())
}

/// The absolute address of the coordinating organization's logo, as an email shows it (mail
/// programs know no relative address); `None` without a logo.
pub fn logo_address(base_url: &BaseUrl, asking: &CoordinatingOrganization) -> Option<String> {
    asking.logo_url().map(|path| base_url.join(&path))
}
