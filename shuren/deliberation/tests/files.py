"""Small files for the tests: a scanned ballot as PDF, JPEG or PNG, and files that are not."""

from __future__ import annotations

import io

from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

PDF = b"%PDF-1.4\n% a scanned ballot\n"


def _image(kind: str) -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (40, 30), (230, 230, 220)).save(out, kind)
    return out.getvalue()


def scan(name: str = "ballot.pdf") -> SimpleUploadedFile:
    """A paper's scan; its kind follows the name's extension (.pdf, .jpg, .png)."""
    if name.endswith(".jpg"):
        return SimpleUploadedFile(name, _image("JPEG"), content_type="image/jpeg")
    if name.endswith(".png"):
        return SimpleUploadedFile(name, _image("PNG"), content_type="image/png")
    return SimpleUploadedFile(name, PDF, content_type="application/pdf")


def not_a_scan() -> SimpleUploadedFile:
    """A file that calls itself a PDF and is a script."""
    return SimpleUploadedFile("ballot.pdf", b"#!/bin/sh\necho hi\n", content_type="application/pdf")
