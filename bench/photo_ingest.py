"""Benchmark photo ingest against the naive Pillow path. Prints figures; asserts nothing.

Run: .venv/bin/python bench/photo_ingest.py
"""

import os
import random
import statistics
import sys
import tempfile
import time
from pathlib import Path

from PIL import Image, ImageDraw, ImageFilter, ImageOps

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from server.photos import ingest, read_exif  # noqa: E402
from server.photos.derivatives import dhash, fit, write_atomically  # noqa: E402
from server.photos.ingest import REPORT_LONG_EDGE, REPORT_QUALITY, THUMB_LONG_EDGE, THUMB_QUALITY  # noqa: E402


def house_photo(size: tuple[int, int], blur: float, seed: int = 1) -> Image.Image:
    """A house front with wall, roof, windows and fine texture (grain, leaves) like a real photo."""
    rng = random.Random(seed)
    w, h = size
    image = Image.new("RGB", size, (150, 190, 235))
    draw = ImageDraw.Draw(image)
    draw.rectangle((0, int(h * 0.72), w, h), fill=(80, 110, 50))
    draw.rectangle((int(w * 0.15), int(h * 0.38), int(w * 0.8), int(h * 0.75)), fill=(200, 190, 170))
    draw.polygon([(int(w * 0.1), int(h * 0.38)), (int(w * 0.47), int(h * 0.12)), (int(w * 0.85), int(h * 0.38))], fill=(90, 50, 45))
    for _ in range(400):
        x, y = rng.randrange(w), rng.randrange(int(h * 0.6), h)
        r = rng.randrange(w // 200, w // 40)
        draw.ellipse((x - r, y - r, x + r, y + r), fill=(rng.randrange(20, 80), rng.randrange(80, 150), 40))
    grain = Image.merge("RGB", [Image.effect_noise(size, 60) for _ in range(3)])
    return Image.blend(image, grain, 0.25).filter(ImageFilter.GaussianBlur(blur))


def phone_jpeg(path: Path, size: tuple[int, int], orientation: int, blur: float, quality: int) -> None:
    exif = Image.Exif()
    exif[0x010F], exif[0x0110], exif[0x0112] = "Apple", "iPhone 13", orientation
    details = exif.get_ifd(0x8769)
    details[0x9003], details[0x9011] = "2025:11:27 10:15:30", "+09:00"
    gps = exif.get_ifd(0x8825)
    gps[1], gps[2], gps[3], gps[4] = "N", (35.0, 40.0, 52.45), "E", (139.0, 46.0, 1.65)
    picture = house_photo(size, blur)
    if orientation == 6:  # stored on its side, as a phone held upright stores it
        picture = picture.transpose(Image.Transpose.ROTATE_90)
    picture.save(path, "JPEG", quality=quality, exif=exif)


def naive_ingest(original: Path, report_path: Path, thumb_path: Path) -> str:
    """Full decode, exif_transpose, each derivative resized from full size, hash from full size."""
    read_exif(original)
    with Image.open(original) as image:
        upright = ImageOps.exif_transpose(image)
    report = upright.resize(fit(upright.size, REPORT_LONG_EDGE), Image.Resampling.BICUBIC)
    write_atomically(report_path, lambda f: report.save(f, "JPEG", quality=REPORT_QUALITY))
    thumb = upright.resize(fit(upright.size, THUMB_LONG_EDGE), Image.Resampling.BICUBIC)
    write_atomically(thumb_path, lambda f: thumb.save(f, "JPEG", quality=THUMB_QUALITY))
    return dhash(upright)


def timings_ms(runs: dict, repeat: int) -> dict[str, dict[str, list[float]]]:
    """Wall and CPU ms of each function, runs interleaved so that load from other processes hits all alike."""
    times = {name: {"wall": [], "cpu": []} for name in runs}
    for run in runs.values():
        run()  # warm-up
    for _ in range(repeat):
        for name, run in runs.items():
            wall, cpu = time.perf_counter(), time.process_time()
            run()
            times[name]["cpu"].append((time.process_time() - cpu) * 1000)
            times[name]["wall"].append((time.perf_counter() - wall) * 1000)
    return times


CASES = [
    # label, stored size, orientation, blur, quality, repetitions
    ("phone-shrunk 1600×1200", (1600, 1200), 1, 1.3, 85, 41),
    ("12 MP original 4000×3000 (stored 3000×4000, Orientation 6)", (4000, 3000), 6, 0.6, 90, 15),
]


def main() -> None:
    print(f"load average before: {os.getloadavg()[0]:.2f} on {os.cpu_count()} cores")
    with tempfile.TemporaryDirectory() as folder:
        folder = Path(folder)
        original, report, thumb = folder / "original.jpg", folder / "report.jpg", folder / "thumb.jpg"
        for label, size, orientation, blur, quality, repeat in CASES:
            phone_jpeg(original, size, orientation, blur, quality)
            times = timings_ms(
                {"ingest": lambda: ingest(original, report, thumb), "naive": lambda: naive_ingest(original, report, thumb)},
                repeat,
            )
            facts = ingest(original, report, thumb)
            print(f"{label}: {original.stat().st_size / 1e6:.2f} MB, upright {facts.width}×{facts.height}"
                  f" -> report {Image.open(report).size} {report.stat().st_size // 1000} KB, thumb {Image.open(thumb).size}")
            for clock in ("wall", "cpu"):
                fast, naive = (statistics.median(times[name][clock]) for name in ("ingest", "naive"))
                print(f"  {clock:4s} median: ingest() {fast:6.1f} ms, naive {naive:6.1f} ms, ratio {naive / fast:.1f}×")
    print(f"load average after: {os.getloadavg()[0]:.2f}")


if __name__ == "__main__":
    main()
