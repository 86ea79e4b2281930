# The published letter's page, in the language of the text it shows.
# $count, $organizations and $individuals are numbers; $date a day as the language writes it.

public-letters = Cartas publicadas
public-made-with = Publicado con Undersigned
public-languages = Idiomas de la carta
public-authoritative = texto auténtico
public-translation-note = Esta es una traducción. Idioma del texto auténtico: { $language }.
public-meta = Carta abierta · publicada el
public-list-updated = lista actualizada el { $date }
public-to = Dirigida a { $addressee }
public-coordinated-by = Coordinada por
public-press-contact = Contacto de prensa:
# The page's description for search engines and link previews.
public-description = Una carta abierta dirigida a { $addressee }, firmada por { $signed }.
public-signatories = Firmantes
public-signed-by = Firmada por { $signed }
public-organizations = { $organizations ->
    [one] { $organizations } organización
   *[other] { $organizations } organizaciones
}
public-organizations-and-individuals = { $organizations ->
    [one] { $organizations } organización
   *[other] { $organizations } organizaciones
} y { $individuals ->
    [one] { $individuals } persona
   *[other] { $individuals } personas
}
public-leads = Organizaciones promotoras
public-supporting = También firmada por
public-late = Adhesiones posteriores a la publicación
public-joined = se sumó el { $date }
public-approved-by = con la aprobación de { $name }
public-csv = Firmantes en CSV
public-xlsx = en Excel (XLSX)
public-json = Carta y lista en JSON
public-text = Texto sin formato
public-pdf = PDF
public-embed = Insertar en su sitio web
public-changes = Cambios desde la publicación
public-changes-explained = El texto no ha cambiado. La lista de firmantes sí:
public-revision = revisión { $revision }
public-verify = Compruebe que esta lista no ha sido alterada
public-verify-text = El SHA-256 del texto es { $sha256 }.
public-verify-translation = El SHA-256 de esta traducción es { $sha256 }; las firmas que siguen corresponden al texto auténtico.
public-verify-manifest = En el momento de la publicación, se firmó con la clave Ed25519 de esta instalación un manifiesto que indica el hash del texto y a cada firmante, en orden. El manifiesto (SHA-256 { $sha256 }) y su firma figuran en la exportación JSON:
public-verify-revisions = Cada cambio posterior es una nueva revisión con su propio manifiesto firmado, que remite al anterior, mientras que el original (SHA-256 { $sha256 }) se mantiene tal como se publicó:
public-verify-key = La clave pública:
public-verify-how = Verifique la firma sobre los bytes exactos del manifiesto con cualquier herramienta Ed25519.

# The plain-text and PDF forms of the letter.
public-text-to = Dirigida a { $addressee }
public-text-published = Publicada el { $date }
public-text-signatories = Firmantes:
public-text-joined = { $name } (se sumó después de la publicación, el { $date })
public-text-changes = Cambios desde la publicación:
public-text-sha256 = SHA-256 del texto: { $sha256 }
public-text-translation = Esta es una traducción; idioma del texto auténtico: { $language }, SHA-256 { $sha256 }.
pdf-supporting = Organizaciones adherentes
pdf-joined = se sumó el { $date }
pdf-as-they-stand = La carta y sus firmantes, en su estado actual:
pdf-page = Página { $page } de { $pages }
pdf-published = Carta abierta · publicada el { $date }
