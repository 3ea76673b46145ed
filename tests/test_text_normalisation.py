"""hlt.text: the one normalisation of what people type, and that every form uses it."""

import importlib
import inspect
import unicodedata

import pytest
from django import forms
from django.apps import apps
from django.conf import settings
from hypothesis import given
from hypothesis import strategies as st

from hlt.text import (
    BIDI_CONTROLS,
    ZERO_WIDTH,
    NormalisedForm,
    identity_clean,
    name_clean,
    text_clean,
)


def _project_forms():
    root = str(settings.BASE_DIR)
    for config in apps.get_app_configs():
        if not config.path.startswith(root) or ".venv" in config.path:
            continue
        module_name = f"{config.name}.forms"
        try:
            module = importlib.import_module(module_name)
        except ModuleNotFoundError:
            continue
        for _name, cls in inspect.getmembers(module, inspect.isclass):
            if cls.__module__ == module_name and issubclass(cls, forms.BaseForm):
                yield cls


FORMS = sorted(set(_project_forms()), key=lambda cls: f"{cls.__module__}.{cls.__name__}")


@pytest.mark.parametrize("form_class", FORMS, ids=[cls.__name__ for cls in FORMS])
def test_every_form_of_the_project_normalises_what_is_typed(form_class):
    assert issubclass(form_class, NormalisedForm)


def test_digits_of_every_script_become_ascii():
    assert identity_clean("١٩١٢١٢١٢-١٢١٢") == "19121212-1212"
    assert identity_clean("۱۹۱۲۱۲۱۲–۱۲۱۲") == "19121212-1212"
    assert identity_clean("１９１２１２１２－１２１２") == "19121212-1212"
    assert identity_clean("१९१२१२१२-१२१२") == "19121212-1212"  # Devanagari
    assert identity_clean(" res\u200b-77 ") == "RES-77"


def test_names_lose_invisible_characters_but_keep_what_scripts_need():
    assert name_clean("\u202eAlva\u202c Ek") == "Alva Ek"
    assert name_clean("A\u200bl\u2060v\ufeffa") == "Alva"
    assert name_clean("  Alva \t\n Ek ") == "Alva Ek"
    assert name_clean("مهر\u200cنوش") == "مهر\u200cنوش"
    assert name_clean("E\u200dk") == "Ek"
    assert name_clean("Zoe\u0308") == "Zoë"  # NFC: one code point


def test_free_text_keeps_lines_and_direction_marks_and_loses_controls():
    assert text_clean("rad 1\r\nrad 2\rrad 3") == "rad 1\nrad 2\nrad 3"
    assert text_clean("a\x00b\x07c\x1bd\te") == "abcd\te"
    assert text_clean("شكرا\u200f 2") == "شكرا\u200f 2"


@given(st.text())
def test_free_text_is_nfc_without_controls_and_stable(value):
    cleaned = text_clean(value)
    assert unicodedata.is_normalized("NFC", cleaned)
    assert not any(unicodedata.category(c) == "Cc" and c not in "\n\t" for c in cleaned)
    assert text_clean(cleaned) == cleaned


@given(st.text())
def test_a_name_has_no_invisible_characters_and_is_stable(value):
    cleaned = name_clean(value)
    assert not set(cleaned) & (BIDI_CONTROLS | ZERO_WIDTH)
    assert "\n" not in cleaned and "  " not in cleaned and cleaned == cleaned.strip()
    assert not any(
        unicodedata.category(c) in ("Cc", "Cf") and c not in "\u200c\u200d" for c in cleaned
    )
    assert name_clean(cleaned) == cleaned


@given(st.text())
def test_an_identity_number_is_ascii_digits_where_digits_were_typed(value):
    cleaned = identity_clean(value)
    assert not any(c.isspace() for c in cleaned)
    assert all(c in "0123456789" for c in cleaned if unicodedata.decimal(c, None) is not None)
    assert identity_clean(cleaned) == cleaned


@given(
    st.lists(st.integers(0, 9), min_size=12, max_size=12),
    st.sampled_from(["0123456789", "٠١٢٣٤٥٦٧٨٩", "۰۱۲۳۴۵۶۷۸۹", "０１２３４５６７８９"]),
)
def test_the_same_number_in_any_digits_is_the_same_number(digits, script):
    ascii_number = "".join(str(d) for d in digits)
    typed = "".join(script[d] for d in digits)
    assert identity_clean(typed) == ascii_number
