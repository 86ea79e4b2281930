# The published letter's page, in the language of the text it shows.
# $count, $organizations and $individuals are numbers; $date a day as the language writes it.

public-letters = الرسائل المنشورة
public-made-with = نُشرت باستخدام Undersigned
public-languages = لغات الرسالة
public-authoritative = النص المعتمد
public-translation-note = هذه ترجمة. لغة النص المعتمد: { $language }.
public-meta = رسالة مفتوحة · نُشرت في
public-list-updated = حُدّثت القائمة في { $date }
public-to = إلى { $addressee }
public-coordinated-by = بتنسيق من
public-press-contact = للتواصل الإعلامي:
# The page's description for search engines and link previews.
public-description = رسالة مفتوحة إلى { $addressee }، موقّعة من { $signed }.
public-signatories = الموقّعون
public-signed-by = الموقّعون: { $signed }
public-organizations = { $organizations ->
    [zero] { $organizations } منظمة
    [one] منظمة واحدة
    [two] منظمتان
    [few] { $organizations } منظمات
    [many] { $organizations } منظمة
   *[other] { $organizations } منظمة
}
public-organizations-and-individuals = { $organizations ->
    [zero] { $organizations } منظمة
    [one] منظمة واحدة
    [two] منظمتان
    [few] { $organizations } منظمات
    [many] { $organizations } منظمة
   *[other] { $organizations } منظمة
} و{ $individuals ->
    [zero] { $individuals } فرد
    [one] فرد واحد
    [two] فردان
    [few] { $individuals } أفراد
    [many] { $individuals } فردًا
   *[other] { $individuals } فرد
}
public-leads = المنظمات الرئيسية
public-supporting = كما وقّع عليها
public-late = الموقّعون بعد النشر
public-joined = تاريخ الانضمام: { $date }
public-approved-by = بموافقة { $name }
public-csv = الموقّعون بصيغة CSV
public-xlsx = بصيغة Excel (XLSX)
public-json = الرسالة والقائمة بصيغة JSON
public-text = نص عادي
public-pdf = PDF
public-embed = التضمين في موقعكم الإلكتروني
public-changes = التغييرات منذ النشر
public-changes-explained = لم يتغيّر النص، أما قائمة الموقّعين فقد تغيّرت:
public-revision = المراجعة رقم { $revision }
public-verify = تحقّقوا من أن هذه القائمة لم تُعدَّل
public-verify-text = بصمة SHA-256 للنص هي { $sha256 }.
public-verify-translation = بصمة SHA-256 لهذه الترجمة هي { $sha256 }؛ والتوقيعات أدناه تشمل النص المعتمد.
public-verify-manifest = عند النشر، وُقّع ملف بيان (manifest) يتضمن بصمة النص وجميع الموقّعين بالترتيب، باستخدام مفتاح Ed25519 الخاص بهذا الموقع. ويوجد ملف البيان (SHA-256 { $sha256 }) وتوقيعه في ملف التصدير بصيغة JSON:
public-verify-revisions = وكل تغيير منذ ذلك الحين هو مراجعة جديدة لها ملف بيان موقّع خاص بها يشير إلى الملف السابق، بينما يبقى الأصل (SHA-256 { $sha256 }) كما نُشر:
public-verify-key = المفتاح العام:
public-verify-how = تحقّقوا من التوقيع على البايتات الدقيقة لملف البيان باستخدام أي أداة Ed25519.

# The plain-text and PDF forms of the letter.
public-text-to = إلى { $addressee }
public-text-published = نُشرت في { $date }
public-text-signatories = الموقّعون:
public-text-joined = { $name } (توقيع لاحق للنشر، بتاريخ { $date })
public-text-changes = التغييرات منذ النشر:
public-text-sha256 = بصمة SHA-256 للنص: { $sha256 }
public-text-translation = هذه ترجمة؛ لغة النص المعتمد: { $language }، وبصمته SHA-256 هي { $sha256 }.
pdf-supporting = المنظمات المؤيِّدة
pdf-joined = تاريخ الانضمام: { $date }
pdf-as-they-stand = الرسالة وقائمة الموقّعين عليها كما هي الآن:
pdf-page = الصفحة { $page } من { $pages }
pdf-published = رسالة مفتوحة · نُشرت في { $date }
