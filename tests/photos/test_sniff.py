import io

import pytest
from PIL import Image

from server.photos import PhotoRejected, sniff_jpeg

from .photo_factory import house_picture, jpeg


def saved_as(fmt: str) -> bytes:
    out = io.BytesIO()
    house_picture((64, 48)).save(out, fmt)
    return out.getvalue()


HEIC_HEAD = b"\x00\x00\x00\x18ftypheic\x00\x00\x00\x00mif1heic\x00\x00\x01\x00meta"


def refusal(head: bytes) -> PhotoRejected:
    with pytest.raises(PhotoRejected) as raised:
        sniff_jpeg(head)
    return raised.value


def test_jpeg_passes():
    sniff_jpeg(jpeg(house_picture((64, 48)))[:32])


@pytest.mark.parametrize(
    ("head", "name"),
    [
        (saved_as("PNG"), "PNG"),
        (saved_as("GIF"), "GIF"),
        (saved_as("WEBP"), "WebP"),
        (HEIC_HEAD, "HEIC/HEIF"),
        (b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n", "PDF"),
    ],
)
def test_other_formats_are_refused_naming_the_format_sent(head, name):
    refused = refusal(head[:32])
    assert (refused.status, refused.code, refused.sent_format) == (415, "not_jpeg", name)
    assert f"{name}形式" in refused.message and "JPEG" in refused.message


def test_heic_refusal_says_how_to_make_an_iphone_save_jpeg():
    assert "互換性優先" in refusal(HEIC_HEAD).message


def test_unknown_bytes_are_refused_without_guessing_a_format():
    refused = refusal(b"hello, this is not a photo")
    assert (refused.status, refused.sent_format) == (415, None)
    assert "JPEG形式の写真ではありません" in refused.message


def test_zero_bytes_are_an_empty_upload():
    refused = refusal(b"")
    assert (refused.status, refused.code) == (422, "empty")
