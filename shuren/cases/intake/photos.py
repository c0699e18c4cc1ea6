"""Case photos at intake: JPEG or PNG by their content, at most 10 MB, re-encoded without metadata.

A phone photo carries EXIF (the GPS position of the reporter's home, the phone's make, the time)
and sometimes comments or XMP. Only the pixels (turned upright) and the colour profile are kept:
the photo is decoded and encoded again, so nothing the uploader's file said survives but the
picture. Nothing here touches the database; the intake form calls clean_photos() and passes the
result to report_case().
"""

from __future__ import annotations

import io
import warnings
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import IO, Any

from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.utils.translation import gettext as _
from PIL import Image, ImageOps, UnidentifiedImageError

from shuren.cases.models import CasePhoto

MAX_BYTES = CasePhoto.MAX_BYTES  # 10 MB per photo
MAX_PHOTOS = CasePhoto.MAX_PER_CASE  # 4 per case
# A 10 MB PNG of one colour unpacks to gigabytes; a phone camera takes at most ~50 megapixels.
MAX_PIXELS = 50_000_000
JPEG_QUALITY = 85
# Only these decoders are tried. The JPEG one also opens MPO, what some phones write as .jpg
# (a JPEG with a second frame); it is kept as JPEG.
DECODERS = ["JPEG", "PNG"]
SAVED_AS = {"JPEG": "JPEG", "MPO": "JPEG", "PNG": "PNG"}
CONTENT_TYPES = {"JPEG": "image/jpeg", "PNG": "image/png"}
EXTENSIONS = {"JPEG": "jpg", "PNG": "png"}


@dataclass(frozen=True)
class CleanPhoto:
    """A checked photo, encoded afresh: what is stored for the case."""

    content: bytes
    format: str  # "JPEG" or "PNG"
    width: int
    height: int

    @property
    def content_type(self) -> str:
        return CONTENT_TYPES[self.format]

    def as_file(self) -> ContentFile:
        """A file for report_case(); named by its format only (never the uploader's name)."""
        upload = ContentFile(self.content, name=f"photo.{EXTENSIONS[self.format]}")
        upload.content_type = self.content_type  # type: ignore[attr-defined]
        return upload


def _label(number: int, name: str) -> dict[str, Any]:
    return {"n": number, "name": (name or "")[-40:]}


def _read(upload: IO[bytes] | Any, number: int, name: str) -> bytes:
    size = getattr(upload, "size", None)
    if size is not None and size > MAX_BYTES:
        raise ValidationError(
            _("Photo %(n)d (%(name)s) is larger than 10 MB.") % _label(number, name),
            code="photo_too_large",
        )
    if hasattr(upload, "seek"):
        upload.seek(0)
    data = upload.read(MAX_BYTES + 1)
    if len(data) > MAX_BYTES:
        raise ValidationError(
            _("Photo %(n)d (%(name)s) is larger than 10 MB.") % _label(number, name),
            code="photo_too_large",
        )
    return bytes(data)


def _not_a_photo(number: int, name: str) -> ValidationError:
    return ValidationError(
        _("Photo %(n)d (%(name)s) is not a JPEG or PNG picture.") % _label(number, name),
        code="photo_not_an_image",
    )


def clean_photo(upload: IO[bytes] | Any, *, number: int = 1) -> CleanPhoto:
    """Check one uploaded file by its content and encode it again without metadata.

    Raises ValidationError (codes photo_too_large, photo_not_an_image, photo_too_many_pixels,
    photo_damaged) with a message naming the photo by its number and file name.
    """
    name = str(getattr(upload, "name", "") or "")
    data = _read(upload, number, name)
    if not data:
        raise _not_a_photo(number, name)
    with warnings.catch_warnings():
        # We check the pixel count ourselves (below Pillow's own bomb limit) and say so in words.
        warnings.simplefilter("ignore", Image.DecompressionBombWarning)
        try:
            image = Image.open(io.BytesIO(data), formats=DECODERS)
        except Image.DecompressionBombError:
            raise ValidationError(
                _("Photo %(n)d (%(name)s) has too many pixels.") % _label(number, name),
                code="photo_too_many_pixels",
            ) from None
        except (UnidentifiedImageError, OSError, ValueError, SyntaxError):
            raise _not_a_photo(number, name) from None
        source_format = str(image.format)
        if source_format not in SAVED_AS:
            raise _not_a_photo(number, name)
        width, height = image.size
        if width * height > MAX_PIXELS:
            raise ValidationError(
                _("Photo %(n)d (%(name)s) has too many pixels.") % _label(number, name),
                code="photo_too_many_pixels",
            )
        try:
            image.load()
            upright = ImageOps.exif_transpose(image)
        except (OSError, ValueError, SyntaxError, Image.DecompressionBombError):
            raise ValidationError(
                _("Photo %(n)d (%(name)s) is damaged or incomplete.") % _label(number, name),
                code="photo_damaged",
            ) from None
    return _encode(upright if upright is not None else image, SAVED_AS[source_format])


def _encode(image: Image.Image, target: str) -> CleanPhoto:
    """Encode the pixels alone: EXIF, XMP, comments and text chunks are left behind."""
    icc_profile = image.info.get("icc_profile")
    transparency = image.info.get("transparency")
    clean = image.copy()
    clean.info = {}  # Pillow would otherwise copy a JPEG comment or PNG text into the new file
    options: dict[str, Any] = {}
    if icc_profile:
        options["icc_profile"] = icc_profile  # colour, not a fact about the person
    if target == "JPEG":
        if clean.mode not in ("RGB", "L"):
            clean = clean.convert("RGB")
        options.update(quality=JPEG_QUALITY, optimize=True)
    else:
        if transparency is not None and clean.mode in ("P", "L", "RGB"):
            options["transparency"] = transparency
        options["optimize"] = True
    out = io.BytesIO()
    clean.save(out, format=target, **options)
    return CleanPhoto(content=out.getvalue(), format=target, width=clean.width, height=clean.height)


def clean_photos(uploads: Sequence[Any] | Iterable[Any]) -> list[CleanPhoto]:
    """Check every photo of one report; a single bad one refuses them all, every problem said."""
    uploads = list(uploads)
    if len(uploads) > MAX_PHOTOS:
        raise ValidationError(
            _("At most %(n)d photos per case.") % {"n": MAX_PHOTOS}, code="too_many_photos"
        )
    cleaned: list[CleanPhoto] = []
    problems: list[ValidationError] = []
    for number, upload in enumerate(uploads, start=1):
        try:
            cleaned.append(clean_photo(upload, number=number))
        except ValidationError as error:
            problems.append(error)
    if problems:
        raise ValidationError(problems)
    return cleaned
