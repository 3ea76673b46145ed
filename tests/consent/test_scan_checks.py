"""Uploaded scans (consent forms and signed SIP plans) are checked by content: a huge image or
a file whose name says another type gets a message next to the field, never a 500."""

import io
import struct
import uuid
import zlib

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone
from PIL import Image

from cases import services as case_services
from consent.models import Consent
from sip.models import PlanSignature
from tests.cases.conftest import make_case
from tests.sip.conftest import discussed_case, make_plan

pytestmark = pytest.mark.django_db


def _chunk(kind: bytes, data: bytes) -> bytes:
    return (
        struct.pack(">I", len(data))
        + kind
        + data
        + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)
    )


def png_declaring(width: int, height: int) -> bytes:
    """A few hundred bytes that claim to be a width × height PNG (a decompression bomb)."""
    header = struct.pack(">IIBBBBB", width, height, 8, 0, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n"
        + _chunk(b"IHDR", header)
        + _chunk(b"IDAT", zlib.compress(b"\x00" * 1024))
        + _chunk(b"IEND", b"")
    )


def real_png() -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (20, 20), "white").save(buffer, "PNG")
    return buffer.getvalue()


REAL_PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"

BAD_SCANS = [
    pytest.param(
        "scan.png",
        png_declaring(30000, 30000),
        "alldeles för många bildpunkter",
        id="bomb-30000x30000",
    ),
    pytest.param(
        "scan.png", png_declaring(12000, 9000), "12000 × 9000 bildpunkter", id="huge-108-megapixel"
    ),
    pytest.param(
        "scan.pdf", real_png(), "namngiven som en PDF-fil men är en PNG-fil", id="png-as-pdf"
    ),
    pytest.param(
        "scan.png", REAL_PDF, "namngiven som en PNG-fil men är en PDF-fil", id="pdf-as-png"
    ),
    pytest.param("scan.exe", REAL_PDF, "måste sluta på .pdf, .jpg eller .png", id="odd-ending"),
]


def _consent_post(case, scan):
    today = timezone.localdate()
    return {
        "signed_guardians": [g.pk for g in case.guardians.all()],
        "signed_on": today.isoformat(),
        "valid_until": (today + timezone.timedelta(days=300)).isoformat(),
        "sectors": ["school"],
        "family_language": "sv",
        "child_signed": "on",
        "scan": scan,
        "submit_token": str(uuid.uuid4()),
    }


@pytest.mark.parametrize(("name", "content", "message"), BAD_SCANS)
def test_a_bad_consent_scan_is_refused_next_to_the_field(world, client, name, content, message):
    case = make_case(world, actualise=False)
    case_services.case_consent_form_printed(case=case, by=world.key_person)
    client.force_login(world.key_person)
    response = client.post(
        reverse("cases:consent_register", args=[case.pk]),
        _consent_post(case, SimpleUploadedFile(name, content)),
    )
    assert response.status_code == 200
    assert message in response.content.decode()
    assert not Consent.objects.exists()


@pytest.mark.parametrize(("name", "content", "message"), BAD_SCANS)
def test_a_bad_signed_plan_scan_is_refused_next_to_the_field(world, client, name, content, message):
    plan = make_plan(world, discussed_case(world))
    client.force_login(world.coordinator)
    response = client.post(
        reverse("sip:signatures", args=[plan.pk]),
        {
            "signed_on": timezone.localdate().isoformat(),
            "child_signed": "on",
            "scan": SimpleUploadedFile(name, content),
            "submit_token": str(uuid.uuid4()),
        },
    )
    assert response.status_code == 200
    assert message in response.content.decode()
    assert not PlanSignature.objects.exists()


@pytest.mark.parametrize(
    ("name", "content", "content_type"),
    [
        ("Underskrift.PNG", real_png(), "image/png"),
        ("samtycke.pdf", REAL_PDF, "application/pdf"),
    ],
)
def test_a_scan_whose_name_and_content_agree_is_kept(world, client, name, content, content_type):
    case = make_case(world, actualise=False)
    case_services.case_consent_form_printed(case=case, by=world.key_person)
    client.force_login(world.key_person)
    response = client.post(
        reverse("cases:consent_register", args=[case.pk]),
        _consent_post(case, SimpleUploadedFile(name, content)),
    )
    assert response.status_code == 302
    assert Consent.objects.get().scan_content_type == content_type
