import subprocess
from pathlib import Path

import pytest

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


@pytest.fixture
def poppler(tmp_path) -> Poppler:
    return Poppler(tmp_path)
