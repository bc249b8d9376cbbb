import inspect
import io

import pytest
from PIL import Image

from server.photos import hamming, ingest
from server.photos.evidence import evidence_flags

from .photo_factory import house_picture, jpeg

REUSE_THRESHOLD = inspect.signature(evidence_flags).parameters["reuse_threshold"].default


@pytest.fixture
def phash_of(tmp_path):
    def phash(data: bytes) -> str:
        original = tmp_path / "original.jpg"
        original.write_bytes(data)
        return ingest(original, tmp_path / "report.jpg", tmp_path / "thumb.jpg").phash

    return phash


def resized_copy(data: bytes, size, quality) -> bytes:
    return jpeg(Image.open(io.BytesIO(data)).resize(size, Image.Resampling.BILINEAR), quality=quality)


def test_hamming_counts_differing_bits():
    assert hamming("0000000000000000", "0000000000000000") == 0
    assert hamming("ffffffffffffffff", "0000000000000000") == 64
    assert hamming("8000000000000001", "0000000000000000") == 2


def test_resized_and_reencoded_copy_has_nearly_the_same_hash(phash_of):
    # Within the reuse threshold of the evidence check (6 bits). Seen: 2 bits alone, 4 bits in a full run
    # after other tests (the JPEG decoder's output differs slightly); another house is > 12 bits away.
    original = jpeg(house_picture((1600, 1200), seed=7))
    assert hamming(phash_of(original), phash_of(resized_copy(original, (800, 600), quality=60))) <= REUSE_THRESHOLD
    assert hamming(phash_of(original), phash_of(resized_copy(original, (4000, 3000), quality=95))) <= REUSE_THRESHOLD


@pytest.mark.parametrize("other_seed", [2, 3, 4])
def test_another_house_has_a_different_hash(phash_of, other_seed):
    assert hamming(phash_of(jpeg(house_picture(seed=1))), phash_of(jpeg(house_picture(seed=other_seed)))) > 12
