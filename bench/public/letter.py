"""The released letter the public page benchmark loads (see run.sh): `undersigned serve` on a
fresh SQLite file, a letter that takes late signatures, organizations invited through the API
(invitations written as .eml files by the server's own worker), some signed through their real
sign links before release, the others kept unsigned so that their links can sign during the
load and publish new revisions of the list."""

import os
import re
import subprocess
import time

import requests

from load import stop

PASSWORD = "a long bench password\n"


class Undersigned:
    """One `undersigned serve` in its own folder, with an admin's API token."""

    def __init__(self, binary, work, port):
        self.base = f"http://127.0.0.1:{port}"
        self.work = work
        self.mail_dir = os.path.join(work, "data", "mail")
        self.env = dict(os.environ, UNDERSIGNED_DATABASE__URL=f"sqlite://{work}/bench.db",
                        UNDERSIGNED_SERVER__LISTEN=f"127.0.0.1:{port}", UNDERSIGNED_SERVER__BASE_URL=self.base,
                        UNDERSIGNED_SERVER__SHUTDOWN_TIMEOUT_SECONDS="1",
                        UNDERSIGNED_STORAGE__DATA_DIR=f"{work}/data", UNDERSIGNED_MAIL__SMTP_URL="",
                        UNDERSIGNED_LOG__FILTER="warn", UNDERSIGNED_MAIL__RATE_PER_SECOND="0")
        run = dict(env=self.env, cwd=work, check=True, capture_output=True, text=True)
        subprocess.run([binary, "admin", "create", "--email", "bench@example.org", "--name", "Bench",
                        "--password-stdin"], input=PASSWORD, **run)
        token = subprocess.run([binary, "admin", "token", "--email", "bench@example.org"], **run)
        self.api = requests.Session()
        self.api.headers["Authorization"] = f"Bearer {token.stdout.strip().splitlines()[-1]}"
        self.process = subprocess.Popen([binary, "serve"], env=self.env, cwd=work,
                                        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        wait_http(self.base + "/readyz")

    def post(self, path, body):
        answer = self.api.post(self.base + "/api/v1" + path, json=body, timeout=60)
        if answer.status_code >= 400:
            raise SystemExit(f"POST {path}: {answer.status_code} {answer.text[:500]}")
        return answer.json()

    def stop(self):
        stop(self.process)


def wait_http(url, timeout=30):
    deadline = time.time() + timeout
    while time.time() < deadline:
        try:
            if requests.get(url, timeout=1).status_code == 200:
                return
        except requests.RequestException:
            pass
        time.sleep(0.05)
    raise SystemExit(f"{url} did not answer")


def organization(n):
    return f"Organization {n:03d} – Droits & Libertés"


def released_letter(server, signatories, late):
    """Invites `signatories + late` organizations to a letter that takes late signatures, signs
    the first `signatories` (the leads among them) through their sign links, and releases it.
    Returns the slug, the number signed and the sign links of the `late` ones, in order."""
    letter = server.post("/letters", {
        "title": "Joint Letter to the UN Secretary-General on Xinjiang",
        "addressee": "António Guterres, Secretary-General of the United Nations",
        "body_markdown": open("src/app/demo/letter.md", encoding="utf-8").read(),
        "allow_late_signatures": True,
    })
    if not letter.get("allow_late_signatures"):
        raise SystemExit("the letter does not take late signatures")
    invites = [{"organization": organization(n), "email": f"org{n}@example.org",
                "tier": "lead" if n < min(5, signatories) else "supporting"} for n in range(signatories + late)]
    server.post(f"/letters/{letter['id']}/invitations", {"invitations": invites})
    links = sign_links(server, signatories + late)
    for n in range(signatories):
        sign(server.base, links[n])
    server.post(f"/letters/{letter['id']}/release", {})
    return letter["slug"], signatories, [links[n] for n in range(signatories, signatories + late)]


def sign_links(server, expected, timeout=120):
    """Each organization's sign link (by its number), read from the invitation emails the
    server's worker wrote."""
    links, read = {}, set()
    deadline = time.time() + timeout
    link = re.compile(re.escape(server.base) + r"/sign/[A-Za-z0-9_-]{43}")
    while len(links) < expected:
        if time.time() > deadline:
            raise SystemExit(f"{len(links)} of {expected} invitation emails were written")
        for name in sorted(os.listdir(server.mail_dir)) if os.path.isdir(server.mail_dir) else []:
            if not name.endswith(".eml") or name in read:
                continue
            text = open(os.path.join(server.mail_dir, name), encoding="utf-8", errors="replace").read()
            text = text.replace("=\n", "")
            to = re.search(r"^To:(.*(?:\n[ \t].*)*)", text, re.M | re.I)
            who = re.search(r"org(\d+)@example\.org", to.group(1)) if to else None
            found = link.search(text)
            if who and found:  # else the file is still being written: read it again
                links.setdefault(int(who.group(1)), found.group(0))
                read.add(name)
        time.sleep(0.1)
    return links


def sign(base, link):
    """The whole sign flow of a partner in a browser of their own: the link (exchanged for a
    cookie, redirected to the form), then the signature. Returns its duration in ms."""
    started = time.perf_counter()
    browser = requests.Session()
    page = browser.get(link, timeout=30)
    page.raise_for_status()

    def field(name):
        return re.search(r'name="%s" value="([^"]*)"' % name, page.text).group(1)

    answer = browser.post(base + "/sign", data={
        "csrf_token": field("csrf_token"), "submission_key": field("submission_key"),
        "content_sha256": field("content_sha256"), "decision": "sign",
        "signer_name": "Bench Signer", "signer_title": "Director",
        "organization_display_name": field("organization_display_name"), "comment": "",
    }, allow_redirects=False, timeout=30)
    if answer.status_code != 303:
        raise SystemExit(f"signing answered {answer.status_code}: {answer.text[:300]}")
    return (time.perf_counter() - started) * 1000


def signatory_count(page_html):
    """The count the public page prints: "Signed by 47 organizations"."""
    found = re.search(r'class="signed-count">Signed by ([\d,]+) organization', page_html)
    return int(found.group(1).replace(",", "")) if found else None
