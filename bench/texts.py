"""Fictional Swedish names, places and free text for the synthetic region.

Everything here is made up; any likeness to a real person is chance. The municipalities are
Västerbotten's real ones (name, code, rough population) so the region has a real shape.
"""

# (name, municipality code, inhabitants): sets how many teams each municipality gets.
MUNICIPALITIES = [
    ("Umeå", "2480", 131000),
    ("Skellefteå", "2482", 76000),
    ("Lycksele", "2481", 12000),
    ("Vännäs", "2460", 9000),
    ("Nordmaling", "2401", 7000),
    ("Robertsfors", "2409", 6700),
    ("Vilhelmina", "2462", 6600),
    ("Storuman", "2421", 5800),
    ("Vindeln", "2404", 5400),
    ("Norsjö", "2417", 4000),
    ("Malå", "2418", 3000),
    ("Åsele", "2463", 2800),
    ("Dorotea", "2425", 2500),
    ("Sorsele", "2422", 2400),
    ("Bjurholm", "2403", 2400),
]

AREA_PREFIXES = [
    "Tall", "Björk", "Gran", "Sol", "Berg", "Älv", "Sjö", "Ängs", "Lund", "Hag",
    "Ström", "Dal", "Ek", "Lin", "Rönn", "Ås", "Vik", "Näs", "Mo", "Hed",
    "Myr", "Fors", "Kulla", "Strand", "Ljung", "Hassel", "Al", "Sälg", "Lärk", "Furu",
]  # fmt: skip
AREA_SUFFIXES = [
    "backa", "dal", "berg", "vik", "ängen", "skogen", "holmen", "lunden", "sätra", "by",
    "heden", "mon", "näset", "liden", "gården",
]  # fmt: skip

GIRL_NAMES = [
    "Alva", "Elsa", "Maja", "Ella", "Wilma", "Alice", "Saga", "Vera", "Selma", "Agnes",
    "Ebba", "Freja", "Nora", "Olivia", "Stella", "Astrid", "Signe", "Tyra", "Lilly", "Ines",
    "Amira", "Hanna", "Sara", "Mariam", "Leah", "Klara", "Ellen", "Edith", "Idun", "Juni",
]  # fmt: skip
BOY_NAMES = [
    "Noah", "William", "Hugo", "Liam", "Lucas", "Oliver", "Elias", "Adam", "Alexander", "Nils",
    "Leo", "Arvid", "Vincent", "Theo", "Axel", "Ludvig", "Frans", "Sixten", "Malte", "Ali",
    "Omar", "Isak", "Melvin", "Viktor", "Emil", "Olle", "Gustav", "Harry", "Aron", "Sam",
]  # fmt: skip
ADULT_FIRST_NAMES = [
    "Anna", "Eva", "Maria", "Karin", "Sara", "Lena", "Kristina", "Emma", "Malin", "Johanna",
    "Lars", "Mikael", "Johan", "Anders", "Per", "Erik", "Peter", "Fredrik", "Daniel", "Magnus",
    "Fatima", "Amina", "Ahmed", "Mohammed", "Helena", "Sofia", "Jonas", "Henrik", "Ulrika",
    "Camilla", "Åsa", "Ingrid", "Mats", "Björn", "Linnea", "Jenny", "Tobias", "Markus",
]  # fmt: skip
FAMILY_NAMES = [
    "Andersson", "Johansson", "Karlsson", "Nilsson", "Eriksson", "Larsson", "Olsson",
    "Persson", "Svensson", "Gustafsson", "Lindberg", "Lindqvist", "Sjöberg", "Berglund",
    "Nordin", "Holmström", "Lundgren", "Öberg", "Wikström", "Forsberg", "Hedlund", "Marklund",
    "Lundström", "Burman", "Granström", "Sundqvist", "Hassan", "Ali", "Mohamed", "Ahmadi",
    "Abdi", "Haile", "Tesfay", "Korhonen", "Niemi", "Lindgren", "Nyström", "Sandberg",
    "Westin", "Östlund", "Bergström", "Söderström", "Strand", "Isaksson", "Jonsson",
]  # fmt: skip

# (family language code, home languages as registered): most families speak Swedish.
LANGUAGES = [
    ("sv", "svenska"),
    ("sv", "svenska"),
    ("sv", "svenska"),
    ("sv", "svenska"),
    ("sv", "svenska"),
    ("sv", "svenska"),
    ("sv", "svenska, engelska"),
    ("sv", "svenska, samiska"),
    ("ar", "arabiska, svenska"),
    ("so", "somaliska"),
    ("ti", "tigrinja"),
    ("fa", "dari, svenska"),
    ("fi", "finska, svenska"),
    ("en", "engelska"),
]

STREETS = ["Storgatan", "Skolgatan", "Kungsgatan", "Backvägen", "Älvvägen", "Tallstigen"]

CONCERNS = [
    "Barnet har svårt att komma iväg till skolan på morgnarna och har hög frånvaro.",
    "Föräldrarna är oroliga för sömnen och för att barnet äter dåligt.",
    "Skolan ser att barnet har svårt att koncentrera sig och nå målen i flera ämnen.",
    "Barnet berättar om bråk hemma och att det är svårt att sova på nätterna.",
    "Familjen har bott trångt sedan flytten och ekonomin är pressad.",
    "Barnet blir lämnat utanför på rasterna och vill inte gå till fritids.",
    "BVC har sett att språket utvecklas långsamt och föräldrarna vill ha stöd.",
    "Barnet är ofta arg och ledsen, och föräldrarna vet inte hur de ska möta det.",
]
VOICES = [
    "Jag vill att det ska bli lugnare hemma.",
    "Jag tycker om att rita men inte om matten.",
    "Det är jobbigt på rasterna, ingen vill vara med mig.",
    "Jag är trött på morgonen och har ont i magen.",
    "Jag vill ha en vuxen i skolan som jag kan prata med.",
    "Det är bra med fotbollen, där har jag kompisar.",
]
MINUTES_NOTES = [
    "Teamet gick igenom familjens beskrivning. Skolan och elevhälsan träffar familjen först.",
    "Socialtjänsten erbjuder föräldrastöd; hälsocentralen kallar till samtal om sömnen.",
    "Teamet föreslår en SIP med familjen. Skolan samordnar kallelsen.",
    "Familjen har redan stöd via BVC. Teamet följer upp vid nästa möte.",
    "Skolkuratorn kontaktar föräldrarna och bokar ett planeringsmöte.",
]
NEEDS = [
    "Familjen vill ha hjälp att få fungerande morgnar så att barnet kommer till skolan.",
    "Föräldrarna behöver stöd i hur de kan möta barnets oro och ilska.",
    "Barnet behöver anpassningar i klassrummet och en vuxen att vända sig till.",
    "Familjen vill att sömnen blir bättre och att barnet äter regelbundet.",
    "Barnet behöver hjälp med språket och familjen med kontakten med förskolan.",
]
CHILD_VIEWS = [
    "Barnet vill ha lugnare raster och en kompis att vara med.",
    "Barnet säger att det är bra att någon lyssnar och vill fortsätta prata med kuratorn.",
    "Barnet vill slippa ont i magen på morgonen.",
    "Barnet vill vara med i fotbollen igen.",
]
GOALS = [
    "Barnet kommer till skolan minst fyra dagar i veckan.",
    "Barnet sover minst nio timmar per natt.",
    "Föräldrarna upplever att morgnarna fungerar bättre.",
    "Barnet har en trygg vuxen i skolan att vända sig till.",
    "Barnet når målen i svenska och matematik.",
    "Familjen har en stabil boendesituation.",
    "Barnet deltar i en fritidsaktivitet varje vecka.",
    "Bråken hemma har minskat enligt barnet och föräldrarna.",
]
INTERVENTIONS = {
    "parent_support": [
        "Föräldrastödsprogram i grupp, tio träffar.",
        "Enskilda föräldrasamtal varannan vecka.",
    ],
    "family_talks": [
        "Familjesamtal med familjebehandlare en gång i veckan.",
        "Nätverksmöte med familjen och skolan en gång per månad.",
    ],
    "school_adaptations": [
        "Anpassad studiegång, lugn arbetsplats och schema i bild.",
        "Extra stöd i matematik tre lektioner i veckan och rastaktiviteter.",
    ],
    "treatment": [
        "Samtalsbehandling hos psykolog på hälsocentralen.",
        "Utredning och uppföljning av sömnen hos barnhälsovården.",
    ],
    "other": [
        "Kontakt med fritidsgården och en fadder för fotbollsträningen.",
        "Hjälp med bostadsansökan och kontakt med budget- och skuldrådgivningen.",
    ],
}
MEASURES_BY_OTHERS = [
    "Inga.",
    "Barnet har kontakt med BUP sedan tidigare.",
    "Familjen har ekonomiskt bistånd.",
    "Inga andra insatser.",
]
FOLLOW_UP_HOW = [
    "Uppföljande SIP-möte med familjen på skolan.",
    "Uppföljning på hälsocentralen med alla som har en insats.",
    "Digitalt möte med familjen och de ansvariga.",
]
FAMILY_COMMENTS = [
    "Det har blivit bättre, särskilt på morgnarna.",
    "Vi vill fortsätta med samtalen.",
    "Vi har inte märkt så stor skillnad ännu.",
    "",
]
