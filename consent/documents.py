"""The printed consent form: Swedish beside the family's language, made with WeasyPrint."""

import datetime
from dataclasses import dataclass

from django.conf import settings
from django.template.loader import render_to_string

from .form_texts import SECTOR_NAMES, TEXTS
from .models import FamilyLanguage

RTL_LANGUAGES = {"ar", "fa"}
SECTORS = ("health", "school", "social")


@dataclass(frozen=True)
class ConsentFormData:
    child_name: str
    child_birth_date: datetime.date
    child_signs: bool  # from about age 12 the child signs too
    guardian_names: list[str]  # one signature block each; "" for a name written by hand
    sectors: list[str]
    organisation_names: list[str]
    team_name: str
    initiator_name: str
    initiator_organisation: str
    initiator_phone: str
    valid_until: datetime.date | None = None


def _texts(language: str, data: ConsentFormData) -> dict:
    texts = dict(TEXTS[language])
    months = settings.CONSENT_MAX_MONTHS
    if months != 12:  # the default reads "at most one year"
        texts["valid_default"] = texts["valid_months"].format(months=months)
    return {
        "code": language,
        "dir": "rtl" if language in RTL_LANGUAGES else "ltr",
        "t": texts,
        "sectors": [SECTOR_NAMES[language][s] for s in SECTORS if s in data.sectors],
    }


_LANG_TAGGING = False


def _tag_languages() -> None:
    """Carry each element's `lang` attribute into the PDF's structure tree as /Lang.

    WeasyPrint (70) writes only the document's language (/Lang sv in the catalogue), so a
    screen reader read the family's Arabic or Tigrinya column as Swedish (PDF/UA asks for
    every change of language to be marked). Its tagger builds one structure element per
    box in `weasyprint.pdf.tags._build_box_tree`, calling itself by its module name for the
    children; wrapping it there marks every element made for an HTML element with a
    `lang`. tests/consent/test_pdf_languages.py fails if an upgrade changes this."""
    global _LANG_TAGGING
    if _LANG_TAGGING:
        return
    import pydyf
    from weasyprint.pdf import tags

    build = tags._build_box_tree

    def build_with_lang(box, *args, **kwargs):
        lang = None
        if getattr(box, "element", None) is not None:
            lang = box.element.get("lang")
        for element in build(box, *args, **kwargs):
            if lang and "Lang" not in element:
                element["Lang"] = pydyf.String(lang)
            yield element

    tags._build_box_tree = build_with_lang
    _LANG_TAGGING = True


def render_pdf(html: str) -> bytes:
    """HTML to an accessible (PDF/UA-1, tagged) PDF, each language marked in its tags."""
    from weasyprint import HTML  # imported late: loading Pango is slow

    _tag_languages()
    return HTML(string=html).write_pdf(pdf_variant="pdf/ua-1")


def consent_form_pdf(data: ConsentFormData, language: str) -> bytes:
    if language not in FamilyLanguage.values:
        raise ValueError(f"Unsupported consent form language: {language!r}")
    columns = [_texts("sv", data)]
    if language != "sv":
        columns.append(_texts(language, data))
    html = render_to_string(
        "consent/pdf/form.html",
        {"data": data, "columns": columns, "title": TEXTS["sv"]["title"]},
    )
    return render_pdf(html)
