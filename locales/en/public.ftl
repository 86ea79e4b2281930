# The published letter's page, in the language of the text it shows.
# $count, $organizations and $individuals are numbers; $date a day as the language writes it.

public-letters = Published letters
public-made-with = Published with Undersigned
public-languages = Languages of the letter
public-authoritative = authoritative text
public-translation-note = This is a translation. The authoritative text is in { $language }.
public-meta = Open letter · published
public-list-updated = list updated { $date }
public-to = To { $addressee }
public-coordinated-by = Coordinated by
public-press-contact = Press contact:
# The page's description for search engines and link previews.
public-description = An open letter to { $addressee }, signed by { $signed }.
public-signatories = Signatories
public-signed-by = Signed by { $signed }
public-organizations = { $organizations ->
    [one] { $organizations } organization
   *[other] { $organizations } organizations
}
public-organizations-and-individuals = { $organizations ->
    [one] { $organizations } organization
   *[other] { $organizations } organizations
} and { $individuals ->
    [one] { $individuals } individual
   *[other] { $individuals } individuals
}
public-leads = Lead organizations
public-supporting = Also signed by
public-late = Joined after publication
public-joined = joined { $date }
public-approved-by = approved by { $name }
public-csv = Signatories as CSV
public-xlsx = as Excel (XLSX)
public-json = Letter and list as JSON
public-text = Plain text
public-pdf = PDF
public-embed = Embed on your website
public-changes = Changes since publication
public-changes-explained = The text has not changed. The list of signatories has:
public-revision = revision { $revision }
public-verify = Check that this list was not altered
public-verify-text = The text's SHA-256 is { $sha256 }.
public-verify-translation = This translation's SHA-256 is { $sha256 }; the signatures below cover the authoritative text.
public-verify-manifest = At release, a manifest naming the text's hash and every signatory in order was signed with this installation's Ed25519 key. The manifest (SHA-256 { $sha256 }) and its signature are in the JSON export:
public-verify-revisions = Each change since then is a new revision with its own signed manifest, naming the one before it, while the original (SHA-256 { $sha256 }) stays as it was published:
public-verify-key = The public key:
public-verify-how = Verify the signature over the manifest's exact bytes with any Ed25519 tool.

# The plain-text and PDF forms of the letter.
public-text-to = To { $addressee }
public-text-published = Published { $date }
public-text-signatories = Signatories:
public-text-joined = { $name } (joined after publication, { $date })
public-text-changes = Changes since publication:
public-text-sha256 = SHA-256 of the text: { $sha256 }
public-text-translation = This is a translation; the authoritative text is in { $language }, SHA-256 { $sha256 }.
pdf-supporting = Supporting organizations
pdf-joined = joined on { $date }
pdf-as-they-stand = The letter and its signatories as they stand:
pdf-page = Page { $page } of { $pages }
pdf-published = Open letter · published { $date }
