# The sign page: what a partner reads and answers through their personal link.
# Arguments are names and titles as people typed them; $count and $version are numbers.

sign-page-title = { $title } — su respuesta
sign-asks = { $asking } invita a { $organization } a firmar conjuntamente
sign-invitation = Invitación a firmar conjuntamente una carta abierta
sign-languages = Idiomas de la carta
sign-language-unavailable = La carta no está disponible en el idioma solicitado; se muestra en su idioma original.
sign-to = Dirigida a:
sign-made-with = Enviado con Undersigned

sign-you-answer-for = Usted responde en nombre de { $organization }
sign-printed-as-lead = Si su organización firma, figurará como { $organization }, entre las organizaciones promotoras, al principio de la lista.
sign-printed-as-supporting = Si su organización firma, figurará como { $organization }, entre las organizaciones adherentes.
sign-latest-answer = Última respuesta:
sign-badge-signed = firma
sign-badge-declined = rechazo
sign-badge-withdrawn = retirada
sign-latest-signed = el { $when }, versión { $version } del texto — aprobada por { $name }, { $title }, en nombre de { $organization }.
sign-latest-other = el { $when }, versión { $version } del texto — por { $name }.
sign-latest-other-titled = el { $when }, versión { $version } del texto — por { $name }, { $title }.
sign-not-answered = Su organización aún no ha respondido.

sign-changed-heading = El texto ha cambiado desde que usted firmó la versión { $version }
sign-changed-minor = Se trató de una corrección menor: su aprobación sigue siendo válida para el texto actual.
sign-changed-substantive = Su aprobación anterior no es válida para el nuevo texto.
sign-changed-read-again = Le rogamos que lea los cambios y responda de nuevo.

sign-text-heading = La carta en su estado actual (versión { $version })
sign-text-heading-translation = La carta — { $language } (traducción { $translation }, correspondiente a la versión { $version } del original)
sign-text-sha256 = SHA-256 de este texto: { $sha256 }

sign-already-signed = Ya han firmado
sign-more-signatories = Organizaciones mostradas (las primeras por orden alfabético): { $count }. Otras organizaciones también han firmado; la lista completa se publica con la carta.

sign-answer-heading = Su respuesta
sign-question = ¿Firma { $organization } esta carta?
sign-choice-sign = Sí, firmamos la versión { $version } del texto
sign-choice-decline = No, declinamos firmar
sign-field-name = Su nombre
sign-field-title = Su cargo o función (obligatorio para firmar; opcional para declinar)
sign-field-organization = El nombre de su organización, tal como debe figurar
sign-field-comment = Una nota para la coordinación (opcional)
sign-send = Enviar nuestra respuesta
sign-change-until-release = Puede cambiar su respuesta con el mismo enlace hasta que se publique la carta.

sign-withdraw-heading = Retirar su firma
sign-withdraw-button = Retirar nuestra firma…
sign-withdraw-confirm-next = Se le pedirá confirmación en la página siguiente.

sign-forward-summary = ¿Debe aprobarlo otra persona? Transmita esta solicitud a un o una colega
sign-forward-explained = Su colega recibirá su propio enlace por correo electrónico, y el de usted dejará de funcionar. Verá de nuevo la dirección antes de que se transfiera el enlace.
sign-forward-email = Correo electrónico de su colega
sign-forward-name = Nombre de su colega (opcional)
sign-forward-check = Comprobar la dirección

sign-history-heading = Respuestas de su organización
sign-history-entry = { $when }: { $decision } (versión { $version }) por { $name }
sign-history-entry-titled = { $when }: { $decision } (versión { $version }) por { $name }, { $title }
sign-decision-sign = firma
sign-decision-decline = rechazo
sign-decision-withdraw = retirada

# The box at the top of the page: where the letter stands.
state-open = Abierta a respuestas
state-open-deadline = Plazo para responder: { $deadline }.
state-open-no-deadline = No hay plazo para responder.
state-scheduled = Publicación programada
state-scheduled-on = La carta se publicará el { $release }.
state-scheduled-until = Cierre de las respuestas: { $until }. Hasta entonces, aún puede firmar, declinar o cambiar su respuesta.
state-scheduled-until-release = en el momento de la publicación
state-frozen = Publicación programada, lista cerrada
state-frozen-explained = La lista de firmantes está cerrada: las respuestas ya no pueden cambiar.
state-published = Publicada el { $date }
state-listed = Su organización figura entre sus firmantes.
state-not-listed = Su organización no figura entre sus firmantes.
state-read-it = Léala aquí
state-deadline-passed = Plazo vencido
state-deadline-passed-on = Las respuestas se cerraron el { $deadline }.
state-closed = Cerrada a respuestas
state-closed-explained = La coordinación ha cerrado esta carta a nuevas respuestas.

# What the page says once an answer is recorded.
answer-signed = Gracias: la firma de su organización ha quedado registrada. Recibirá una confirmación por correo electrónico.
answer-declined = Gracias: ha quedado registrada la decisión de su organización de no firmar.
answer-withdrawn = La firma de su organización ha sido retirada.

# Why an answer was not recorded, beside the field concerned (languages other than English;
# English shows the precise reason).
error-decision = Indique si su organización firma o declina.
error-signer_name = Indique su nombre, en una sola línea, con un máximo de 200 caracteres.
error-signer_title = Indique su cargo o función, en una sola línea, con un máximo de 200 caracteres.
error-organization_display_name = Indique el nombre de su organización, en una sola línea, con un máximo de 300 caracteres.
error-comment = La nota puede tener como máximo 2000 caracteres.
error-colleague_email = Indique la dirección de correo electrónico de su colega (no la suya).
error-colleague_name = Indique el nombre de su colega, en una sola línea, con un máximo de 200 caracteres.
error-not-recorded = Su respuesta no se registró. La página muestra ahora la carta en su estado actual: le rogamos que la revise y responda de nuevo.

# Withdrawing a signature, asked again on a page of its own.
withdraw-page-title = ¿Retirar la firma? — { $title }
withdraw-heading = ¿Retirar la firma de { $organization }?
withdraw-from = Carta: { $title }.
withdraw-released = La carta ya está publicada: su página pública mostrará la retirada, con fecha, en su lista de cambios. Esto no podrá deshacerse firmando de nuevo, salvo que la carta acepte firmas tardías.
withdraw-before-release = Su organización dejará de contarse entre los firmantes. Hasta que se publique la carta, podrá volver a firmar con el mismo enlace.
withdraw-field-title = Su cargo o función
withdraw-yes = Sí, retirar nuestra firma
withdraw-no = No, mantenerla

# Handing the request on to a colleague.
forward-page-title = ¿Transmitirla a { $email }?
forward-heading = ¿Transmitir esta solicitud a un o una colega?
forward-will-email = Enviaremos por correo electrónico un enlace personal para responder en nombre de { $organization } a:
forward-own-link-stops = Su propio enlace dejará de funcionar en cuanto confirme.
forward-yes = Sí, enviar el enlace a { $email }
forward-no = No, cambiar la dirección
forwarded-page-title = Solicitud transmitida
forwarded-on = Este enlace se transmitió el { $date } a su colega { $colleague }. Ya no funciona: su colega responde en nombre de su organización con su propio enlace.
forwarded-write = Para comunicarse con la coordinación, escriba a { $contact } o responda al correo de invitación que recibió.
forwarded-reply = Para comunicarse con la coordinación, responda al correo de invitación que recibió.
forwarded-done = Hemos enviado a { $colleague } un enlace personal para responder en nombre de su organización. Su propio enlace ya no funciona. Gracias.

# A sign link that is unknown, revoked or expired (all answer alike).
link-does-not-work = Este enlace de firma no funciona. Puede que se haya sustituido por uno más reciente (consulte el último correo que recibió de la coordinación) o que se haya retirado la invitación. Responda al correo de invitación y la coordinación le ayudará.
link-does-not-work-heading = Este enlace no funciona
error-home = Ir a la página de inicio
