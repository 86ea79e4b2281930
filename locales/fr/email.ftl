# The emails partners receive: invitation, reminder, confirmation, re-approval, release notice.
# $title is the letter's title, $organization the partner's, $asking the coordinating
# organization's, $addressee whom the letter is addressed to; $version is a number.

email-greeting = Bonjour { $name },
email-thanks = Avec nos remerciements,
email-footer-asking = Envoyé au nom de { $asking } avec Undersigned. En répondant à ce message, vous écrivez à l'équipe de coordination.
email-footer = Envoyé avec Undersigned au nom de l'équipe de coordination de la lettre. En répondant à ce message, vous écrivez à l'équipe de coordination.
email-button-fallback = Si le bouton ne fonctionne pas, ouvrez cette adresse :
email-masthead = Lettre ouverte
# The letter's title inside a sentence of the plain-text part.
email-quoted = « { $title } »
email-answers-close = Date limite des réponses : { $deadline }.

invitation-subject-asking = { $asking } invite { $organization } à cosigner : { $title }
invitation-subject = Invitation à signer : { $title }
invitation-asks = { $asking } invite { $organization } à cosigner la lettre ouverte { $title }, adressée à { $addressee }.
invitation-invited = L'organisation { $organization } est invitée à cosigner la lettre ouverte { $title }, adressée à { $addressee }.
invitation-forwarded = { $by } vous a transmis cette demande, pour que vous répondiez au nom de votre organisation.
invitation-answer-by = Merci de répondre au plus tard le { $deadline }.
invitation-answer-here = Lisez la lettre et répondez ici :
invitation-action = Lire la lettre et répondre
invitation-personal = Ce lien est propre à votre organisation : merci de ne pas le transférer (la page vous permet de transmettre la demande à un ou une collègue). Vous pouvez signer ou refuser, et changer d'avis jusqu'à la publication de la lettre.

reminder-subject-asking = Rappel de { $asking } : { $title }
reminder-subject = Rappel : { $title }
reminder-body-asking = Un rappel de { $asking } : { $organization } n'a pas encore répondu à l'invitation à cosigner la lettre { $title }, adressée à { $addressee }.
reminder-body = Un rappel : { $organization } n'a pas encore répondu à l'invitation à cosigner la lettre { $title }, adressée à { $addressee }.
reminder-declining = Refuser est aussi une réponse, et cela vous évitera d'autres rappels.

confirmation-subject-signed = Votre signature est enregistrée : { $title }
confirmation-subject-withdrawn = Votre signature est retirée : { $title }
confirmation-subject-declined = Votre décision de ne pas signer est enregistrée : { $title }
confirmation-signed-released = Merci. { $organization } rejoint la lettre { $title }, déjà publiée : l'organisation figure sur la page publique parmi les signataires ayant rejoint la lettre après sa publication, avec la date du jour. Un e-mail séparé vous transmettra le lien public.
confirmation-signed-released-next = Vous pouvez retirer la signature avec le lien ci-dessous ; la page publique indiquerait alors ce retrait parmi ses modifications datées.
confirmation-signed = Merci. La signature de { $organization } est enregistrée pour la lettre { $title } (version { $version } du texte).
confirmation-signed-next = Si le texte change sur le fond avant la publication, nous vous demanderons de l'approuver à nouveau. Vous pouvez retirer votre signature jusqu'à la publication de la lettre.
confirmation-withdrawn-released = La signature de { $organization } est retirée de la lettre { $title }, déjà publiée : l'organisation n'y figure plus, et la page publique indique ce retrait à la date du jour.
confirmation-declined-released = Merci de votre réponse. Nous avons enregistré que { $organization } ne rejoint pas la lettre { $title }, déjà publiée.
confirmation-declined = Merci de votre réponse. Nous avons enregistré que { $organization } ne signe pas la lettre { $title }.
confirmation-declined-next = Vous pouvez encore changer d'avis jusqu'à la publication de la lettre.
# $how says how the answer reached the coordinator ("from an email"), in the coordinator's words.
confirmation-recorded = { $by }, membre de l'équipe de coordination de la lettre, a enregistré cette réponse au nom de votre organisation, { $how }. Si elle ne correspond pas à la décision de votre organisation, corrigez-la vous-même avec le lien ci-dessous.
confirmation-change-here = Consulter ou modifier votre réponse :
confirmation-action = Consulter ou modifier votre réponse

reapproval-subject-minor = Une petite correction du texte que vous avez signé : { $title }
reapproval-subject-substantive = Le texte a changé, merci de l'approuver à nouveau : { $title }
reapproval-minor = Le texte de la lettre { $title }, signée par { $organization }, a fait l'objet d'une petite correction (il en est maintenant à la version { $version }).
reapproval-minor-next = Votre approbation reste valable et s'applique au texte corrigé. La page montre ce qui a changé ; vous pouvez encore modifier votre réponse jusqu'à la publication de la lettre.
reapproval-substantive = Le texte de la lettre { $title }, signée par { $organization }, a changé sur le fond (il en est maintenant à la version { $version }).
reapproval-substantive-next = Votre approbation précédente ne vaut plus pour le nouveau texte. Veuillez lire les modifications, présentées sur la page, puis approuver le nouveau texte ou refuser.
reapproval-answer-here = Voir les modifications et répondre ici :
reapproval-action = Voir les modifications et répondre

release-subject = Publiée : { $title }
release-published-asking = { $asking } a publié la lettre ouverte { $title }, adressée à { $addressee } ; elle est désormais publique, et { $organization } figure parmi ses signataires.
release-published = La lettre ouverte { $title }, adressée à { $addressee }, est désormais publique, et { $organization } figure parmi ses signataires.
release-read-here = Lire la lettre publiée :
release-action = Lire la lettre publiée
release-thanks = Merci de votre engagement aux côtés de la coalition.
