//! Webhooks: the events an endpoint can be told of, and which endpoint addresses are allowed.
//! An endpoint is `https://` and reaches the public internet only, unless the installation
//! allows plain http and its own network (`webhooks.allow_private`), so that a coordinator
//! cannot make the server call into the organization's network or the machine itself.

use std::net::IpAddr;

use super::InvalidInput;
use super::stored::stored_as_text;

stored_as_text! {
    /// What a webhook can be told of. `webhook.test` is sent only by "send a test event".
    pub enum WebhookEvent {
        InvitationOpened => "invitation.opened",
        InvitationSigned => "invitation.signed",
        InvitationDeclined => "invitation.declined",
        InvitationWithdrawn => "invitation.withdrawn",
        InvitationBounced => "invitation.bounced",
        ReminderSent => "reminder.sent",
        LetterReleased => "letter.released",
        RevisionPublished => "revision.published",
        Test => "webhook.test",
    }
}

impl WebhookEvent {
    /// The events a webhook may subscribe to (all but the test event, which every webhook
    /// receives when asked for).
    pub fn subscribable() -> impl Iterator<Item = Self> {
        Self::ALL.iter().copied().filter(|e| *e != Self::Test)
    }

    /// The event an audit-trail action announces, if any: a partner's answer, an answer a
    /// coordinator recorded (its `decision` in `detail`), an organization's request to join
    /// approved (an `invitation` in `detail`), a bounce, a release, a revision.
    pub fn for_audit_action(action: &str, detail: &serde_json::Value) -> Option<Self> {
        let decision = |decision: &str| match decision {
            "sign" => Some(Self::InvitationSigned),
            "decline" => Some(Self::InvitationDeclined),
            "withdraw" => Some(Self::InvitationWithdrawn),
            _ => None,
        };
        Some(match action {
            "invitation.opened" => Self::InvitationOpened,
            "response.sign" => Self::InvitationSigned,
            "response.decline" => Self::InvitationDeclined,
            "response.withdraw" => Self::InvitationWithdrawn,
            "response.recorded" => return decision(detail["decision"].as_str()?),
            "sign_on.approved" if detail["invitation"].is_string() => Self::InvitationSigned,
            "invitation.bounced" => Self::InvitationBounced,
            "letter.released" => Self::LetterReleased,
            "letter.revised" => Self::RevisionPublished,
            _ => return None,
        })
    }

    /// A list of event names as typed: each known and subscribable, at least one, no
    /// repeats. Returned in declaration order.
    pub fn parse_list<'a>(
        names: impl IntoIterator<Item = &'a str>,
    ) -> Result<Vec<Self>, InvalidInput> {
        let mut events = Vec::new();
        for name in names {
            let event = Self::parse(name.trim())
                .filter(|e| *e != Self::Test)
                .ok_or_else(|| {
                    InvalidInput::new(format!(
                        "“{name}” is not a webhook event; choose among {}",
                        Self::subscribable()
                            .map(Self::as_str)
                            .collect::<Vec<_>>()
                            .join(", ")
                    ))
                })?;
            if !events.contains(&event) {
                events.push(event);
            }
        }
        if events.is_empty() {
            return Err(InvalidInput::new(
                "choose at least one event for the webhook",
            ));
        }
        events.sort();
        Ok(events)
    }
}

/// The longest endpoint address accepted.
const MAX_URL_CHARS: usize = 2000;

/// An endpoint address that passed the checks that need no name lookup: `https://` (or
/// `http://` where private endpoints are allowed), a host, no user name or password, no
/// fragment. Whether its host resolves to allowed addresses is checked when it is registered
/// and again at every delivery.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct WebhookUrl(url::Url);

impl WebhookUrl {
    pub fn parse(raw: &str, allow_private: bool) -> Result<Self, InvalidInput> {
        let raw = raw.trim();
        if raw.chars().count() > MAX_URL_CHARS {
            return Err(InvalidInput::new(format!(
                "the address is longer than {MAX_URL_CHARS} characters"
            )));
        }
        let url = url::Url::parse(raw).map_err(|_| {
            InvalidInput::new("the address is not a URL such as https://example.org/hooks")
        })?;
        match url.scheme() {
            "https" => {}
            "http" if allow_private => {}
            "http" => {
                return Err(InvalidInput::new(
                    "the address must start with https:// so that deliveries are encrypted",
                ));
            }
            _ => return Err(InvalidInput::new("the address must start with https://")),
        }
        if url.host_str().is_none_or(str::is_empty) {
            return Err(InvalidInput::new("the address has no host name"));
        }
        if !url.username().is_empty() || url.password().is_some() {
            return Err(InvalidInput::new(
                "put no user name or password in the address: deliveries are signed instead",
            ));
        }
        if url.fragment().is_some() {
            return Err(InvalidInput::new("the address cannot have a #fragment"));
        }
        if !allow_private
            && let Some(ip) = literal_ip(&url)
            && !is_public(ip)
        {
            return Err(InvalidInput::new(format!(
                "the address {ip} is not on the public internet (loopback, private or reserved)"
            )));
        }
        Ok(Self(url))
    }

    pub fn as_str(&self) -> &str {
        self.0.as_str()
    }

    /// The host, as a name to look up or an IP address.
    pub fn host(&self) -> &str {
        self.0.host_str().unwrap_or_default()
    }

    /// The port, the scheme's default when none is written.
    pub fn port(&self) -> u16 {
        self.0.port_or_known_default().unwrap_or(443)
    }

    pub fn url(&self) -> &url::Url {
        &self.0
    }
}

/// The IP address written in the URL, if its host is one.
fn literal_ip(url: &url::Url) -> Option<IpAddr> {
    match url.host()? {
        url::Host::Ipv4(ip) => Some(IpAddr::V4(ip)),
        url::Host::Ipv6(ip) => Some(IpAddr::V6(ip)),
        url::Host::Domain(_) => None,
    }
}

/// Whether an address is on the public internet: not loopback, private, link-local, shared
/// (carrier-grade NAT), unspecified, broadcast, multicast, documentation or otherwise
/// reserved. IPv4 addresses inside IPv6 are judged as IPv4.
pub fn is_public(ip: IpAddr) -> bool {
    match ip {
        IpAddr::V4(v4) => {
            let [a, b, ..] = v4.octets();
            !(v4.is_loopback()
                || v4.is_private()
                || v4.is_link_local()
                || v4.is_unspecified()
                || v4.is_broadcast()
                || v4.is_multicast()
                || v4.is_documentation()
                || a == 0
                || a >= 240
                || (a == 100 && (64..128).contains(&b))
                || (a == 192 && b == 0 && v4.octets()[2] == 0)
                || (a == 198 && (18..20).contains(&b)))
        }
        IpAddr::V6(v6) => {
            if v6.is_loopback() || v6.is_unspecified() {
                return false;
            }
            // IPv4-mapped (::ffff:a.b.c.d) and IPv4-compatible (::a.b.c.d) addresses.
            if let Some(v4) = v6.to_ipv4() {
                return is_public(IpAddr::V4(v4));
            }
            let [first, second, third, ..] = v6.segments();
            !(v6.is_multicast()
                || v6.is_unique_local()
                || v6.is_unicast_link_local()
                // site-local (deprecated, still routed inside some networks)
                || first & 0xffc0 == 0xfec0
                // documentation
                || first == 0x2001 && second == 0x0db8
                // NAT64 (well-known and local-use), 6to4 and Teredo embed IPv4 addresses
                || first == 0x0064 && second == 0xff9b && (third == 0 || third == 1)
                || first == 0x2002
                || first == 0x2001 && second == 0)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_public_https_endpoints_unless_private_ones_are_allowed() {
        for refused in [
            "http://hooks.example.org/x",
            "ftp://hooks.example.org/x",
            "https://127.0.0.1/x",
            "https://10.1.2.3/x",
            "https://172.16.0.1/x",
            "https://192.168.1.1/x",
            "https://169.254.169.254/latest/meta-data",
            "https://100.64.0.1/x",
            "https://0.0.0.0/x",
            "https://[::1]/x",
            "https://[fd00::1]/x",
            "https://[fe80::1]/x",
            "https://[::ffff:127.0.0.1]/x",
            "https://[::127.0.0.1]/x",
            "https://[64:ff9b:1::a00:1]/x",
            "https://[2002:a00:1::1]/x",
            "https://[2001:0:a00:1::1]/x",
            "https://[fec0::1]/x",
            "https://2130706433/x",
            "https://0x7f.1/x",
            "https://user:secret@hooks.example.org/x",
            "https://hooks.example.org/x#part",
            "not a url",
        ] {
            assert!(WebhookUrl::parse(refused, false).is_err(), "{refused}");
        }
        for allowed in [
            "https://hooks.example.org/x",
            "https://93.184.215.14:8443/hook?tag=1",
            "https://[2606:4700::1111]/x",
        ] {
            assert!(WebhookUrl::parse(allowed, false).is_ok(), "{allowed}");
        }
        assert!(WebhookUrl::parse("http://127.0.0.1:9000/x", true).is_ok());
        assert!(WebhookUrl::parse("ftp://127.0.0.1/x", true).is_err());
    }

    #[test]
    fn event_lists_are_checked() {
        assert_eq!(
            WebhookEvent::parse_list(["letter.released", "invitation.signed", "letter.released"])
                .unwrap(),
            [WebhookEvent::InvitationSigned, WebhookEvent::LetterReleased]
        );
        assert!(WebhookEvent::parse_list([]).is_err());
        assert!(WebhookEvent::parse_list(["webhook.test"]).is_err());
        assert!(WebhookEvent::parse_list(["letter.exploded"]).is_err());
    }
}
