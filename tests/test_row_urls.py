"""hlt.row_urls: an address from a pattern reversed once is the address reverse() gives."""

import pytest
from django.urls import reverse, set_script_prefix
from django.utils import translation

from hlt.row_urls import row_url


@pytest.mark.parametrize("name", ["cases:detail", "sip:plan", "meetings:detail", "sip:case"])
@pytest.mark.parametrize("language", ["sv", "en"])
def test_a_row_address_is_the_reversed_address(name, language):
    with translation.override(language):
        for pk in (1, 42, 2147483647):
            assert row_url(name, pk) == reverse(name, args=[pk])


def test_the_script_prefix_is_part_of_the_kept_pattern():
    try:
        set_script_prefix("/hlt/")
        assert row_url("cases:detail", 7) == reverse("cases:detail", args=[7]) == "/hlt/cases/7/"
    finally:
        set_script_prefix("/")
    assert row_url("cases:detail", 7) == "/cases/7/"


def test_an_id_that_is_not_a_number_is_refused():
    with pytest.raises(ValueError):
        row_url("cases:detail", "7/../../admin")
