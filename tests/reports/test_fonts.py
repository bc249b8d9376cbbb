import pytest

import reports.fonts
from reports import FontNotFound, load_fonts, missing_glyphs


def test_emoji_is_reported_missing_from_every_font(fonts):
    assert missing_glyphs("雨どいが外れています🙂", fonts) == {"🙂"}


def test_rare_name_kanji_is_drawn_by_the_fallback_font(fonts):
    assert fonts.fallback is not None, "fonts-ipamj-mincho is installed by make system-packages"
    assert missing_glyphs("𠮷田 花子", fonts) == set()
    assert [c for c in "𠮷田 花子" if fonts.needs_fallback(c)] == ["𠮷"]


def test_without_the_fallback_font_rare_name_kanji_is_missing(tmp_path, monkeypatch):
    monkeypatch.setattr(reports.fonts, "DEFAULT_FALLBACK", str(tmp_path / "ipamjm.ttf"))
    fonts = load_fonts()
    assert fonts.fallback is None and missing_glyphs("𠮷田 花子", fonts) == {"𠮷"}


def test_a_fallback_font_file_that_is_not_there_names_the_setting(tmp_path):
    with pytest.raises(FontNotFound) as e:
        load_fonts(fallback_path=str(tmp_path / "gone.ttf"))
    assert "AKIYA_FONT_FALLBACK" in str(e.value) and "gone.ttf" in str(e.value)


def test_common_and_variant_kanji_are_drawable(fonts):
    assert missing_glyphs("髙橋 齋藤 渡邉　〒981-0501\n①", fonts) == set()


def test_missing_font_file_names_the_setting_and_package(tmp_path):
    with pytest.raises(FontNotFound) as e:
        load_fonts(gothic_path=str(tmp_path / "none.ttf"))
    assert "AKIYA_FONT_GOTHIC" in str(e.value)
    assert "none.ttf" in str(e.value)


def test_no_font_installed_asks_for_fonts_ipaexfont(tmp_path, monkeypatch):
    monkeypatch.setattr(reports.fonts, "DEFAULT_GOTHIC", str(tmp_path / "ipaexg.ttf"))
    monkeypatch.setattr(reports.fonts, "DEFAULT_MINCHO", str(tmp_path / "ipaexm.ttf"))
    with pytest.raises(FontNotFound) as e:
        load_fonts()
    message = str(e.value)
    assert "fonts-ipaexfont" in message and "日本語フォント" in message and "No Japanese font" in message


def test_one_installed_font_serves_for_both(tmp_path, monkeypatch):
    monkeypatch.setattr(reports.fonts, "DEFAULT_MINCHO", str(tmp_path / "ipaexm.ttf"))
    fonts = load_fonts()
    assert fonts.gothic == fonts.mincho
