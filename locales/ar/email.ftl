# The emails partners receive: invitation, reminder, confirmation, re-approval, release notice.
# $title is the letter's title, $organization the partner's, $asking the coordinating
# organization's, $addressee whom the letter is addressed to; $version is a number.

email-greeting = حضرة { $name } المحترم/ة،
email-thanks = مع الشكر والتقدير،
email-footer-asking = أُرسل نيابةً عن { $asking } باستخدام Undersigned. يصل ردّكم على هذا البريد الإلكتروني إلى فريق التنسيق.
email-footer = أُرسل باستخدام Undersigned نيابةً عن فريق تنسيق الرسالة. يصل ردّكم على هذا البريد الإلكتروني إلى فريق التنسيق.
email-button-fallback = إذا لم يعمل الزر، فافتحوا هذا العنوان:
email-masthead = رسالة مفتوحة
# The letter's title inside a sentence of the plain-text part.
email-quoted = «{ $title }»
email-answers-close = الموعد النهائي للردود: { $deadline }.

invitation-subject-asking = دعوة من { $asking } إلى { $organization } للمشاركة في التوقيع: { $title }
invitation-subject = دعوة إلى التوقيع: { $title }
invitation-asks = توجّه { $asking } الدعوة إلى { $organization } للمشاركة في توقيع الرسالة المفتوحة { $title }، الموجّهة إلى { $addressee }.
invitation-invited = ندعو { $organization } إلى المشاركة في توقيع الرسالة المفتوحة { $title }، الموجّهة إلى { $addressee }.
invitation-forwarded = أُحيل إليكم هذا الطلب من قِبَل { $by } للرد باسم منظمتكم.
invitation-answer-by = يُرجى الرد في موعد أقصاه { $deadline }.
invitation-answer-here = اقرؤوا الرسالة وردّوا من هنا:
invitation-action = قراءة الرسالة والرد
invitation-personal = هذا الرابط خاص بمنظمتكم: يُرجى عدم إعادة توجيهه (تتيح لكم الصفحة إحالة الطلب إلى زميل أو زميلة). يمكنكم التوقيع أو الاعتذار، وتغيير رأيكم حتى نشر الرسالة.

reminder-subject-asking = تذكير من { $asking }: { $title }
reminder-subject = تذكير: { $title }
reminder-body-asking = تذكير من { $asking }: لم تردّ { $organization } بعد على الدعوة إلى المشاركة في توقيع الرسالة { $title }، الموجّهة إلى { $addressee }.
reminder-body = تذكير: لم تردّ { $organization } بعد على الدعوة إلى المشاركة في توقيع الرسالة { $title }، الموجّهة إلى { $addressee }.
reminder-declining = الاعتذار عن التوقيع ردٌّ أيضًا، ويعفيكم من تلقّي مزيد من التذكيرات.

confirmation-subject-signed = سُجّل توقيعكم: { $title }
confirmation-subject-withdrawn = سُحب توقيعكم: { $title }
confirmation-subject-declined = سُجّل قراركم بعدم التوقيع: { $title }
confirmation-signed-released = شكرًا لكم. انضمت { $organization } إلى الرسالة { $title }، المنشورة بالفعل: وهي مدرجة في الصفحة العامة ضمن الموقّعين بعد النشر، بتاريخ اليوم. وستصلكم رسالة بريد إلكتروني منفصلة تتضمن الرابط العام.
confirmation-signed-released-next = يمكنكم سحب التوقيع باستخدام الرابط أدناه؛ وفي هذه الحالة ستعرض الصفحة العامة السحب ضمن تغييراتها المؤرّخة.
confirmation-signed = شكرًا لكم. سُجّلت { $organization } ضمن الموقّعين على الرسالة { $title } (النسخة { $version } من النص).
confirmation-signed-next = إذا تغيّر النص تغييرًا جوهريًا قبل النشر، فسنطلب منكم الموافقة عليه مجددًا. ويمكنكم سحب توقيعكم حتى نشر الرسالة.
confirmation-withdrawn-released = سُحب توقيع { $organization } من الرسالة { $title }، المنشورة بالفعل: لم تعد مدرجة في القائمة، وتعرض الصفحة العامة السحب بتاريخ اليوم.
confirmation-declined-released = شكرًا على ردّكم. سُجّل أن { $organization } لن تنضم إلى الرسالة { $title }، المنشورة بالفعل.
confirmation-declined = شكرًا على ردّكم. سُجّل أن { $organization } لن توقّع على الرسالة { $title }.
confirmation-declined-next = لا يزال بإمكانكم تغيير رأيكم حتى نشر الرسالة.
# $how says how the answer reached the coordinator ("from an email"), in the coordinator's words.
confirmation-recorded = سُجّل هذا الرد نيابةً عن منظمتكم من قِبَل { $by }، من فريق تنسيق الرسالة، { $how }. إذا لم يكن مطابقًا لما قررته منظمتكم، فصحّحوه بأنفسكم باستخدام الرابط أدناه.
confirmation-change-here = الاطلاع على ردّكم أو تغييره:
confirmation-action = الاطلاع على ردّكم أو تغييره

reapproval-subject-minor = تصحيح طفيف في النص الذي وقّعتم عليه: { $title }
reapproval-subject-substantive = تغيّر النص، يُرجى الموافقة عليه مجددًا: { $title }
reapproval-minor = أُجري تصحيح طفيف على نص الرسالة { $title }، التي وقّعت عليها { $organization } (وهو الآن النسخة { $version }).
reapproval-minor-next = تبقى موافقتكم سارية وتنطبق على النص المصحَّح. تعرض الصفحة ما تغيّر؛ ولا يزال بإمكانكم تغيير ردّكم حتى نشر الرسالة.
reapproval-substantive = تغيّر نص الرسالة { $title }، التي وقّعت عليها { $organization }، تغييرًا جوهريًا (وهو الآن النسخة { $version }).
reapproval-substantive-next = لم تعد موافقتكم السابقة سارية على النص الجديد. يُرجى قراءة التغييرات المعروضة في الصفحة، ثم الموافقة على النص الجديد أو الاعتذار عن التوقيع.
reapproval-answer-here = اطّلعوا على التغييرات وردّوا من هنا:
reapproval-action = الاطلاع على التغييرات والرد

release-subject = نُشرت: { $title }
release-published-asking = نشرت { $asking } الرسالة المفتوحة { $title }، الموجّهة إلى { $addressee }؛ وقد أصبحت علنية، و{ $organization } من بين الموقّعين عليها.
release-published = أصبحت الرسالة المفتوحة { $title }، الموجّهة إلى { $addressee }، علنية الآن، و{ $organization } من بين الموقّعين عليها.
release-read-here = اقرؤوا الرسالة المنشورة:
release-action = قراءة الرسالة المنشورة
release-thanks = شكرًا لوقوفكم إلى جانب التحالف.
