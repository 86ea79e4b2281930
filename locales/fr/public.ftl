# The published letter's page, in the language of the text it shows.
# $count, $organizations and $individuals are numbers; $date a day as the language writes it.

public-letters = Lettres publiées
public-made-with = Publié avec Undersigned
public-languages = Langues de la lettre
public-authoritative = texte faisant foi
public-translation-note = Ceci est une traduction. Langue du texte faisant foi : { $language }.
public-meta = Lettre ouverte · publiée le
public-list-updated = liste mise à jour le { $date }
public-to = Destinataire : { $addressee }
public-coordinated-by = Coordination :
public-press-contact = Contact presse :
# The page's description for search engines and link previews.
public-description = Une lettre ouverte adressée à { $addressee }, signée par { $signed }.
public-signatories = Signataires
public-signed-by = Signée par { $signed }
public-organizations = { $organizations ->
    [one] { $organizations } organisation
   *[other] { $organizations } organisations
}
public-organizations-and-individuals = { $organizations ->
    [one] { $organizations } organisation
   *[other] { $organizations } organisations
} et { $individuals ->
    [one] { $individuals } personne
   *[other] { $individuals } personnes
}
public-leads = Organisations chefs de file
public-supporting = Également signée par
public-late = Signatures ajoutées après la publication
public-joined = a rejoint le { $date }
public-approved-by = avec l'accord de { $name }
public-csv = Signataires au format CSV
public-xlsx = au format Excel (XLSX)
public-json = Lettre et liste au format JSON
public-text = Texte brut
public-pdf = PDF
public-embed = Intégrer à votre site web
public-changes = Modifications depuis la publication
public-changes-explained = Le texte n'a pas changé. La liste des signataires, elle, a changé :
public-revision = révision { $revision }
public-verify = Vérifier que cette liste n'a pas été modifiée
public-verify-text = L'empreinte SHA-256 du texte est { $sha256 }.
public-verify-translation = L'empreinte SHA-256 de cette traduction est { $sha256 } ; les signatures ci-dessous portent sur le texte faisant foi.
public-verify-manifest = Lors de la publication, un manifeste indiquant l'empreinte du texte et chaque signataire, dans l'ordre, a été signé avec la clé Ed25519 de cette installation. Le manifeste (SHA-256 { $sha256 }) et sa signature figurent dans l'export JSON :
public-verify-revisions = Chaque modification ultérieure constitue une nouvelle révision, avec son propre manifeste signé qui désigne le précédent, tandis que l'original (SHA-256 { $sha256 }) reste tel qu'il a été publié :
public-verify-key = La clé publique :
public-verify-how = Vérifiez la signature sur les octets exacts du manifeste avec n'importe quel outil Ed25519.

# The plain-text and PDF forms of the letter.
public-text-to = Destinataire : { $addressee }
public-text-published = Publiée le { $date }
public-text-signatories = Signataires :
public-text-joined = { $name } (a rejoint la lettre après sa publication, le { $date })
public-text-changes = Modifications depuis la publication :
public-text-sha256 = Empreinte SHA-256 du texte : { $sha256 }
public-text-translation = Ceci est une traduction ; langue du texte faisant foi : { $language }, SHA-256 { $sha256 }.
pdf-supporting = Autres organisations signataires
pdf-joined = a rejoint le { $date }
pdf-as-they-stand = La lettre et ses signataires, à jour :
pdf-page = Page { $page } sur { $pages }
pdf-published = Lettre ouverte · publiée le { $date }
