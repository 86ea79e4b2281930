# The sign page: what a partner reads and answers through their personal link.
# Arguments are names and titles as people typed them; $count and $version are numbers.

sign-page-title = { $title } — ردّكم
sign-asks = دعوة من { $asking } إلى { $organization } للمشاركة في التوقيع
sign-invitation = دعوة إلى المشاركة في توقيع رسالة مفتوحة
sign-languages = لغات الرسالة
sign-language-unavailable = الرسالة غير متاحة باللغة المطلوبة؛ لذا تُعرض بلغتها الأصلية.
sign-to = موجّهة إلى
sign-made-with = أُرسلت باستخدام Undersigned

sign-you-answer-for = تردّون باسم { $organization }
sign-printed-as-lead = إذا وقّعت منظمتكم، فسيُدرج اسمها بصيغة { $organization } ضمن المنظمات الرئيسية، في صدارة القائمة.
sign-printed-as-supporting = إذا وقّعت منظمتكم، فسيُدرج اسمها بصيغة { $organization } ضمن المنظمات المؤيِّدة.
sign-latest-answer = آخر ردّ:
sign-badge-signed = توقيع
sign-badge-declined = اعتذار
sign-badge-withdrawn = سحب التوقيع
sign-latest-signed = في { $when }، على النسخة { $version } من النص — بموافقة { $name }، { $title }، باسم { $organization }.
sign-latest-other = في { $when }، على النسخة { $version } من النص — بواسطة { $name }.
sign-latest-other-titled = في { $when }، على النسخة { $version } من النص — بواسطة { $name }، { $title }.
sign-not-answered = لم تردّ منظمتكم بعد.

sign-changed-heading = تغيّر النص منذ أن وقّعتم على النسخة { $version }
sign-changed-minor = كان التغيير تصحيحًا طفيفًا: تبقى موافقتكم سارية على النص الحالي.
sign-changed-substantive = لا تُحتسب موافقتكم السابقة للنص الجديد.
sign-changed-read-again = يُرجى قراءة التغييرات والرد مجددًا.

sign-text-heading = الرسالة بصيغتها الحالية (النسخة { $version })
sign-text-heading-translation = الرسالة — { $language } (الترجمة رقم { $translation }، المطابقة للنسخة { $version } من النص الأصلي)
sign-text-sha256 = بصمة SHA-256 لهذا النص: { $sha256 }

sign-already-signed = الموقّعون حتى الآن
sign-more-signatories = المنظمات المعروضة هنا (الأولى حسب الترتيب الأبجدي): { $count }. وقد وقّعت منظمات أخرى أيضًا؛ وتُنشر القائمة الكاملة مع الرسالة.

sign-answer-heading = ردّكم
sign-question = هل توقّعون على هذه الرسالة باسم { $organization }؟
sign-choice-sign = نعم، نوقّع على النسخة { $version } من النص
sign-choice-decline = لا، نعتذر عن التوقيع
sign-field-name = اسمكم
sign-field-title = صفتكم أو منصبكم (مطلوب للتوقيع، واختياري عند الاعتذار)
sign-field-organization = اسم منظمتكم كما يجب أن يُنشر
sign-field-comment = ملاحظة لفريق التنسيق (اختياري)
sign-send = إرسال ردّنا
sign-change-until-release = يمكنكم تغيير ردّكم باستخدام الرابط نفسه حتى نشر الرسالة.

sign-withdraw-heading = سحب توقيعكم
sign-withdraw-button = سحب توقيعنا…
sign-withdraw-confirm-next = سيُطلب منكم التأكيد في الصفحة التالية.

sign-forward-summary = هل يجب أن يوافق شخص آخر؟ أحيلوا هذا الطلب إلى زميل أو زميلة
sign-forward-explained = سيتلقى زميلكم رابطًا خاصًا به عبر البريد الإلكتروني، وسيتوقف رابطكم عن العمل. وسترون العنوان مرة أخرى قبل نقل الرابط.
sign-forward-email = عنوان البريد الإلكتروني لزميلكم
sign-forward-name = اسم زميلكم (اختياري)
sign-forward-check = التحقق من العنوان

sign-history-heading = ردود منظمتكم
sign-history-entry = { $when }: { $decision } (النسخة { $version }) بواسطة { $name }
sign-history-entry-titled = { $when }: { $decision } (النسخة { $version }) بواسطة { $name }، { $title }
sign-decision-sign = توقيع
sign-decision-decline = اعتذار عن التوقيع
sign-decision-withdraw = سحب التوقيع

# The box at the top of the page: where the letter stands.
state-open = مفتوحة لتلقّي الردود
state-open-deadline = الموعد النهائي للردود: { $deadline }.
state-open-no-deadline = لا يوجد موعد نهائي للردود.
state-scheduled = النشر مجدول
state-scheduled-on = ستُنشر الرسالة في { $release }.
state-scheduled-until = موعد إغلاق الردود: { $until }. وحتى ذلك الحين، لا يزال بإمكانكم التوقيع أو الاعتذار أو تغيير ردّكم.
state-scheduled-until-release = عند النشر
state-frozen = النشر مجدول، والقائمة مجمّدة
state-frozen-explained = قائمة الموقّعين مجمّدة: لم يعد من الممكن تغيير الردود.
state-published = نُشرت في { $date }
state-listed = منظمتكم مدرجة ضمن الموقّعين عليها.
state-not-listed = منظمتكم غير مدرجة ضمن الموقّعين عليها.
state-read-it = اقرؤوها هنا
state-deadline-passed = انقضى الموعد النهائي
state-deadline-passed-on = أُغلق باب الردود في { $deadline }.
state-closed = مغلقة أمام الردود
state-closed-explained = أغلق فريق التنسيق باب الردود على هذه الرسالة.

# What the page says once an answer is recorded.
answer-signed = شكرًا لكم: سُجّل توقيع منظمتكم. وستصلكم رسالة تأكيد عبر البريد الإلكتروني.
answer-declined = شكرًا لكم: سُجّل قرار منظمتكم بعدم التوقيع.
answer-withdrawn = سُحب توقيع منظمتكم.

# Why an answer was not recorded, beside the field concerned (languages other than English;
# English shows the precise reason).
error-decision = اختاروا ما إذا كانت منظمتكم توقّع أو تعتذر عن التوقيع.
error-signer_name = اكتبوا اسمكم في سطر واحد، بحد أقصى 200 حرف.
error-signer_title = اكتبوا صفتكم أو منصبكم في سطر واحد، بحد أقصى 200 حرف.
error-organization_display_name = اكتبوا اسم منظمتكم في سطر واحد، بحد أقصى 300 حرف.
error-comment = يجب ألا تتجاوز الملاحظة 2000 حرف.
error-colleague_email = اكتبوا عنوان البريد الإلكتروني لزميلكم (لا عنوانكم أنتم).
error-colleague_name = اكتبوا اسم زميلكم في سطر واحد، بحد أقصى 200 حرف.
error-not-recorded = لم يُسجَّل ردّكم. تعرض الصفحة الآن الرسالة بصيغتها الحالية: يُرجى مراجعتها والرد مجددًا.

# Withdrawing a signature, asked again on a page of its own.
withdraw-page-title = سحب التوقيع؟ — { $title }
withdraw-heading = هل تريدون سحب توقيع { $organization }؟
withdraw-from = من الرسالة { $title }.
withdraw-released = الرسالة منشورة بالفعل: ستعرض صفحتها العامة السحب، مؤرَّخًا، في قائمة التغييرات. ولا يمكن التراجع عن ذلك بالتوقيع مجددًا إلا إذا كانت الرسالة تقبل التوقيعات المتأخرة.
withdraw-before-release = لن تُحتسب منظمتكم بعد الآن ضمن الموقّعين. ويمكنكم التوقيع مجددًا باستخدام الرابط نفسه حتى نشر الرسالة.
withdraw-field-title = صفتكم أو منصبكم
withdraw-yes = نعم، سحب توقيعنا
withdraw-no = لا، الإبقاء عليه

# Handing the request on to a colleague.
forward-page-title = هل تريدون إحالة الطلب إلى { $email }؟
forward-heading = هل تريدون إحالة هذا الطلب إلى زميل أو زميلة؟
forward-will-email = سنرسل عبر البريد الإلكتروني رابطًا شخصيًا للرد باسم { $organization } إلى:
forward-own-link-stops = سيتوقف رابطكم عن العمل فور تأكيدكم.
forward-yes = نعم، إرسال الرابط إلى { $email }
forward-no = لا، تغيير العنوان
forwarded-page-title = تمت الإحالة
forwarded-on = أُحيل هذا الرابط في { $date } إلى زميلكم { $colleague }. ولم يعد يعمل: يردّ زميلكم باسم منظمتكم برابط خاص به.
forwarded-write = للتواصل مع فريق التنسيق، اكتبوا إلى { $contact } أو ردّوا على رسالة الدعوة التي تلقيتموها عبر البريد الإلكتروني.
forwarded-reply = للتواصل مع فريق التنسيق، ردّوا على رسالة الدعوة التي تلقيتموها عبر البريد الإلكتروني.
forwarded-done = أرسلنا إلى { $colleague } عبر البريد الإلكتروني رابطًا شخصيًا للرد باسم منظمتكم. ولم يعد رابطكم يعمل. شكرًا لكم.

# A sign link that is unknown, revoked or expired (all answer alike).
link-does-not-work = رابط التوقيع هذا لا يعمل. ربما استُبدل برابط أحدث (راجعوا أحدث رسالة بريد إلكتروني من فريق التنسيق)، أو سُحبت الدعوة. ردّوا على رسالة الدعوة وسيساعدكم فريق التنسيق.
link-does-not-work-heading = هذا الرابط لا يعمل
error-home = الانتقال إلى الصفحة الرئيسية
