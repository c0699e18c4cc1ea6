"""Helpers of the intake page tests: generated photos, form data, and uploads kept out of var/."""

from __future__ import annotations

import io
import uuid
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import ExifTags, Image

from shuren.cases.models import Category

FISH = "楼下邻居晒咸鱼，气味很大"


@pytest.fixture(autouse=True)
def media_in_tmp(settings, tmp_path):
    """Stored photos go to a temporary folder, never into the checkout's var/media."""
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


def jpeg(name: str = "fish.jpg", *, gps: bool = False, size=(64, 48)) -> SimpleUploadedFile:
    image = Image.new("RGB", size, (180, 140, 90))
    options: dict[str, Any] = {}
    if gps:
        exif = Image.Exif()
        exif[ExifTags.Base.Make] = "ShurenPhone"
        exif[ExifTags.IFD.GPSInfo] = {
            ExifTags.GPS.GPSLatitudeRef: "N",
            ExifTags.GPS.GPSLatitude: (23.0, 2.0, 30.0),
            ExifTags.GPS.GPSLongitudeRef: "E",
            ExifTags.GPS.GPSLongitude: (113.0, 9.0, 0.0),
        }
        options["exif"] = exif
    out = io.BytesIO()
    image.save(out, "JPEG", **options)
    return SimpleUploadedFile(name, out.getvalue(), content_type="image/jpeg")


def png(name: str = "screen.png") -> SimpleUploadedFile:
    out = io.BytesIO()
    Image.new("RGBA", (30, 20), (0, 90, 60, 200)).save(out, "PNG")
    return SimpleUploadedFile(name, out.getvalue(), content_type="image/png")


def fake_jpeg(name: str = "fish.jpg") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, b"not a picture at all\n" * 20, content_type="image/jpeg")


def category(code: str = "neighbour-odour") -> Category:
    return Category.objects.get(code=code)


def form_data(world: Any, place: str = "GC-JD-JYLW-B01-U1", **extra: Any) -> dict[str, Any]:
    """A complete resident report about the fish smell; keyword arguments replace or add."""
    data: dict[str, Any] = {
        "place": world.place(place).pk,
        "category": category(extra.pop("category_code", "neighbour-odour")).pk,
        "title": FISH,
        "description": "每天早上在阳台晒，窗户都不敢开",
        "idempotency_key": uuid.uuid4().hex,
    }
    data.update(extra)
    return data


def htmx(**headers: str) -> dict[str, str]:
    return {"HTTP_HX_REQUEST": "true", **{f"HTTP_{k.upper()}": v for k, v in headers.items()}}
