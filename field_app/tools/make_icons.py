"""Draw the field app's icons (a white house with an orange check on navy). Run once, commit the PNGs:

    .venv/bin/python field_app/tools/make_icons.py
"""

from pathlib import Path

from PIL import Image, ImageDraw

ICONS = Path(__file__).resolve().parent.parent / "icons"
NAVY, WHITE, ORANGE = (11, 61, 145), (255, 255, 255), (255, 153, 0)


def icon(size: int, safe: float) -> Image.Image:
    """`safe` is the share of the canvas the drawing may use (maskable icons need a margin)."""
    image = Image.new("RGB", (size, size), NAVY)
    draw = ImageDraw.Draw(image)
    u = size * safe / 10  # drawing unit: the house fits in a 10 x 10 grid centred on the canvas
    ox = oy = (size - 10 * u) / 2

    def p(x, y):
        return (ox + x * u, oy + y * u)

    draw.polygon([p(0.5, 4.6), p(5, 0.8), p(9.5, 4.6)], fill=WHITE)
    draw.rectangle([p(1.7, 4.4), p(8.3, 9.2)], fill=WHITE)
    draw.rectangle([p(4.1, 6.2), p(5.9, 9.2)], fill=NAVY)
    draw.line([p(5.6, 3.6), p(6.6, 4.6), p(8.6, 2.2)], fill=ORANGE, width=max(2, int(u * 0.7)), joint="curve")
    return image


def main() -> None:
    ICONS.mkdir(exist_ok=True)
    icon(192, 0.8).save(ICONS / "icon-192.png", optimize=True)
    icon(512, 0.8).save(ICONS / "icon-512.png", optimize=True)
    icon(512, 0.6).save(ICONS / "icon-maskable-512.png", optimize=True)


if __name__ == "__main__":
    main()
