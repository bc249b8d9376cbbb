import io

import pytest
from PIL import Image

from server.photos.jpeg_segments import exif_block, frame_size, strip_metadata

from .photo_factory import exif, house_picture, jpeg, with_app_segment


@pytest.mark.parametrize("options", [{}, {"progressive": True}, {"progressive": True, "restart_marker_rows": 1}])
def test_stripped_copy_has_the_same_pixels_and_no_exif(options):
    data = jpeg(house_picture((640, 480)), exif(), **options)
    stripped = strip_metadata(data + b"MPF secondary image")
    assert Image.open(io.BytesIO(stripped)).tobytes() == Image.open(io.BytesIO(data)).tobytes()
    assert b"Exif" not in stripped and stripped.endswith(b"\xff\xd9")


def test_comments_xmp_and_unknown_app_segments_are_dropped():
    data = with_app_segment(jpeg(house_picture((64, 48)), comment="撮影者メモ".encode()), 0xEB, b"vendor data")
    data = with_app_segment(data, 0xE1, b"http://ns.adobe.com/xap/1.0/\x00<x:xmpmeta/>")
    stripped = strip_metadata(data)
    assert b"xmpmeta" not in stripped and b"vendor data" not in stripped
    assert "撮影者メモ".encode() not in stripped


def test_exif_is_found_behind_a_large_segment():
    data = jpeg(house_picture((64, 48)), exif())
    behind = with_app_segment(data, 0xE1, b"http://ns.adobe.com/xap/1.0/\x00" + b" " * 65_000)
    assert exif_block(behind) == exif_block(data)
    assert exif_block(data).startswith(b"MM\x00*")


def test_truncated_jpeg_cannot_be_stripped():
    data = jpeg(house_picture((64, 48)))
    with pytest.raises(ValueError):
        strip_metadata(data[: len(data) // 2])


def test_frame_size_is_read_from_the_header_alone():
    data = jpeg(house_picture((640, 480)), exif(), progressive=True)
    assert frame_size(data[: data.index(b"\xff\xda") + 10]) == (640, 480)
    assert frame_size(b"\xff\xd8\xff\xe0garbage") is None
