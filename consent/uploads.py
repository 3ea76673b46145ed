"""Checks for uploaded scans of signed paper (consent forms, SIP plans): by content, not name."""

import io

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from PIL import Image, UnidentifiedImageError

MAX_SCAN_BYTES = 10 * 1024 * 1024

# Magic numbers of the formats accepted, and the content type they are served with.
_SIGNATURES = [
    (b"%PDF-", "application/pdf"),
    (b"\xff\xd8\xff", "image/jpeg"),
    (b"\x89PNG\r\n\x1a\n", "image/png"),
]


def scan_validate(upload) -> str:
    """Return the real content type of an uploaded scan, or raise ValidationError."""
    if upload.size > MAX_SCAN_BYTES:
        raise ValidationError(
            _("The file is too large (%(size)d MB). The limit is %(limit)d MB.")
            % {"size": upload.size // (1024 * 1024), "limit": MAX_SCAN_BYTES // (1024 * 1024)}
        )
    upload.seek(0)
    content = upload.read()
    upload.seek(0)
    content_type = next((ct for magic, ct in _SIGNATURES if content.startswith(magic)), None)
    if content_type is None:
        raise ValidationError(_("The file must be a scanned PDF, JPEG or PNG."))
    if content_type == "application/pdf":
        if b"%%EOF" not in content[-2048:]:
            raise ValidationError(_("The PDF file is damaged or incomplete."))
    else:
        try:
            Image.open(io.BytesIO(content)).verify()
        except (UnidentifiedImageError, OSError, SyntaxError):
            raise ValidationError(_("The image is damaged or not a real JPEG or PNG.")) from None
    return content_type
