# The emails partners receive: invitation, reminder, confirmation, re-approval, release notice.
# $title is the letter's title, $organization the partner's, $asking the coordinating
# organization's, $addressee whom the letter is addressed to; $version is a number.

email-greeting = Estimado/a { $name }:
email-thanks = Con nuestro agradecimiento,
email-footer-asking = Enviado en nombre de { $asking } con Undersigned. Si responde a este mensaje, su respuesta llegará a la coordinación.
email-footer = Enviado con Undersigned en nombre de la coordinación de la carta. Si responde a este mensaje, su respuesta llegará a la coordinación.
email-button-fallback = Si el botón no funciona, abra esta dirección:
email-masthead = Carta abierta
# The letter's title inside a sentence of the plain-text part.
email-quoted = «{ $title }»
email-answers-close = Plazo para responder: { $deadline }.

invitation-subject-asking = { $asking } invita a { $organization } a firmar conjuntamente: { $title }
invitation-subject = Invitación a firmar: { $title }
invitation-asks = { $asking } invita a { $organization } a firmar conjuntamente la carta abierta { $title }, dirigida a { $addressee }.
invitation-invited = Se invita a { $organization } a firmar conjuntamente la carta abierta { $title }, dirigida a { $addressee }.
invitation-forwarded = { $by } le ha transmitido esta solicitud para que usted responda en nombre de su organización.
invitation-answer-by = Le rogamos que responda a más tardar el { $deadline }.
invitation-answer-here = Lea la carta y responda aquí:
invitation-action = Leer la carta y responder
invitation-personal = Este enlace es exclusivo de su organización: le rogamos que no lo reenvíe (desde la página puede transmitir la solicitud a un o una colega). Puede firmar o declinar, y cambiar de opinión hasta que se publique la carta.

reminder-subject-asking = Recordatorio de { $asking }: { $title }
reminder-subject = Recordatorio: { $title }
reminder-body-asking = Un recordatorio de { $asking }: { $organization } aún no ha respondido a la invitación a firmar conjuntamente la carta { $title }, dirigida a { $addressee }.
reminder-body = Un recordatorio: { $organization } aún no ha respondido a la invitación a firmar conjuntamente la carta { $title }, dirigida a { $addressee }.
reminder-declining = Declinar también es una respuesta, y le evitará nuevos recordatorios.

confirmation-subject-signed = Su firma ha quedado registrada: { $title }
confirmation-subject-withdrawn = Su firma ha sido retirada: { $title }
confirmation-subject-declined = Su decisión de no firmar ha quedado registrada: { $title }
confirmation-signed-released = Gracias. { $organization } se ha sumado a la carta { $title }, que ya está publicada: figura en la página pública entre las adhesiones posteriores a la publicación, con la fecha de hoy. Recibirá el enlace público en un correo aparte.
confirmation-signed-released-next = Puede retirar la firma con el enlace que figura a continuación; en ese caso, la página pública mostraría la retirada entre sus cambios fechados.
confirmation-signed = Gracias. { $organization } consta como firmante de la carta { $title } (versión { $version } del texto).
confirmation-signed-next = Si el texto cambia de forma sustancial antes de la publicación, le pediremos que lo apruebe de nuevo. Puede retirar su firma hasta que se publique la carta.
confirmation-withdrawn-released = La firma de { $organization } se ha retirado de la carta { $title }, que ya está publicada: ya no figura en la lista, y la página pública muestra la retirada con la fecha de hoy.
confirmation-declined-released = Gracias por su respuesta. Consta que { $organization } no se suma a la carta { $title }, que ya está publicada.
confirmation-declined = Gracias por su respuesta. Consta que { $organization } no firma la carta { $title }.
confirmation-declined-next = Aún puede cambiar de opinión hasta que se publique la carta.
# $how says how the answer reached the coordinator ("from an email"), in the coordinator's words.
confirmation-recorded = { $by }, de la coordinación de la carta, registró esta respuesta en nombre de su organización, { $how }. Si no corresponde a lo que decidió su organización, corríjala directamente con el enlace que figura a continuación.
confirmation-change-here = Consulte o cambie su respuesta:
confirmation-action = Consultar o cambiar su respuesta

reapproval-subject-minor = Una pequeña corrección en el texto que usted firmó: { $title }
reapproval-subject-substantive = El texto ha cambiado; le rogamos que lo apruebe de nuevo: { $title }
reapproval-minor = El texto de la carta { $title }, firmada por { $organization }, ha recibido una pequeña corrección (ahora es la versión { $version }).
reapproval-minor-next = Su aprobación sigue siendo válida y se aplica al texto corregido. La página muestra lo que ha cambiado; aún puede cambiar su respuesta hasta que se publique la carta.
reapproval-substantive = El texto de la carta { $title }, firmada por { $organization }, ha cambiado de forma sustancial (ahora es la versión { $version }).
reapproval-substantive-next = Su aprobación anterior ya no es válida para el nuevo texto. Le rogamos que lea los cambios, que se muestran en la página, y que apruebe el nuevo texto o decline.
reapproval-answer-here = Vea los cambios y responda aquí:
reapproval-action = Ver los cambios y responder

release-subject = Publicada: { $title }
release-published-asking = { $asking } ha publicado la carta abierta { $title }, dirigida a { $addressee }; ya es pública, y { $organization } figura entre sus firmantes.
release-published = La carta abierta { $title }, dirigida a { $addressee }, ya es pública, y { $organization } figura entre sus firmantes.
release-read-here = Lea la carta publicada:
release-action = Leer la carta publicada
release-thanks = Gracias por su compromiso junto a la coalición.
