# The emails partners receive: invitation, reminder, confirmation, re-approval, release notice.
# $title is the letter's title, $organization the partner's, $asking the coordinating
# organization's, $addressee whom the letter is addressed to; $version is a number.

email-greeting = Dear { $name },
email-thanks = With thanks,
email-footer-asking = Sent for { $asking } with Undersigned. Replying reaches the coordinators.
email-footer = Sent with Undersigned on behalf of the coordinators of the letter. Replying reaches the coordinators.
email-button-fallback = If the button does not work, open this address:
email-masthead = Open letter
# The letter's title inside a sentence of the plain-text part.
email-quoted = "{ $title }"
email-answers-close = Answers close on { $deadline }.

invitation-subject-asking = { $asking } asks { $organization } to co-sign: { $title }
invitation-subject = Invitation to sign: { $title }
invitation-asks = { $asking } asks { $organization } to co-sign the open letter { $title }, addressed to { $addressee }.
invitation-invited = { $organization } is invited to co-sign the open letter { $title }, addressed to { $addressee }.
invitation-forwarded = { $by } has handed this request on to you, to answer for your organization.
invitation-answer-by = Please answer by { $deadline }.
invitation-answer-here = Read the letter and answer here:
invitation-action = Read the letter and answer
invitation-personal = The link is personal to your organization: please do not forward it (the page lets you hand the request to a colleague). You can sign or decline, and change your mind until the letter is released.

reminder-subject-asking = Reminder from { $asking }: { $title }
reminder-subject = Reminder: { $title }
reminder-body-asking = A reminder from { $asking }: { $organization } has not yet answered the invitation to co-sign { $title }, addressed to { $addressee }.
reminder-body = A reminder: { $organization } has not yet answered the invitation to co-sign { $title }, addressed to { $addressee }.
reminder-declining = Declining is an answer too, and it spares you further reminders.

confirmation-subject-signed = Your signature is recorded: { $title }
confirmation-subject-withdrawn = Your signature is withdrawn: { $title }
confirmation-subject-declined = Your decision not to sign is recorded: { $title }
confirmation-signed-released = Thank you. { $organization } has joined { $title }, which is already published: it is listed on the public page as having joined after publication, with today's date. A separate email brings the public link.
confirmation-signed-released-next = You can withdraw the signature with the link below; the public page would then show the withdrawal among its dated changes.
confirmation-signed = Thank you. { $organization } is recorded as a signatory of { $title } (version { $version } of the text).
confirmation-signed-next = If the text changes substantively before release, we will ask you to approve it again. You can withdraw your signature until the letter is released.
confirmation-withdrawn-released = { $organization }'s signature is withdrawn from { $title }, which is already published: it is no longer listed, and the public page shows the withdrawal with today's date.
confirmation-declined-released = Thank you for answering. { $organization } is recorded as not joining { $title }, which is already published.
confirmation-declined = Thank you for answering. { $organization } is recorded as not signing { $title }.
confirmation-declined-next = You can still change your mind until the letter is released.
# $how says how the answer reached the coordinator ("from an email"), in the coordinator's words.
confirmation-recorded = { $by }, one of the coordinators of the letter, recorded this answer on your organization's behalf, { $how }. If it is not what your organization decided, correct it yourself with the link below.
confirmation-change-here = See or change your answer:
confirmation-action = See or change your answer

reapproval-subject-minor = A small correction to the text you signed: { $title }
reapproval-subject-substantive = The text has changed, please approve it again: { $title }
reapproval-minor = The text of { $title }, which { $organization } signed, has had a small correction (it is now version { $version }).
reapproval-minor-next = Your approval stands and carries over to the corrected text. The page shows what changed; you can still change your answer until the letter is released.
reapproval-substantive = The text of { $title }, which { $organization } signed, has changed in substance (it is now version { $version }).
reapproval-substantive-next = Your earlier approval no longer counts for the new text. Please read the changes, shown on the page, and approve the new text or decline.
reapproval-answer-here = See the changes and answer here:
reapproval-action = See the changes and answer

release-subject = Released: { $title }
release-published-asking = { $asking } has published the open letter { $title }, addressed to { $addressee }; it is public, with { $organization } among its signatories.
release-published = The open letter { $title }, addressed to { $addressee }, is now public, with { $organization } among its signatories.
release-read-here = Read the published letter:
release-action = Read the published letter
release-thanks = Thank you for standing with the coalition.
