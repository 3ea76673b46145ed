"""Reads of a case's consents that several pages share, each compiled once per process."""

from hlt.prepared import prepared

from .models import Consent, ConsentSignature


@prepared(int)
def _consents(case_id):
    return Consent.objects.filter(case=case_id).select_related("registered_by")


@prepared(int)
def _signatures(case_id):
    return (
        ConsentSignature.objects.filter(consent__case=case_id)
        .order_by("pk")
        .values_list("consent_id", "guardian_id")
    )


def consents_of(case) -> list[Consent]:
    """The case's consents, newest first (with who registered them), read once for a case
    instance: the case page's consent section and its chronology share them."""
    if "_consents_read" not in case.__dict__:
        case._consents_read = _consents(case.pk)
    return case._consents_read


def signers_of(case) -> dict[int, list[int]]:
    """Consent id → the ids of the guardians who signed it, in one query."""
    signers: dict[int, list[int]] = {}
    for consent_id, guardian_id in _signatures(case.pk):
        signers.setdefault(consent_id, []).append(guardian_id)
    return signers
