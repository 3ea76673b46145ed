"""Fixed texts of the printed consent form, per family language.

Swedish is the authoritative text. The other languages are working translations that
must be reviewed by an authorised translator before production use.
"""

SECTOR_NAMES = {
    "sv": {"health": "Hälso- och sjukvård", "school": "Förskola/skola", "social": "Socialtjänst"},
    "en": {"health": "Health care", "school": "Preschool/school", "social": "Social services"},
    "ar": {"health": "الرعاية الصحية", "school": "الروضة/المدرسة", "social": "الخدمات الاجتماعية"},
    "so": {
        "health": "Daryeelka caafimaadka",
        "school": "Xanaanada/dugsiga",
        "social": "Adeegyada bulshada",
    },
    "ti": {"health": "ክንክን ጥዕና", "school": "ቅድመ-ትምህርቲ/ቤት ትምህርቲ", "social": "ማሕበራዊ ኣገልግሎት"},
    "fa": {
        "health": "خدمات بهداشتی و درمانی",
        "school": "پیش‌دبستانی/مدرسه",
        "social": "خدمات اجتماعی",
    },
    "fi": {"health": "Terveydenhuolto", "school": "Esikoulu/koulu", "social": "Sosiaalipalvelut"},
}

TEXTS = {
    "sv": {
        "title": "Samtycke till samverkan (HLT)",
        "child": "Barnets namn och födelsedatum",
        "purpose": "Förskola/skola, hälso- och sjukvård och socialtjänst arbetar tillsammans i HLT-teamet "
        "för att ge barn och familjer tidigt och samordnat stöd. Med ditt samtycke får de "
        "verksamheter som anges nedan lämna och ta emot information om barnet med varandra, "
        "bara för detta syfte.",
        "scope": "Dessa verksamheter får dela information med varandra",
        "voluntary": "Samtycket är frivilligt. Du kan när som helst återkalla det, muntligt eller "
        "skriftligt, till kontaktpersonen. Att återkalla samtycket får inga negativa följder för det stöd familjen annars har rätt till.",
        "custody": "Vid gemensam vårdnad ska båda vårdnadshavarna skriva under. Barnets åsikt "
        "ska få betydelse efter ålder och mognad.",
        "valid_until": "Samtycket gäller till och med",
        "valid_default": "Samtycket gäller tills ärendet avslutas, dock längst ett år.",
        # With CONSENT_MAX_MONTHS other than 12 (consent.documents).
        "valid_months": "Samtycket gäller tills ärendet avslutas, dock längst {months} månader.",
        "contact": "Kontaktperson",
        "guardian": "Vårdnadshavare",
        "child_signature": "Barnet",
        "signature": "Underskrift",
        "name": "Namnförtydligande",
        "date": "Datum",
    },
    "en": {
        "title": "Consent to cooperation (HLT)",
        "child": "The child's name and date of birth",
        "purpose": "School, health care and social services work together in the HLT team to "
        "give children and families early, coordinated support. With your consent, the "
        "services named below may give and receive information about the child with each "
        "other, for this purpose only.",
        "scope": "These services may share information with each other",
        "voluntary": "Consent is voluntary. You can withdraw it at any time, orally or in "
        "writing, to the contact person. Withdrawing it has no negative consequences for "
        "the support the family is otherwise entitled to.",
        "custody": "With joint custody both guardians sign. The child's view counts according "
        "to age and maturity.",
        "valid_until": "The consent is valid until",
        "valid_default": "The consent is valid until the case is closed, at most one year.",
        # With CONSENT_MAX_MONTHS other than 12 (consent.documents).
        "valid_months": "The consent is valid until the case is closed, at most {months} months.",
        "contact": "Contact person",
        "guardian": "Guardian",
        "child_signature": "The child",
        "signature": "Signature",
        "name": "Name in block letters",
        "date": "Date",
    },
    "ar": {
        "title": "الموافقة على التعاون (HLT)",
        "child": "اسم الطفل وتاريخ ميلاده",
        "purpose": "تعمل المدرسة والرعاية الصحية والخدمات الاجتماعية معًا في فريق HLT لتقديم دعم "
        "مبكر ومنسق للأطفال والأسر. بموافقتك يجوز للجهات المذكورة أدناه تبادل المعلومات عن الطفل "
        "فيما بينها، لهذا الغرض فقط.",
        "scope": "يجوز لهذه الجهات تبادل المعلومات فيما بينها",
        "voluntary": "الموافقة طوعية. يمكنك سحبها في أي وقت، شفهيًا أو كتابيًا، لدى الشخص المسؤول "
        "عن التواصل. ولا يؤثر ذلك على الدعم الذي يحق للأسرة الحصول عليه.",
        "custody": "في حالة الحضانة المشتركة يوقّع كلا الوليين. ويؤخذ رأي الطفل بعين الاعتبار حسب "
        "عمره ونضجه.",
        "valid_until": "تسري الموافقة حتى",
        "valid_default": "تسري الموافقة حتى إغلاق الملف، لمدة أقصاها سنة واحدة.",
        # With CONSENT_MAX_MONTHS other than 12 (consent.documents).
        "valid_months": "تسري الموافقة حتى إغلاق الملف، لمدة أقصاها {months} شهرًا.",
        "contact": "الشخص المسؤول عن التواصل",
        "guardian": "ولي الأمر",
        "child_signature": "الطفل",
        "signature": "التوقيع",
        "name": "الاسم بخط واضح",
        "date": "التاريخ",
    },
    "so": {
        "title": "Oggolaansho iskaashi (HLT)",
        "child": "Magaca ilmaha iyo taariikhda dhalashada",
        "purpose": "Dugsiga, daryeelka caafimaadka iyo adeegyada bulshada waxay ka wada shaqeeyaan "
        "kooxda HLT si ay carruurta iyo qoysaska u siiyaan taageero hore oo isku duwan. "
        "Oggolaanshahaaga, adeegyada hoos ku qoran waxay isweydaarsan karaan macluumaad ku "
        "saabsan ilmaha, ujeeddadan oo keliya.",
        "scope": "Adeegyadan waxay isweydaarsan karaan macluumaad",
        "voluntary": "Oggolaanshuhu waa ikhtiyaari. Waad ka noqon kartaa wakhti kasta, af ahaan ama "
        "qoraal ahaan, adiga oo u sheegaya qofka xiriirka. Taasi ma saameyso taageerada qoysku "
        "xaqa u leeyahay.",
        "custody": "Haddii xannaanadu wadaag tahay, labada waalid ayaa saxiixa. Fikradda ilmaha "
        "waa la tixgeliyaa iyadoo loo eegayo da'diisa iyo garaadkiisa.",
        "valid_until": "Oggolaanshuhu wuxuu ansax yahay ilaa",
        "valid_default": "Oggolaanshuhu wuxuu ansax yahay ilaa kiiska la xiro, ugu badnaan hal sano.",
        # With CONSENT_MAX_MONTHS other than 12 (consent.documents).
        "valid_months": "Oggolaanshuhu wuxuu ansax yahay ilaa kiiska la xiro, ugu badnaan {months} bilood.",
        "contact": "Qofka xiriirka",
        "guardian": "Waalidka/mas'uulka",
        "child_signature": "Ilmaha",
        "signature": "Saxiix",
        "name": "Magaca oo si cad loo qoray",
        "date": "Taariikh",
    },
    "ti": {
        "title": "ፍቓድ ንምትሕብባር (HLT)",
        "child": "ስም ቆልዓን ዕለተ ልደትን",
        "purpose": "ቤት ትምህርቲ፡ ክንክን ጥዕናን ማሕበራዊ ኣገልግሎትን ኣብ ጉጅለ HLT ብሓባር ይሰርሑ፡ "
        "ንቆልዑን ስድራቤታትን ኣቐዲሙ ዝተወሃሃደ ደገፍ ንምሃብ። ብፍቓድኩም፡ እቶም ኣብ ታሕቲ ዝተጠቐሱ "
        "ኣገልግሎታት ብዛዕባ እቲ ቆልዓ ሓበሬታ ክለዋወጡ ይኽእሉ፡ ንዚ ዕላማ ጥራይ።",
        "scope": "እዞም ኣገልግሎታት ሓበሬታ ክለዋወጡ ይኽእሉ",
        "voluntary": "እዚ ፍቓድ ብድሌትኩም እዩ። ኣብ ዝኾነ እዋን ብቓል ወይ ብጽሑፍ ንሰብ ርክብ ብምሕባር "
        "ክትስሕብዎ ትኽእሉ ኢኹም። እዚ ነቲ ስድራቤት ዝግብኦ ደገፍ ኣይጸልዎን።",
        "custody": "ሓባራዊ ሕጽኖት እንተሃልዩ ክልቲኦም ወለዲ ይፍርሙ። ርእይቶ ቆልዓ ከም ዕድሚኡን ብስሉ ኣተሓሳስባኡን ግምት ይወሃቦ።",
        "valid_until": "እዚ ፍቓድ ክሳብ ዝስዕብ ዕለት ይሰርሕ",
        "valid_default": "እዚ ፍቓድ እቲ ጉዳይ ክሳብ ዝዕጾ ይሰርሕ፡ ብዝለዓለ ሓደ ዓመት።",
        # With CONSENT_MAX_MONTHS other than 12 (consent.documents).
        "valid_months": "እዚ ፍቓድ እቲ ጉዳይ ክሳብ ዝዕጾ ይሰርሕ፡ ብዝለዓለ {months} ኣዋርሕ።",
        "contact": "ሰብ ርክብ",
        "guardian": "ወላዲ/ሓላፊ",
        "child_signature": "ቆልዓ",
        "signature": "ፊርማ",
        "name": "ስም ብንጹር ጽሑፍ",
        "date": "ዕለት",
    },
    "fa": {
        "title": "رضایت برای همکاری (HLT)",
        "child": "نام و تاریخ تولد کودک",
        "purpose": "مدرسه، خدمات بهداشتی و درمانی و خدمات اجتماعی در تیم HLT با هم کار می‌کنند تا "
        "به کودکان و خانواده‌ها حمایت زودهنگام و هماهنگ ارائه دهند. با رضایت شما، نهادهای نام‌برده "
        "در زیر می‌توانند اطلاعات مربوط به کودک را فقط برای همین هدف با یکدیگر مبادله کنند.",
        "scope": "این نهادها می‌توانند اطلاعات را با یکدیگر مبادله کنند",
        "voluntary": "این رضایت داوطلبانه است. شما می‌توانید هر زمان آن را به صورت شفاهی یا کتبی نزد "
        "فرد رابط پس بگیرید. این کار بر حمایتی که خانواده حق دریافت آن را دارد تأثیری ندارد.",
        "custody": "در صورت حضانت مشترک، هر دو سرپرست امضا می‌کنند. نظر کودک با توجه به سن و بلوغ "
        "او در نظر گرفته می‌شود.",
        "valid_until": "این رضایت معتبر است تا",
        "valid_default": "این رضایت تا بسته شدن پرونده، حداکثر یک سال، معتبر است.",
        # With CONSENT_MAX_MONTHS other than 12 (consent.documents).
        "valid_months": "این رضایت تا بسته شدن پرونده، حداکثر {months} ماه، معتبر است.",
        "contact": "فرد رابط",
        "guardian": "سرپرست",
        "child_signature": "کودک",
        "signature": "امضا",
        "name": "نام با حروف خوانا",
        "date": "تاریخ",
    },
    "fi": {
        "title": "Suostumus yhteistyöhön (HLT)",
        "child": "Lapsen nimi ja syntymäaika",
        "purpose": "Koulu, terveydenhuolto ja sosiaalipalvelut tekevät yhteistyötä HLT-tiimissä "
        "antaakseen lapsille ja perheille varhaista ja yhteensovitettua tukea. Suostumuksellasi "
        "alla mainitut tahot saavat antaa ja vastaanottaa lasta koskevia tietoja toisilleen, "
        "vain tähän tarkoitukseen.",
        "scope": "Nämä tahot saavat jakaa tietoja keskenään",
        "voluntary": "Suostumus on vapaaehtoinen. Voit peruuttaa sen milloin tahansa suullisesti "
        "tai kirjallisesti yhteyshenkilölle. Se ei vaikuta tukeen, johon perheellä muuten on "
        "oikeus.",
        "custody": "Yhteishuollossa molemmat huoltajat allekirjoittavat. Lapsen mielipide otetaan "
        "huomioon hänen ikänsä ja kehitystasonsa mukaan.",
        "valid_until": "Suostumus on voimassa",
        "valid_default": "Suostumus on voimassa, kunnes asia päättyy, kuitenkin enintään vuoden.",
        # With CONSENT_MAX_MONTHS other than 12 (consent.documents).
        "valid_months": "Suostumus on voimassa, kunnes asia päättyy, kuitenkin enintään {months} kuukautta.",
        "contact": "Yhteyshenkilö",
        "guardian": "Huoltaja",
        "child_signature": "Lapsi",
        "signature": "Allekirjoitus",
        "name": "Nimen selvennys",
        "date": "Päivämäärä",
    },
}
