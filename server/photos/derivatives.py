"""Small pieces for making derivatives: sizes, orientation, perceptual hash, atomic writes."""

import os
import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import BinaryIO

from PIL import Image

# EXIF Orientation → the transpose that makes the picture upright (as ImageOps.exif_transpose).
_UPRIGHT = {
    2: Image.Transpose.FLIP_LEFT_RIGHT,
    3: Image.Transpose.ROTATE_180,
    4: Image.Transpose.FLIP_TOP_BOTTOM,
    5: Image.Transpose.TRANSPOSE,
    6: Image.Transpose.ROTATE_270,
    7: Image.Transpose.TRANSVERSE,
    8: Image.Transpose.ROTATE_90,
}


def upright(image: Image.Image, orientation: int | None) -> Image.Image:
    method = _UPRIGHT.get(orientation or 1)
    return image if method is None else image.transpose(method)


def upright_size(size: tuple[int, int], orientation: int | None) -> tuple[int, int]:
    width, height = size
    return (height, width) if (orientation or 1) >= 5 else (width, height)


def fit(size: tuple[int, int], long_edge: int) -> tuple[int, int]:
    """`size` shrunk to fit a square of `long_edge`, keeping the aspect ratio; never enlarged."""
    width, height = size
    scale = min(1.0, long_edge / max(width, height))
    return max(1, round(width * scale)), max(1, round(height * scale))


def dhash(image: Image.Image) -> str:
    """64-bit difference hash as 16 hex digits (same bits as imagehash.dhash)."""
    pixels = image.convert("L").resize((9, 8), Image.Resampling.LANCZOS).tobytes()
    bits = 0
    for row in range(8):
        for col in range(8):
            bits = bits << 1 | (pixels[row * 9 + col + 1] > pixels[row * 9 + col])
    return f"{bits:016x}"


def write_atomically(path: Path, write: Callable[[BinaryIO], object]) -> None:
    """Write a file so that readers see either nothing or the whole of it."""
    tmp = tempfile.NamedTemporaryFile(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp", delete=False)
    try:
        with tmp:
            write(tmp)
        os.replace(tmp.name, path)
    except BaseException:
        Path(tmp.name).unlink(missing_ok=True)
        raise
