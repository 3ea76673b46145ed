"""The printed consent form, read back as text, for every family language."""

import datetime
import io

import pytest
from pypdf import PdfReader

from consent.documents import ConsentFormData, consent_form_pdf
from consent.form_texts import SECTOR_NAMES, TEXTS
from consent.models import FamilyLanguage

DATA = ConsentFormData(
    child_name="Alva Ek",
    child_birth_date=datetime.date(2014, 5, 17),
    child_signs=True,
    guardian_names=["Amal Ek", "Karim Ek"],
    sectors=["school", "health"],
    organisation_names=[],
    team_name="HLT Centrum",
    initiator_name="Kim Skola",
    initiator_organisation="Solenskolan",
    initiator_phone="060-12 34 56",
)


def _text(pdf: bytes) -> str:
    reader = PdfReader(io.BytesIO(pdf))
    return "\n".join(page.extract_text() for page in reader.pages)


def _fonts(pdf: bytes) -> set[str]:
    reader = PdfReader(io.BytesIO(pdf))
    names = set()
    for page in reader.pages:
        for font in page["/Resources"]["/Font"].values():
            names.add(str(font.get_object()["/BaseFont"]))
    return names


@pytest.mark.parametrize("language", FamilyLanguage.values)
def test_the_form_names_the_child_the_scope_and_each_guardian(language):
    pdf = consent_form_pdf(DATA, language)
    text = _text(pdf)
    assert "Samtycke till samverkan (HLT)" in text
    assert "Alva Ek, 2014-05-17" in text
    assert "Förskola/skola" in text
    assert "Hälso- och sjukvård" in text
    assert "Socialtjänst" not in text  # not in the scope
    assert text.count("Vårdnadshavare") == 2
    assert "Amal Ek" in text and "Karim Ek" in text
    assert text.count("Underskrift") == 3  # two guardians and the child
    assert "Kim Skola, Solenskolan" in text


@pytest.mark.parametrize("language", ["en", "so", "fi"])
def test_latin_script_languages_stand_beside_swedish(language):
    text = _text(consent_form_pdf(DATA, language))
    assert TEXTS[language]["title"] in text
    assert SECTOR_NAMES[language]["school"] in text
    assert TEXTS[language]["signature"] in text


@pytest.mark.parametrize(
    ("language", "font"),
    [("ar", "Noto-Naskh-Arabic"), ("fa", "Noto-Naskh-Arabic"), ("ti", "Noto-Sans-Ethiopic")],
)
def test_other_scripts_are_set_in_a_font_that_has_their_letters(language, font):
    pdf = consent_form_pdf(DATA, language)
    assert any(font in name for name in _fonts(pdf))
    assert not any(font in name for name in _fonts(consent_form_pdf(DATA, "sv")))


def test_the_child_signs_only_from_about_twelve():
    young = ConsentFormData(**{**DATA.__dict__, "child_signs": False})
    assert _text(consent_form_pdf(young, "sv")).count("Underskrift") == 2


def test_page_numbers_and_the_childs_name_on_every_page():
    many = ConsentFormData(
        **{**DATA.__dict__, "guardian_names": [f"Förälder {i}" for i in range(12)]}
    )
    reader = PdfReader(io.BytesIO(consent_form_pdf(many, "sv")))
    pages = len(reader.pages)
    assert pages >= 2
    for number, page in enumerate(reader.pages, start=1):
        text = page.extract_text()
        assert f"{number} / {pages}" in text
        assert "Alva Ek" in text


def test_an_unknown_language_is_refused():
    with pytest.raises(ValueError):
        consent_form_pdf(DATA, "xx")


def test_names_with_punctuation_print_as_written_in_the_page_header():
    odd = ConsentFormData(**{**DATA.__dict__, "child_name": 'Anna-Karin O\'Brien "Kicki"'})
    reader = PdfReader(io.BytesIO(consent_form_pdf(odd, "sv")))
    for page in reader.pages:
        assert 'Anna-Karin O\'Brien "Kicki"' in page.extract_text()


def test_the_team_is_named_on_the_form():
    assert "HLT Centrum" in _text(consent_form_pdf(DATA, "sv"))
