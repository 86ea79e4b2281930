# The sign page: what a partner reads and answers through their personal link.
# Arguments are names and titles as people typed them; $count and $version are numbers.

sign-page-title = { $title } — votre réponse
sign-asks = { $asking } invite { $organization } à cosigner
sign-invitation = Invitation à cosigner une lettre ouverte
sign-languages = Langues de la lettre
sign-language-unavailable = La lettre n'est pas proposée dans la langue demandée ; elle est affichée dans sa langue d'origine.
sign-to = Destinataire :
sign-made-with = Envoyé avec Undersigned

sign-you-answer-for = Vous répondez au nom de { $organization }
sign-printed-as-lead = Si votre organisation signe, elle figurera sous le nom { $organization }, parmi les organisations chefs de file, en tête de liste.
sign-printed-as-supporting = Si votre organisation signe, elle figurera sous le nom { $organization }, parmi les autres organisations signataires.
sign-latest-answer = Dernière réponse :
sign-badge-signed = signature
sign-badge-declined = refus
sign-badge-withdrawn = retrait
sign-latest-signed = le { $when }, version { $version } du texte — approuvée par { $name }, { $title }, pour { $organization }.
sign-latest-other = le { $when }, version { $version } du texte — par { $name }.
sign-latest-other-titled = le { $when }, version { $version } du texte — par { $name }, { $title }.
sign-not-answered = Votre organisation n'a pas encore répondu.

sign-changed-heading = Le texte a changé depuis que vous avez signé la version { $version }
sign-changed-minor = Il s'agit d'une correction mineure : votre approbation reste valable pour le texte actuel.
sign-changed-substantive = Votre approbation précédente ne vaut pas pour le nouveau texte.
sign-changed-read-again = Veuillez lire les modifications et répondre à nouveau.

sign-text-heading = La lettre, dans son état actuel (version { $version })
sign-text-heading-translation = La lettre — { $language } (traduction { $translation }, correspondant à la version { $version } de l'original)
sign-text-sha256 = Empreinte SHA-256 de ce texte : { $sha256 }

sign-already-signed = Déjà signataires
sign-more-signatories = Organisations affichées (les premières par ordre alphabétique) : { $count }. D'autres organisations ont signé ; la liste complète est publiée avec la lettre.

sign-answer-heading = Votre réponse
sign-question = L'organisation { $organization } signe-t-elle cette lettre ?
sign-choice-sign = Oui, nous signons la version { $version } du texte
sign-choice-decline = Non, nous ne signons pas
sign-field-name = Votre nom
sign-field-title = Votre fonction ou titre (requis pour signer ; facultatif pour refuser)
sign-field-organization = Le nom de votre organisation, tel qu'il doit apparaître
sign-field-comment = Un message pour l'équipe de coordination (facultatif)
sign-send = Envoyer notre réponse
sign-change-until-release = Vous pouvez modifier votre réponse avec le même lien jusqu'à la publication de la lettre.

sign-withdraw-heading = Retirer votre signature
sign-withdraw-button = Retirer notre signature…
sign-withdraw-confirm-next = Une confirmation vous sera demandée à la page suivante.

sign-forward-summary = Quelqu'un d'autre doit donner son accord ? Transmettez cette demande à un ou une collègue
sign-forward-explained = Votre collègue recevra son propre lien par e-mail, et le vôtre cessera de fonctionner. L'adresse vous sera montrée à nouveau avant le transfert du lien.
sign-forward-email = Son adresse e-mail
sign-forward-name = Son nom (facultatif)
sign-forward-check = Vérifier l'adresse

sign-history-heading = Les réponses de votre organisation
sign-history-entry = { $when } : { $decision } (version { $version }) par { $name }
sign-history-entry-titled = { $when } : { $decision } (version { $version }) par { $name }, { $title }
sign-decision-sign = signature
sign-decision-decline = refus
sign-decision-withdraw = retrait

# The box at the top of the page: where the letter stands.
state-open = Ouvert aux réponses
state-open-deadline = Date limite des réponses : { $deadline }.
state-open-no-deadline = Il n'y a pas de date limite pour répondre.
state-scheduled = Publication programmée
state-scheduled-on = La lettre sera publiée le { $release }.
state-scheduled-until = Clôture des réponses : { $until }. D'ici là, vous pouvez encore signer, refuser ou modifier votre réponse.
state-scheduled-until-release = à la publication
state-frozen = Publication programmée, liste arrêtée
state-frozen-explained = La liste des signataires est arrêtée : les réponses ne peuvent plus être modifiées.
state-published = Publiée le { $date }
state-listed = Votre organisation figure parmi ses signataires.
state-not-listed = Votre organisation ne figure pas parmi ses signataires.
state-read-it = La lire ici
state-deadline-passed = Date limite dépassée
state-deadline-passed-on = Les réponses ont été closes le { $deadline }.
state-closed = Fermé aux réponses
state-closed-explained = L'équipe de coordination a clos les réponses à cette lettre.

# What the page says once an answer is recorded.
answer-signed = Merci : la signature de votre organisation est enregistrée. Une confirmation vous est envoyée par e-mail.
answer-declined = Merci : la décision de votre organisation de ne pas signer est enregistrée.
answer-withdrawn = La signature de votre organisation est retirée.

# Why an answer was not recorded, beside the field concerned (languages other than English;
# English shows the precise reason).
error-decision = Indiquez si votre organisation signe ou non.
error-signer_name = Indiquez votre nom, sur une seule ligne, en 200 caractères au maximum.
error-signer_title = Indiquez votre fonction ou titre, sur une seule ligne, en 200 caractères au maximum.
error-organization_display_name = Indiquez le nom de votre organisation, sur une seule ligne, en 300 caractères au maximum.
error-comment = Le message ne peut pas dépasser 2 000 caractères.
error-colleague_email = Indiquez l'adresse e-mail de votre collègue (pas la vôtre).
error-colleague_name = Indiquez le nom de votre collègue, sur une seule ligne, en 200 caractères au maximum.
error-not-recorded = Votre réponse n'a pas été enregistrée. La page affiche maintenant la lettre dans son état actuel : veuillez la vérifier et répondre à nouveau.

# Withdrawing a signature, asked again on a page of its own.
withdraw-page-title = Retirer la signature ? — { $title }
withdraw-heading = Retirer la signature de { $organization } ?
withdraw-from = Lettre : { $title }.
withdraw-released = La lettre est déjà publiée : sa page publique indiquera ce retrait, daté, dans sa liste de modifications. Signer à nouveau ne l'annulera que si la lettre accepte les signatures tardives.
withdraw-before-release = Votre organisation ne sera plus comptée parmi les signataires. Jusqu'à la publication de la lettre, vous pourrez signer à nouveau avec le même lien.
withdraw-field-title = Votre fonction ou titre
withdraw-yes = Oui, retirer notre signature
withdraw-no = Non, la maintenir

# Handing the request on to a colleague.
forward-page-title = La transmettre à { $email } ?
forward-heading = Transmettre cette demande à un ou une collègue ?
forward-will-email = Nous enverrons par e-mail un lien personnel permettant de répondre au nom de { $organization } à :
forward-own-link-stops = Votre propre lien cessera de fonctionner dès votre confirmation.
forward-yes = Oui, envoyer le lien à { $email }
forward-no = Non, modifier l'adresse
forwarded-page-title = Demande transmise
forwarded-on = Ce lien a été transmis le { $date } à votre collègue { $colleague }. Il ne fonctionne plus : votre collègue répond au nom de votre organisation avec son propre lien.
forwarded-write = Pour joindre l'équipe de coordination, écrivez à { $contact } ou répondez à l'e-mail d'invitation que vous avez reçu.
forwarded-reply = Pour joindre l'équipe de coordination, répondez à l'e-mail d'invitation que vous avez reçu.
forwarded-done = Nous avons envoyé à { $colleague } un lien personnel pour répondre au nom de votre organisation. Votre propre lien ne fonctionne plus. Merci.

# A sign link that is unknown, revoked or expired (all answer alike).
link-does-not-work = Ce lien de signature ne fonctionne pas. Il a peut-être été remplacé par un lien plus récent (consultez le dernier e-mail reçu de l'équipe de coordination), ou l'invitation a été retirée. Répondez à l'e-mail d'invitation : l'équipe de coordination vous aidera.
link-does-not-work-heading = Ce lien ne fonctionne pas
error-home = Aller à la page d'accueil
