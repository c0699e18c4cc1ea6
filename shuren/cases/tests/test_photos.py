"""Photos at intake are JPEG or PNG by content, at most 10 MB, and lose their metadata."""

from __future__ import annotations

import io

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import translation
from PIL import ExifTags, Image, PngImagePlugin

from shuren.cases.intake.photos import MAX_BYTES, clean_photo, clean_photos


def jpeg_bytes(size=(64, 48), *, exif=None, comment=b"", colour=(200, 30, 30), mode="RGB"):
    image = Image.new(mode, size, colour if mode != "L" else 128)
    out = io.BytesIO()
    options = {"comment": comment} if comment else {}
    if exif is not None:
        options["exif"] = exif
    image.save(out, "JPEG", **options)
    return out.getvalue()


def png_bytes(size=(40, 30), *, mode="RGBA", text=None):
    image = Image.new(mode, size, (10, 120, 60, 128) if mode == "RGBA" else 3)
    info = None
    if text:
        info = PngImagePlugin.PngInfo()
        for key, value in text.items():
            info.add_text(key, value)
    out = io.BytesIO()
    image.save(out, "PNG", pnginfo=info)
    return out.getvalue()


def gps_exif(orientation: int = 1) -> Image.Exif:
    exif = Image.Exif()
    exif[ExifTags.Base.Make] = "ShurenPhone"
    exif[ExifTags.Base.DateTimeOriginal] = "2026:03:02 10:00:00"
    exif[ExifTags.Base.Orientation] = orientation
    exif[ExifTags.IFD.GPSInfo] = {
        ExifTags.GPS.GPSLatitudeRef: "N",
        ExifTags.GPS.GPSLatitude: (23.0, 2.0, 30.0),
        ExifTags.GPS.GPSLongitudeRef: "E",
        ExifTags.GPS.GPSLongitude: (113.0, 9.0, 0.0),
    }
    return exif


def upload(data: bytes, name: str = "photo.jpg", content_type: str = "image/jpeg"):
    return SimpleUploadedFile(name, data, content_type=content_type)


def reopened(photo) -> Image.Image:
    return Image.open(io.BytesIO(photo.content))


def test_the_test_photo_really_carries_gps_before_cleaning():
    original = Image.open(io.BytesIO(jpeg_bytes(exif=gps_exif())))
    assert original.getexif().get_ifd(ExifTags.IFD.GPSInfo)


def test_a_jpeg_with_gps_exif_comes_out_without_any_exif_or_comment():
    photo = clean_photo(upload(jpeg_bytes(exif=gps_exif(), comment=b"Wang, 1-101")))
    image = reopened(photo)
    assert photo.format == "JPEG"
    assert photo.content_type == "image/jpeg"
    assert dict(image.getexif()) == {}
    assert "exif" not in image.info
    assert "comment" not in image.info
    assert b"ShurenPhone" not in photo.content
    assert b"Wang, 1-101" not in photo.content


def test_a_photo_taken_sideways_is_turned_upright_before_its_exif_is_dropped():
    # Orientation 6: the camera was turned; the viewer must rotate 90° to show it upright.
    photo = clean_photo(upload(jpeg_bytes(size=(64, 48), exif=gps_exif(orientation=6))))
    assert (photo.width, photo.height) == (48, 64)
    assert reopened(photo).size == (48, 64)


def test_a_png_stays_a_png_with_its_transparency_and_without_its_text_chunks():
    data = png_bytes(text={"Author": "Wang Xiuying", "Comment": "13812345678"})
    assert b"Wang Xiuying" in data
    photo = clean_photo(upload(data, "screen.png", "image/png"))
    image = reopened(photo)
    assert photo.format == "PNG"
    assert photo.content_type == "image/png"
    assert image.mode == "RGBA"
    assert image.getpixel((0, 0)) == (10, 120, 60, 128)
    assert b"Wang Xiuying" not in photo.content
    assert b"13812345678" not in photo.content


def test_a_palette_png_keeps_its_transparent_colour():
    image = Image.new("P", (8, 8), 1)
    image.putpalette([255, 0, 0, 0, 0, 255])  # 0 red, 1 blue
    image.putpixel((0, 0), 0)
    out = io.BytesIO()
    image.save(out, "PNG", transparency=1)
    original = Image.open(io.BytesIO(out.getvalue())).convert("RGBA")
    assert original.getpixel((1, 1))[3] == 0
    assert original.getpixel((0, 0))[3] == 255
    photo = clean_photo(upload(out.getvalue(), "icon.png", "image/png"))
    # The palette may be renumbered; what was see-through stays so, what was red stays red.
    cleaned = reopened(photo).convert("RGBA")
    assert cleaned.getpixel((1, 1))[3] == 0
    assert cleaned.getpixel((0, 0)) == (255, 0, 0, 255)


def test_a_cmyk_or_grey_jpeg_is_stored_as_a_jpeg_that_phones_can_show():
    cmyk = clean_photo(upload(jpeg_bytes(mode="CMYK", colour=(0, 50, 50, 0))))
    grey = clean_photo(upload(jpeg_bytes(mode="L")))
    assert reopened(cmyk).mode == "RGB"
    assert reopened(grey).mode == "L"


def test_a_text_file_named_jpg_and_sent_as_image_jpeg_is_refused():
    fake = upload(b"this is not a photo, just text pretending\n" * 10, "fish.jpg", "image/jpeg")
    with pytest.raises(ValidationError) as refused:
        clean_photo(fake, number=2)
    assert refused.value.code == "photo_not_an_image"
    with translation.override("zh-hans"), pytest.raises(ValidationError) as refused:
        clean_photo(fake, number=2)
    assert refused.value.messages == ["第2张照片（fish.jpg）不是 JPEG 或 PNG 图片。"]


def test_an_empty_file_is_refused():
    with pytest.raises(ValidationError) as refused:
        clean_photo(upload(b""))
    assert refused.value.code == "photo_not_an_image"


@pytest.mark.parametrize("kind", ["GIF", "BMP", "WEBP", "TIFF"])
def test_other_picture_formats_are_refused_even_when_named_jpg(kind):
    out = io.BytesIO()
    Image.new("RGB", (8, 8)).save(out, kind)
    with pytest.raises(ValidationError) as refused:
        clean_photo(upload(out.getvalue(), "photo.jpg", "image/jpeg"))
    assert refused.value.code == "photo_not_an_image"


def test_a_png_named_jpg_is_judged_by_its_content_and_kept_as_png():
    photo = clean_photo(upload(png_bytes(mode="RGB"), "photo.jpg", "image/jpeg"))
    assert photo.format == "PNG"
    assert photo.as_file().name == "photo.png"


def test_a_jpeg_cut_short_is_refused_as_damaged():
    data = jpeg_bytes(size=(400, 300))
    with pytest.raises(ValidationError) as refused:
        clean_photo(upload(data[: len(data) // 2]))
    assert refused.value.code in {"photo_damaged", "photo_not_an_image"}


def test_a_file_over_10_mb_is_refused_before_it_is_decoded():
    oversize = upload(b"\xff\xd8\xff" + b"\0" * MAX_BYTES, "big.jpg")
    with pytest.raises(ValidationError) as refused:
        clean_photo(oversize, number=3)
    assert refused.value.code == "photo_too_large"
    with translation.override("zh-hans"), pytest.raises(ValidationError) as refused:
        clean_photo(oversize, number=3)
    assert refused.value.messages == ["第3张照片（big.jpg）超过 10 MB。"]


def test_a_stream_without_a_size_is_still_cut_at_10_mb():
    stream = io.BytesIO(b"\xff\xd8\xff" + b"\0" * MAX_BYTES)
    with pytest.raises(ValidationError) as refused:
        clean_photo(stream)
    assert refused.value.code == "photo_too_large"


def test_a_small_file_that_unpacks_to_a_huge_picture_is_refused():
    out = io.BytesIO()
    Image.new("1", (8000, 8000)).save(out, "PNG")  # 64 megapixels in a few kilobytes
    assert len(out.getvalue()) < 100_000
    with pytest.raises(ValidationError) as refused:
        clean_photo(upload(out.getvalue(), "bomb.png", "image/png"))
    assert refused.value.code == "photo_too_many_pixels"


def test_the_stored_file_is_named_by_format_never_by_the_uploaders_file_name():
    photo = clean_photo(upload(jpeg_bytes(), "王秀英13812345678.jpg"))
    stored = photo.as_file()
    assert stored.name == "photo.jpg"
    assert stored.content_type == "image/jpeg"
    assert stored.size == len(photo.content)


def test_four_good_photos_pass_together():
    photos = clean_photos([upload(jpeg_bytes()) for _ in range(3)] + [upload(png_bytes())])
    assert [p.format for p in photos] == ["JPEG", "JPEG", "JPEG", "PNG"]


def test_a_fifth_photo_is_too_many():
    with pytest.raises(ValidationError) as refused:
        clean_photos([upload(jpeg_bytes()) for _ in range(5)])
    assert refused.value.code == "too_many_photos"


def test_one_bad_photo_refuses_the_lot_and_every_problem_is_named():
    batch = [
        upload(jpeg_bytes()),
        upload(b"hello", "notes.jpg"),
        upload(jpeg_bytes()),
        upload(b"\0" * (MAX_BYTES + 1), "huge.png", "image/png"),
    ]
    with translation.override("zh-hans"), pytest.raises(ValidationError) as refused:
        clean_photos(batch)
    assert refused.value.messages == [
        "第2张照片（notes.jpg）不是 JPEG 或 PNG 图片。",
        "第4张照片（huge.png）超过 10 MB。",
    ]
