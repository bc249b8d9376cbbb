from __future__ import annotations

import subprocess
import xml.etree.ElementTree as ET
from pathlib import Path
from typing import NamedTuple

import pytest
from PIL import Image as PILImage

from reports import load_fonts
from reports.samples import disaster_notice, owner_report, survey_report


@pytest.fixture(scope="session")
def fonts():
    return load_fonts()


@pytest.fixture(scope="session")
def photo_dir(tmp_path_factory) -> Path:
    return tmp_path_factory.mktemp("photos")


@pytest.fixture
def ordinary_visit(photo_dir):
    return owner_report(photo_dir)


@pytest.fixture
def typhoon_notice(photo_dir):
    return disaster_notice(photo_dir)


@pytest.fixture
def survey(photo_dir):
    return survey_report(photo_dir, n=12)


class Poppler:
    """pdftotext / pdffonts / pdfimages / pdfinfo on PDF bytes."""

    def __init__(self, tmp_path: Path):
        self.tmp = tmp_path

    def _run(self, tool: str, pdf: bytes, *args: str) -> str:
        path = self.tmp / "doc.pdf"
        path.write_bytes(pdf)
        return subprocess.run([tool, *args, str(path), *(["-"] if tool == "pdftotext" else [])],
                              check=True, capture_output=True, text=True).stdout

    def text(self, pdf: bytes) -> str:
        return self._run("pdftotext", pdf, "-layout")

    def pages(self, pdf: bytes) -> int:
        info = self._run("pdfinfo", pdf)
        return int(next(line.split()[1] for line in info.splitlines() if line.startswith("Pages:")))

    def fonts(self, pdf: bytes) -> list[tuple[str, str]]:
        """(font name, emb) for each font the PDF uses."""
        lines = self._run("pdffonts", pdf).splitlines()[2:]
        return [(line.split()[0], line.split()[-5]) for line in lines]

    def images(self, pdf: bytes) -> int:
        return len(self._run("pdfimages", pdf, "-list").splitlines()[2:])

    def placed_images(self, pdf: bytes) -> list[PlacedImage]:
        """Every image drawn, with its box on the page in points (pdftohtml at zoom 1) and its pixel size."""
        xml = self._run("pdftohtml", pdf, "-xml", "-stdout", "-q", "-zoom", "1")
        placed = []
        for page in ET.fromstring(xml).iter("page"):
            for image in page.iter("image"):
                with PILImage.open(image.get("src")) as pixels:
                    size = pixels.size
                placed.append(PlacedImage(int(page.get("number")), *(float(image.get(k)) for k in
                                                                     ("left", "top", "width", "height")), size))
        return placed

    def render(self, pdf: bytes, page: int, box: tuple[float, float, float, float]) -> PILImage.Image:
        """The part of a page inside box (left, top, width, height in points), rendered at 72 dpi."""
        left, top, width, height = (round(v) for v in box)
        path = self.tmp / "doc.pdf"
        path.write_bytes(pdf)
        subprocess.run(["pdftoppm", "-r", "72", "-f", str(page), "-l", str(page), "-x", str(left), "-y", str(top),
                        "-W", str(width), "-H", str(height), "-png", "-singlefile", str(path),
                        str(self.tmp / "region")], check=True, capture_output=True)
        return PILImage.open(self.tmp / "region.png").convert("RGB")


class PlacedImage(NamedTuple):
    page: int
    left: float
    top: float
    width: float
    height: float
    pixels: tuple[int, int]

    @property
    def box(self) -> tuple[float, float, float, float]:
        return self.left, self.top, self.width, self.height


@pytest.fixture
def poppler(tmp_path) -> Poppler:
    return Poppler(tmp_path)
