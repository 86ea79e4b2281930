# The sign page: what a partner reads and answers through their personal link.
# Arguments are names and titles as people typed them; $count and $version are numbers.

sign-page-title = { $title } — your answer
sign-asks = { $asking } asks { $organization } to co-sign
sign-invitation = Invitation to co-sign an open letter
sign-languages = Languages of the letter
sign-language-unavailable = The letter is not offered in the language asked for; it is shown in its own language.
sign-to = To
sign-made-with = Sent with Undersigned

sign-you-answer-for = You answer for { $organization }
sign-printed-as-lead = If your organization signs, it will be printed as { $organization }, among the lead organizations, listed first.
sign-printed-as-supporting = If your organization signs, it will be printed as { $organization }, among the supporting organizations.
sign-latest-answer = Latest answer:
sign-badge-signed = signed
sign-badge-declined = declined
sign-badge-withdrawn = withdrawn
sign-latest-signed = on { $when }, version { $version } of the text — approved by { $name }, { $title }, for { $organization }.
sign-latest-other = on { $when }, version { $version } of the text — by { $name }.
sign-latest-other-titled = on { $when }, version { $version } of the text — by { $name }, { $title }.
sign-not-answered = Your organization has not answered yet.

sign-changed-heading = The text changed since you signed version { $version }
sign-changed-minor = It was a minor correction: your approval stands for the current text.
sign-changed-substantive = Your earlier approval does not count for the new text.
sign-changed-read-again = Please read the changes and answer again.

sign-text-heading = The letter, as it stands (version { $version })
sign-text-heading-translation = The letter in { $language } (translation { $translation }, matching version { $version } of the original)
sign-text-sha256 = SHA-256 of this text: { $sha256 }

sign-already-signed = Already signed
sign-more-signatories = These are the first { $count } in alphabetical order; more organizations have signed. The full list is published with the letter.

sign-answer-heading = Your answer
sign-question = Does { $organization } sign this letter?
sign-choice-sign = Yes, we sign version { $version } of the text
sign-choice-decline = No, we decline
sign-field-name = Your name
sign-field-title = Your title or role (needed to sign; optional to decline)
sign-field-organization = Your organization's name, as it should be printed
sign-field-comment = A note for the coordinators (optional)
sign-send = Send our answer
sign-change-until-release = You can change your answer with the same link until the letter is released.

sign-withdraw-heading = Withdraw your signature
sign-withdraw-button = Withdraw our signature…
sign-withdraw-confirm-next = You will be asked to confirm on the next page.

sign-forward-summary = Someone else must approve? Hand this request to a colleague
sign-forward-explained = Your colleague gets their own link by email, and yours stops working. You will see the address again before the link moves.
sign-forward-email = Their email address
sign-forward-name = Their name (optional)
sign-forward-check = Check the address

sign-history-heading = Your organization's answers
sign-history-entry = { $when }: { $decision } (version { $version }) by { $name }
sign-history-entry-titled = { $when }: { $decision } (version { $version }) by { $name }, { $title }
sign-decision-sign = sign
sign-decision-decline = decline
sign-decision-withdraw = withdraw

# The box at the top of the page: where the letter stands.
state-open = Open for answers
state-open-deadline = Answers close on { $deadline }.
state-open-no-deadline = There is no deadline for answers.
state-scheduled = Release scheduled
state-scheduled-on = The letter will be published on { $release }.
state-scheduled-until = Answers are still open until { $until }: until then you may still sign, decline or change your answer.
state-scheduled-until-release = the release
state-frozen = Release scheduled, list frozen
state-frozen-explained = The list of signatories is frozen: answers can no longer change.
state-published = Published on { $date }
state-listed = Your organization is listed among its signatories.
state-not-listed = Your organization is not listed among its signatories.
state-read-it = Read it here
state-deadline-passed = Deadline passed
state-deadline-passed-on = Answers closed on { $deadline }.
state-closed = Closed to answers
state-closed-explained = The coordinators have closed this letter to answers.

# What the page says once an answer is recorded.
answer-signed = Thank you: your organization's signature is recorded. A confirmation is on its way by email.
answer-declined = Thank you: your organization's decision not to sign is recorded.
answer-withdrawn = Your organization's signature is withdrawn.

# Why an answer was not recorded, beside the field concerned (languages other than English;
# English shows the precise reason).
error-decision = Choose whether your organization signs or declines.
error-signer_name = Give your name, on one line, in at most 200 characters.
error-signer_title = Give your title or role, on one line, in at most 200 characters.
error-organization_display_name = Give your organization's name, on one line, in at most 300 characters.
error-comment = The note may have at most 2,000 characters.
error-colleague_email = Give your colleague's email address (not your own).
error-colleague_name = Give your colleague's name on one line, in at most 200 characters.
error-not-recorded = Your answer was not recorded. The page now shows the letter as it stands: please check it and answer again.

# Withdrawing a signature, asked again on a page of its own.
withdraw-page-title = Withdraw the signature? — { $title }
withdraw-heading = Withdraw the signature of { $organization }?
withdraw-from = From { $title }.
withdraw-released = The letter is already published: its public page will show the withdrawal, dated, in its list of changes. This cannot be undone by signing again unless the letter accepts late signatures.
withdraw-before-release = Your organization will no longer be counted among the signatories. Until the letter is released you may sign again with the same link.
withdraw-field-title = Your title or role
withdraw-yes = Yes, withdraw our signature
withdraw-no = No, keep it

# Handing the request on to a colleague.
forward-page-title = Hand it to { $email }?
forward-heading = Hand this request to a colleague?
forward-will-email = We will email a personal link to answer for { $organization } to:
forward-own-link-stops = Your own link stops working as soon as you confirm.
forward-yes = Yes, send the link to { $email }
forward-no = No, change the address
forwarded-page-title = Handed on
forwarded-on = This link was handed on to a colleague on { $date }, to { $colleague }. It no longer works: the colleague answers for your organization with a link of their own.
forwarded-write = To reach the coordinators, write to { $contact } or reply to the invitation email you received.
forwarded-reply = To reach the coordinators, reply to the invitation email you received.
forwarded-done = We have emailed { $colleague } a personal link to answer for your organization. Your own link no longer works. Thank you.

# A sign link that is unknown, revoked or expired (all answer alike).
link-does-not-work = This sign link does not work. It may have been replaced by a newer one (check your most recent email from the coordinators), or the invitation was withdrawn. Reply to the invitation email and the coordinators will help.
link-does-not-work-heading = This link does not work
error-home = Go to the home page
