import io
import os
import random

import exifread
import pytest
from PIL import Image

from server.photos import PhotoRejected, ingest
from server.photos.ingest import REPORT_LONG_EDGE, THUMB_LONG_EDGE

from .photo_factory import (
    exif,
    house_picture,
    jpeg,
    with_app_segment,
    with_broken_ifd_offset,
    with_size_in_header,
)

RED, BLUE = (230, 20, 20), (20, 20, 230)


def marked_picture(size):
    """A house whose top-left corner is red and bottom-right corner blue, when upright."""
    picture = house_picture(size)
    w, h = size
    picture.paste(RED, (0, 0, w // 8, h // 8))
    picture.paste(BLUE, (w - w // 8, h - h // 8, w, h))
    return picture


def run_ingest(tmp_path, data: bytes, **options):
    original = tmp_path / "original.jpg"
    original.write_bytes(data)
    return ingest(original, tmp_path / "report.jpg", tmp_path / "thumb.jpg", **options)


def corner_colours(path):
    with Image.open(path) as image:
        image = image.convert("RGB")
        w, h = image.size
        return image.getpixel((w // 32, h // 32)), image.getpixel((w - w // 32, h - h // 32))


def close_to(colour, expected, tolerance=40):
    return all(abs(a - b) <= tolerance for a, b in zip(colour, expected))


def rejection(tmp_path, data: bytes, **options) -> PhotoRejected:
    with pytest.raises(PhotoRejected) as raised:
        run_ingest(tmp_path, data, **options)
    assert not (tmp_path / "report.jpg").exists() and not (tmp_path / "thumb.jpg").exists()
    return raised.value


def test_phone_shrunk_photo_gives_facts_and_both_derivatives(tmp_path):
    facts = run_ingest(tmp_path, jpeg(house_picture((1600, 1200)), exif()))
    assert (facts.width, facts.height) == (1600, 1200)
    assert facts.camera == "Apple iPhone 13" and facts.lat is not None and facts.taken_at is not None
    assert len(facts.phash) == 16 and int(facts.phash, 16) >= 0
    assert Image.open(tmp_path / "report.jpg").size == (REPORT_LONG_EDGE, REPORT_LONG_EDGE * 3 // 4)
    assert Image.open(tmp_path / "thumb.jpg").size == (THUMB_LONG_EDGE, 240)


def test_a_photo_already_report_sized_is_copied_without_a_second_jpeg_generation(tmp_path):
    data = jpeg(house_picture((REPORT_LONG_EDGE, REPORT_LONG_EDGE * 3 // 4)), exif())
    run_ingest(tmp_path, data)
    assert Image.open(tmp_path / "report.jpg").tobytes() == Image.open(io.BytesIO(data)).tobytes()


def test_twelve_megapixel_original_on_its_side_gives_upright_derivatives(tmp_path):
    upright = marked_picture((3000, 4000))
    stored = upright.transpose(Image.Transpose.ROTATE_90)  # how a phone held upright stores it
    facts = run_ingest(tmp_path, jpeg(stored, exif(orientation=6)))
    assert (facts.width, facts.height, facts.orientation) == (3000, 4000, 6)
    assert Image.open(tmp_path / "report.jpg").size == (REPORT_LONG_EDGE * 3 // 4, REPORT_LONG_EDGE)
    assert Image.open(tmp_path / "thumb.jpg").size == (240, THUMB_LONG_EDGE)
    for derivative in ("report.jpg", "thumb.jpg"):
        top_left, bottom_right = corner_colours(tmp_path / derivative)
        assert close_to(top_left, RED) and close_to(bottom_right, BLUE)


def test_phash_is_taken_from_the_upright_picture(tmp_path):
    upright = house_picture((1600, 1200))
    plain = run_ingest(tmp_path, jpeg(upright, exif()))
    rotated = run_ingest(tmp_path, jpeg(upright.transpose(Image.Transpose.ROTATE_90), exif(orientation=6)))
    assert (rotated.width, rotated.height) == (1600, 1200)
    assert bin(int(plain.phash, 16) ^ int(rotated.phash, 16)).count("1") <= 4


@pytest.mark.parametrize("size", [(1600, 1200), (4000, 3000)])
def test_derivatives_carry_no_exif_and_no_gps(tmp_path, size):
    run_ingest(tmp_path, jpeg(house_picture(size), exif(orientation=1)) + b"trailing MPF image with GPS")
    for derivative in ("report.jpg", "thumb.jpg"):
        data = (tmp_path / derivative).read_bytes()
        assert b"Exif" not in data and b"GPS" not in data
        assert exifread.process_file(io.BytesIO(data), details=False) == {}
        assert not Image.open(io.BytesIO(data)).getexif()


def test_derivatives_keep_the_colour_profile(tmp_path):
    profile = b"\x00\x00\x02\x0cICC profile stand-in" + bytes(500)
    run_ingest(tmp_path, jpeg(house_picture((800, 600)), exif(), icc_profile=profile))
    assert Image.open(tmp_path / "report.jpg").info["icc_profile"] == profile
    assert Image.open(tmp_path / "thumb.jpg").info["icc_profile"] == profile


def test_small_photo_is_not_enlarged(tmp_path):
    facts = run_ingest(tmp_path, jpeg(house_picture((200, 150))))
    assert (facts.width, facts.height) == (200, 150)
    assert Image.open(tmp_path / "report.jpg").size == (200, 150)
    assert Image.open(tmp_path / "thumb.jpg").size == (200, 150)


def test_derivatives_are_written_without_leftover_temporary_files(tmp_path):
    run_ingest(tmp_path, jpeg(house_picture((2000, 1500))))
    assert sorted(os.listdir(tmp_path)) == ["original.jpg", "report.jpg", "thumb.jpg"]


def test_photo_with_a_huge_app_segment_is_accepted_with_its_exif(tmp_path):
    data = jpeg(house_picture((1600, 1200)), exif(comment_bytes=60_000))
    data = with_app_segment(data, 0xE1, b"http://ns.adobe.com/xap/1.0/\x00" + b" " * 65_000)
    facts = run_ingest(tmp_path, data)
    assert facts.lat is not None and facts.taken_at is not None
    assert (tmp_path / "report.jpg").stat().st_size < len(data) - 120_000


@pytest.mark.filterwarnings("ignore:Corrupt EXIF data:UserWarning")  # Pillow, looking for the DPI
def test_broken_exif_offsets_mean_no_exif_but_the_photo_is_accepted(tmp_path):
    facts = run_ingest(tmp_path, with_broken_ifd_offset(jpeg(house_picture((1600, 1200)), exif())))
    assert (facts.taken_at, facts.lat, facts.orientation, facts.camera) == (None, None, None, None)
    assert Image.open(tmp_path / "report.jpg").size == (REPORT_LONG_EDGE, REPORT_LONG_EDGE * 3 // 4)


@pytest.mark.parametrize("size", [(1600, 1200), (4000, 3000)])
def test_truncated_upload_is_rejected_as_truncated(tmp_path, size):
    data = jpeg(house_picture(size))
    rejected = rejection(tmp_path, data[: len(data) * 2 // 3])
    assert (rejected.status, rejected.code) == (422, "truncated")
    assert "途中で切れて" in rejected.message


@pytest.mark.parametrize("offset", [2_000, 60_000, 150_000])
def test_scan_data_overwritten_by_misplaced_bytes_is_rejected(tmp_path, offset):
    """As when a resumed upload writes a chunk at the wrong place: the scan holds header markers.

    (Bit errors without markers decode to wrong pixels silently: JPEG carries no checksum.)
    """
    data = jpeg(house_picture((1600, 1200)))
    scan, header = data.index(b"\xff\xda") + offset, data[:1000]
    rejected = rejection(tmp_path, data[:scan] + header + data[scan + len(header) :])
    assert (rejected.status, rejected.code) == (422, "undecodable")
    assert "壊れて" in rejected.message


def test_jpeg_magic_followed_by_garbage_is_undecodable(tmp_path):
    # Garbage without a 0xFF byte holds no JPEG marker: random bytes sometimes held a frame header
    # claiming a huge size (too_many_pixels, a right answer to a different file).
    garbage = bytes(b % 255 for b in random.Random(7).randbytes(5_000_000))
    rejected = rejection(tmp_path, b"\xff\xd8\xff" + garbage)
    assert (rejected.status, rejected.code) == (422, "undecodable")


def test_header_claiming_thirty_thousand_squared_pixels_is_refused_before_decoding(tmp_path):
    rejected = rejection(tmp_path, with_size_in_header(jpeg(house_picture((64, 48))), 30000, 30000))
    assert (rejected.status, rejected.code) == (422, "too_many_pixels")
    assert "画素数が多すぎます" in rejected.message and "30000×30000" in rejected.message


def test_header_over_the_configured_limit_is_refused_with_its_size(tmp_path):
    rejected = rejection(tmp_path, with_size_in_header(jpeg(house_picture((64, 48))), 9000, 6000))
    assert rejected.code == "too_many_pixels" and "9000×6000" in rejected.message


def test_real_image_over_a_lowered_pixel_limit_is_refused(tmp_path):
    cheap_but_large = jpeg(Image.new("RGB", (3000, 3000), (200, 200, 200)))
    assert len(cheap_but_large) < 200_000
    rejected = rejection(tmp_path, cheap_but_large, max_pixels=4_000_000)
    assert (rejected.status, rejected.code) == (422, "too_many_pixels")
    assert run_ingest(tmp_path, cheap_but_large, max_pixels=9_000_000).width == 3000


def test_png_sent_as_a_photo_is_refused_as_png(tmp_path):
    png = io.BytesIO()
    house_picture((64, 48)).save(png, "PNG")
    rejected = rejection(tmp_path, png.getvalue())
    assert (rejected.status, rejected.code, rejected.sent_format) == (415, "not_jpeg", "PNG")


def test_empty_upload_is_refused(tmp_path):
    assert rejection(tmp_path, b"").code == "empty"


def test_multi_picture_jpeg_from_an_iphone_keeps_only_the_primary_picture(tmp_path):
    primary, gain_map = house_picture((1600, 1200), seed=1), house_picture((800, 600), seed=2)
    mpo = io.BytesIO()
    primary.save(mpo, "MPO", save_all=True, append_images=[gain_map], exif=exif(), quality=90)
    facts = run_ingest(tmp_path, mpo.getvalue())
    assert (facts.width, facts.height) == (1600, 1200) and facts.lat is not None
    report = Image.open(tmp_path / "report.jpg")
    assert report.format == "JPEG" and getattr(report, "n_frames", 1) == 1
    assert b"MPF" not in (tmp_path / "report.jpg").read_bytes()
