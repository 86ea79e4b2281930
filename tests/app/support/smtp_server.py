"""A real SMTP server for Undersigned's tests, on aiosmtpd.

Serve (writes every accepted message to a Maildir; refuses with 550 5.1.1 any recipient whose
address starts with $TEST_SMTP_REJECT, "bounce" by default, "" for none):
    python3 -m aiosmtpd -n -l 127.0.0.1:PORT -c smtp_server.Handler MAILDIR   (PYTHONPATH=here)
Dump the Maildir as JSON, headers decoded as a mail client shows them:
    python3 smtp_server.py dump MAILDIR
"""

import json
import mailbox
import os
import sys

try:
    from aiosmtpd.handlers import Mailbox
except ImportError:  # `dump` needs only the standard library
    Mailbox = object


class Handler(Mailbox):
    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
        prefix = os.environ.get("TEST_SMTP_REJECT", "bounce")
        if prefix and address.lower().startswith(prefix):
            return "550 5.1.1 <%s>: Recipient address rejected: no such user" % address
        envelope.rcpt_tos.append(address)
        return "250 OK"


def dump(maildir):
    import email
    import email.policy

    messages = []
    for key, message in mailbox.Maildir(maildir, factory=None).items():
        raw = message.as_bytes()
        parsed = email.message_from_bytes(raw, policy=email.policy.default)
        head = raw.split(b"\n\n", 1)[0].decode("ascii", "replace")
        text = parsed.get_body(("plain",))
        html = parsed.get_body(("html",))
        messages.append({
            "key": key,
            "raw_headers": head,
            "headers": {k.lower(): str(v) for k, v in parsed.items()},
            "header_names": [k.lower() for k in parsed.keys()],
            "content_type": parsed.get_content_type(),
            "text": text.get_content() if text else None,
            "html": html.get_content() if html else None,
        })
    json.dump(messages, sys.stdout)


if __name__ == "__main__" and sys.argv[1:2] == ["dump"]:
    dump(sys.argv[2])
