"""What people type, made safe to store and show: the one normalisation every form uses.

Three kinds of text, three rules:

- **Free text** (descriptions, notes, places, …): Unicode NFC (so "é" typed two ways is one
  string), Windows line ends made `\\n`, and control characters other than tab and line
  feed removed (a NUL byte cannot be stored in PostgreSQL, a bell or escape is never meant).
  Direction marks stay: Arabic, Persian or Tigrinya text may need them, and templates show
  free text isolated (`dir="auto"`, `<bdi>`) so it cannot reorder the page around it.
- **Names** (of children, guardians, people): free text on one line, and also without the
  invisible characters that make a name look like another or reorder what follows it
  (right-to-left override U+202E, the other bidi embeddings, overrides and isolates, direction
  marks, zero-width space, word joiner, byte order mark). A zero-width (non-)joiner stays
  between two letters of a script that uses it (Persian, Arabic, Indic) and goes elsewhere. Runs of
  spaces become one. Such characters are removed rather than refused: nobody can see them,
  so nobody could find and delete them, and the name is then stored exactly as it looks.
- **Identity numbers** (personal identity, coordination and reserve numbers): NFKC (full-
  width digits and letters become ASCII), every decimal digit of any script made ASCII
  (`١٩١٢١٢١٢-١٢١٢` is `19121212-1212`), dash look-alikes made `-`, spaces removed, letters
  upper-case. One child, one number, however it was typed.

`NormalisedForm` applies these to every character field of a form before the field's own
checks (so a length limit counts what is stored). A form lists its names in `name_fields`
and its identity numbers in `identity_fields`; every other character field is free text.
"""

import re
import unicodedata

from django import forms
from django.core.validators import MaxLengthValidator

# One limit per kind of text, the same in every form and model. A long text is what a family,
# a child or a meeting says in its own words (the family's description, the child's voice,
# the plan's needs, minutes, notes); a SIP plan is started from the case's texts, so they
# must share the limit or a plan could never be saved.
LONG_TEXT = 5000
# The models' check of the same limit (a TextField's max_length alone only reaches forms).
long_text = MaxLengthValidator(LONG_TEXT)

# Bidi embeddings, overrides, isolates and marks (Unicode "Bidi_Control"), and the
# zero-width characters that have no business in a name.
BIDI_CONTROLS = frozenset(
    "\u061c\u200e\u200f\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069"
)
ZERO_WIDTH = frozenset("\u200b\u2060\ufeff\u180e\u00ad")
JOINERS = frozenset("\u200c\u200d")  # zero-width non-joiner and joiner
DASHES = "\u2010\u2011\u2012\u2013\u2014\u2015\u2212\ufe58\ufe63\uff0d"
_KEEP_CONTROLS = {"\n", "\t"}


def _is_control(char: str) -> bool:
    return unicodedata.category(char) == "Cc" and char not in _KEEP_CONTROLS


def text_clean(value: str) -> str:
    """Free text: NFC, `\\n` line ends, no control characters but tab and line feed."""
    value = unicodedata.normalize("NFC", value.replace("\r\n", "\n").replace("\r", "\n"))
    return "".join(c for c in value if not _is_control(c))


def name_clean(value: str) -> str:
    """A name: one line of free text, no invisible characters, single spaces."""
    value = text_clean(value)
    kept = []
    for i, char in enumerate(value):
        if char in BIDI_CONTROLS or char in ZERO_WIDTH:
            continue
        if char in JOINERS:
            before = value[i - 1] if i else ""
            after = value[i + 1] if i + 1 < len(value) else ""
            if not (_joins(before) and _joins(after)):
                continue
        if unicodedata.category(char) == "Cf" and char not in JOINERS:
            continue  # any other invisible format character
        kept.append(char)
    return re.sub(r"\s+", " ", "".join(kept)).strip()


def _joins(char: str) -> bool:
    """A letter of a script that uses the zero-width (non-)joiner (Arabic, Persian, Indic
    scripts, …): not Latin, Greek or Cyrillic, where it is only ever invisible noise."""
    if not char.isalpha() or char.isascii():
        return False
    return not unicodedata.name(char, "").startswith(("LATIN", "GREEK", "CYRILLIC"))


def ascii_digits(text: str) -> str:
    """Digits of any script (Arabic-Indic, Persian, full-width, Devanagari, …) as ASCII; every
    other character kept. The one digit rule: identity numbers and search boxes use it."""
    return "".join(
        str(unicodedata.digit(c)) if c.isdigit() and not c.isascii() else c for c in text
    )


def identity_clean(value: str) -> str:
    """An identity or reserve number: ASCII digits and letters, `-` and `+`, no spaces."""
    value = unicodedata.normalize("NFKC", name_clean(value))
    out = []
    for char in value:
        if char in DASHES:
            out.append("-")
        elif char.isspace():
            continue
        else:
            out.append(ascii_digits(char).upper())
    return unicodedata.normalize("NFKC", "".join(out))


class NormalisedForm:
    """Mix into a Form or ModelForm (first in the bases). Every CharField's value passes
    through the matching rule above before the field validates it."""

    name_fields: tuple[str, ...] = ()
    identity_fields: tuple[str, ...] = ()

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name, field in self.fields.items():
            if not isinstance(field, forms.CharField) or isinstance(
                field.widget, forms.PasswordInput
            ):
                continue
            if name in self.identity_fields:
                rule = identity_clean
            elif name in self.name_fields:
                rule = name_clean
            else:
                rule = text_clean
            field.to_python = _normalising(field.to_python, rule)


def _normalising(to_python, rule):
    def wrapped(value):
        if isinstance(value, str):
            value = rule(value)
        return to_python(value)

    return wrapped
