"""Checks for uploaded scans of signed paper (consent forms, SIP plans): by content, not name.

The content decides what a file is. A name that says otherwise (a PNG called `scan.pdf`) is
refused with a message naming both, rather than stored under either type: the person who
chose the file may have picked the wrong one, and a scan of signed paper is evidence.
"""

import io
import os
import warnings

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from PIL import Image, UnidentifiedImageError

MAX_SCAN_BYTES = 10 * 1024 * 1024
# An A4 page scanned at 600 dpi is about 35 million pixels; anything far beyond that is not a
# scan, and decoding it would take the server's memory (a "decompression bomb").
MAX_SCAN_PIXELS = 60_000_000

# Magic numbers of the formats accepted, the content type they are served with, the file
# name endings that say the same, and the name shown to people.
_SIGNATURES = [
    (b"%PDF-", "application/pdf", (".pdf",), "PDF"),
    (b"\xff\xd8\xff", "image/jpeg", (".jpg", ".jpeg", ".jpe", ".jfif"), "JPEG"),
    (b"\x89PNG\r\n\x1a\n", "image/png", (".png",), "PNG"),
]
_KIND_BY_EXTENSION = {ext: kind for _m, _ct, exts, kind in _SIGNATURES for ext in exts}


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
    found = next((s for s in _SIGNATURES if content.startswith(s[0])), None)
    if found is None:
        raise ValidationError(_("The file must be a scanned PDF, JPEG or PNG."))
    _magic, content_type, extensions, kind = found
    extension = os.path.splitext(getattr(upload, "name", "") or "")[1].lower()
    if extension not in extensions:
        named = _KIND_BY_EXTENSION.get(extension)
        if named:
            raise ValidationError(
                _(
                    "The file is named as a %(named)s file but is a %(kind)s file. Check that "
                    "you chose the right file, and give it a name ending in %(ending)s."
                )
                % {"named": named, "kind": kind, "ending": extensions[0]}
            )
        raise ValidationError(
            _("The file's name must end in .pdf, .jpg or .png (this one is a %(kind)s file).")
            % {"kind": kind}
        )
    if content_type == "application/pdf":
        if b"%%EOF" not in content[-2048:]:
            raise ValidationError(_("The PDF file is damaged or incomplete."))
        return content_type
    try:
        # Pillow raises on images past twice its own limit and only warns below that; the
        # warning is silenced because the size is checked here, against a lower limit, before
        # anything decodes the pixels.
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", Image.DecompressionBombWarning)
            with Image.open(io.BytesIO(content)) as image:
                width, height = image.size
                if width * height > MAX_SCAN_PIXELS:
                    raise _TooManyPixels(width, height)
                image.verify()
    except _TooManyPixels as exc:
        raise ValidationError(_too_large_message(exc.width, exc.height)) from None
    except Image.DecompressionBombError:
        raise ValidationError(_too_large_message(None, None)) from None
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError):
        raise ValidationError(_("The image is damaged or not a real JPEG or PNG.")) from None
    return content_type


class _TooManyPixels(Exception):
    def __init__(self, width: int, height: int):
        self.width, self.height = width, height


def _too_large_message(width: int | None, height: int | None) -> str:
    if width is None:
        return _(
            "The image has far too many pixels to be a scanned page. Scan it again at 300–600 dpi."
        )
    return _(
        "The image is %(width)d × %(height)d pixels, far too many for a scanned page. Scan it "
        "again at 300–600 dpi."
    ) % {"width": width, "height": height}
