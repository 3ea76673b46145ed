"""Issue 16 item 8: the documents families read. Each language's text is marked in the PDF's
tag tree (PDF/UA: /Lang on the structure elements, not only the document's /Lang sv), so a
screen reader reads Arabic as Arabic; the child's signature never stands alone on a page."""

import io
import re

import pytest
from pypdf import PdfReader

from consent.documents import consent_form_pdf

from .test_consent_form_pdf import DATA


def _struct_langs(pdf: bytes) -> dict[str, set[str]]:
    """Language → structure types of the elements that carry it."""
    reader = PdfReader(io.BytesIO(pdf))
    root = reader.trailer["/Root"]["/StructTreeRoot"].get_object()
    found: dict[str, set[str]] = {}
    stack = [root]
    while stack:
        node = stack.pop()
        if hasattr(node, "get_object"):
            node = node.get_object()
        if isinstance(node, list):
            stack.extend(node)
            continue
        if not hasattr(node, "get"):
            continue
        if "/Lang" in node:
            found.setdefault(str(node["/Lang"]), set()).add(str(node.get("/S")))
        kids = node.get("/K")
        if kids is not None:
            stack.extend(kids if isinstance(kids, list) else [kids])
    return found


@pytest.mark.parametrize("language", ["ar", "ti", "fa", "so"])
def test_each_language_is_marked_in_the_tag_tree(language):
    pdf = consent_form_pdf(DATA, language)
    langs = _struct_langs(pdf)
    assert language in langs, langs
    assert "sv" in langs
    assert "/TD" in langs[language]  # the family's column of the parallel text
    reader = PdfReader(io.BytesIO(pdf))
    assert str(reader.trailer["/Root"]["/Lang"]) == "sv"


@pytest.mark.parametrize("language", ["ar", "fa", "ti", "sv", "so"])
def test_the_childs_signature_never_stands_alone_on_a_page(language):
    reader = PdfReader(io.BytesIO(consent_form_pdf(DATA, language)))
    pages = [page.extract_text() for page in reader.pages]
    for text in pages:
        if re.search(r"Barnet( /|:)", text):  # the child's signature heading
            # The child's block shares its page with the guardians' signatures.
            assert "Vårdnadshavare" in text, (language, len(pages))
