"""Sample documents with synthetic photos: one truth for tests, the benchmark and demos.

Places, offices and people are made up; wording follows docs/domain (seven watch items,
statutory flag categories, 練馬区-style ranks where A is worst).
"""

import random
from datetime import date, datetime, timedelta
from pathlib import Path

from PIL import Image, ImageDraw, ImageFilter

from reports.model import (
    Airing, CategoryPoints, Change, Comparison, Contract, Criterion, DisasterEvent, DisasterNotice, EarlierResult,
    Flag, Flood, FormItem, HazardReport, ItemResult, MailHandling, Observation, OfficeContact, Owner, OwnerAction,
    OwnerMonthlyReport, Photo, Property, RankDefinition, StatutoryPoints, StatutoryRange, SurveyReport, SurveyRow,
)

OFFICE = OfficeContact(name="矢本郵便局", address="宮城県東松島市矢本字大溜1-1",
                       phone="0225-82-0000", hours="平日 9時～17時")
WATCH_ITEMS = [
    ("exterior", "住宅外観の状況"), ("door_lock", "玄関の施錠状況"), ("entrance", "玄関周辺の状況"),
    ("garden", "庭木・雑草の状況"), ("encroachment", "隣家への越境物の有無"),
    ("dumping", "不法投棄の有無"), ("mailbox", "郵便受箱の投函物の有無"),
]
PHOTO_SLOTS = [
    ("north", "外観（北側）"), ("east", "外観（東側）"), ("south", "外観（南側）"), ("west", "外観（西側）"),
    ("entrance", "玄関"), ("mailbox", "郵便受箱"), ("garden", "庭"), ("owner_request", "ご指定の場所（裏の物置）"),
]


def make_photo(path: Path, seed: int, *, size=(1024, 768), quality: int = 80, grain: float = 0.5) -> Path:
    """An upright JPEG with photo-like entropy (sky, ground, shapes, noise). `grain` sets the file size.
    An existing file is kept: same arguments, same picture."""
    if path.exists():
        return path
    rnd = random.Random(seed)
    w, h = size
    img = Image.new("RGB", size)
    d = ImageDraw.Draw(img)
    for y in range(h // 2):
        c = int(150 + y / (h / 2) * 80)
        d.line([(0, y), (w, y)], fill=(c - 40, c - 10, min(255, c + 20)))
    d.rectangle([0, h // 2, w, h], fill=(90, 110, 70))
    d.polygon([(w * 0.2, h * 0.45), (w * 0.5, h * 0.2), (w * 0.8, h * 0.45)], fill=(70, 60, 60))
    d.rectangle([w * 0.25, h * 0.45, w * 0.75, h * 0.8], fill=(200, 190, 170))
    for _ in range(60):
        x, y, s = rnd.randrange(w), rnd.randrange(h // 3, h), rnd.randrange(20, 200)
        d.rectangle([x, y, x + s, y + s // 2], fill=tuple(rnd.randrange(40, 220) for _ in range(3)))
    noise = Image.effect_noise(size, 40).convert("RGB")
    img = Image.blend(img, noise, grain).filter(ImageFilter.SMOOTH)
    path.parent.mkdir(parents=True, exist_ok=True)
    img.save(path, "JPEG", quality=quality)
    return path


def _photos(photo_dir: Path, when: datetime, seed: int, slots=PHOTO_SLOTS, **kw) -> list[Photo]:
    return [
        Photo(slot_key=key, slot_label=label, taken_at=when + timedelta(minutes=2 * i),
              path=str(make_photo(photo_dir / f"{seed}-{key}.jpg", seed * 100 + i, **kw)))
        for i, (key, label) in enumerate(slots)
    ]


def owner_report(photo_dir: Path, *, owner_name: str = "山田 花子", photos: list[Photo] | None = None,
                 **photo_kw) -> OwnerMonthlyReport:
    """An ordinary visit: 8 photos, one item to check, one change since last month."""
    visit = datetime(2025, 11, 27, 14, 5)
    photos = photos if photos is not None else _photos(photo_dir, visit, 1, **photo_kw)
    last_month = _photos(photo_dir, datetime(2025, 10, 24, 10, 40), 2, slots=PHOTO_SLOTS[6:7], **photo_kw)[0]
    comments = {"garden": "東側の庭木の枝が隣家の敷地へ50cmほど伸びています。",
                "mailbox": "チラシ3通がありました（室内へ移動済み）。"}
    items = [ItemResult(key=k, label=label, status="要確認" if k == "garden" else "異常なし",
                        severity=1 if k == "garden" else 0, comment=comments.get(k, ""))
             for k, label in WATCH_ITEMS]
    return OwnerMonthlyReport(
        reference="W-2025-11-000123", issued_on=date(2025, 11, 28),
        property=Property(address="宮城県東松島市赤井字台12番地3", district="赤井", lat=38.4345, lon=141.2103),
        owner=Owner(name=owner_name, address="東京都世田谷区北沢2丁目10番15号"),
        visit_started_at=visit, visit_ended_at=visit + timedelta(minutes=35),
        carrier_family_name="佐藤", weather="くもり", items=items,
        airing=Airing(rooms=5, minutes=30, water_run=True), mail=MailHandling(moved_inside=3),
        photos=photos,
        changes=[Change(item_label="庭木・雑草の状況", direction="worse", before="異常なし", after="要確認",
                        comment="先月より枝が伸び、隣家の敷地に入っています。",
                        photo_before=last_month, photo_after=photos[6] if len(photos) > 6 else None)],
        actions=[OwnerAction(title="次回の訪問で伸び具合を確認し、ご報告します。", detail="", item_label="庭木・雑草の状況",
                             severity=1, by_office=True)],
        next_visit_month=date(2025, 12, 1), office=OFFICE,
        greeting="いつも「郵便局の空き家みまもり」をご利用いただき、ありがとうございます。"
                 "今月の見回りの結果を、次のとおりご報告いたします。",
        changes_note="先月の訪問時から変わったところはありません。",
    )


def disaster_notice(photo_dir: Path, **photo_kw) -> DisasterNotice:
    checked = datetime(2025, 9, 3, 10, 20)
    slots = [("south", "外観（南側）"), ("roof", "屋根"), ("flood_mark", "浸水の跡（玄関）"), ("wall", "ブロック塀")]
    return DisasterNotice(
        reference="D-2025-09-000045", issued_on=date(2025, 9, 3),
        event=DisasterEvent(name="令和7年台風第15号", occurred_on=date(2025, 9, 1), detail="大雨特別警報（宮城県）"),
        municipality="東松島市",
        property=Property(address="宮城県東松島市赤井字台12番地3", district="赤井", lat=38.4345, lon=141.2103),
        owner=Owner(name="山田 花子"), checked_at=checked, carrier_family_name="佐藤",
        observations=[
            Observation(label="屋根瓦", value="南面の一部がずれています", severity=1),
            Observation(label="窓ガラス", value="割れは見当たりません"),
            Observation(label="ブロック塀", value="道路側へ傾いています", severity=2),
            Observation(label="浸水の跡", value="玄関まわりに泥の跡があります", severity=1),
        ],
        flood=Flood(above_ground_cm=35, above_floor_cm=None),
        hazards_reported=[HazardReport(hazard="ブロック塀の傾き（道路側）", reported_to="東松島市 建設課",
                                       reported_at=checked + timedelta(minutes=30))],
        photos=_photos(photo_dir, checked, 3, slots=slots, **photo_kw),
        next_steps=["被害の程度の認定（罹災証明書）が必要な場合は、東松島市へ申請してください。",
                    "ブロック塀は倒れるおそれがあります。専門業者による点検をおすすめします。"],
        office=OFFICE,
        about="この報告は、郵便局の担当者が<b>道路から建物の外観を目で見て確認した記録</b>です。"
              "敷地や建物の中には入っていません。建物の被害の程度を判定したものではありません。",
    )


DISTRICTS = ["赤井", "矢本", "大曲", "小松", "大塩", "野蒜"]
POINT_CATEGORIES = ["自治体加算（落下のおそれ・景観）"]
SCORE = "危険度（自治体基準）"
RANKS = [RankDefinition(rank="A", label="要注意（例：危険度50以上）", min=50, scheme=SCORE),
         RankDefinition(rank="B", label="注意（例：危険度1〜49）", min=1, scheme=SCORE),
         RankDefinition(rank="C", label="加算なし（例：危険度0）", min=0, scheme=SCORE)]
FLAG_EXAMPLES = [("保安上危険", "至急", "屋根・外壁等の道路・隣地への落下のおそれ（要現地確認）"),
                 ("衛生上有害", "要確認", "ごみの堆積・悪臭による衛生上有害のおそれ（要現地確認）"),
                 ("景観", "経過観察", "屋根・外壁・窓の破損による景観を損なうおそれ（要現地確認）"),
                 ("周辺の生活環境", "要確認", "立木の枝の道路・隣地への越境による生活環境への影響のおそれ（要現地確認）")]
KUBUN = [("1 構造一般の程度", 50), ("2 構造の腐朽又は破損の程度", 100), ("3 防火上又は避難上の構造の程度", 30),
         ("4 排水設備", 10)]
STATES = ["高", "中", "低", "居住中", "高", "中"]


def _statutory(rnd: random.Random) -> StatutoryRange:
    seen = [rnd.choice([0, 0, 10]), rnd.choice([0, 15, 25, 50, 100]), 0, rnd.choice([0, 10])]
    could = [50, rnd.choice([0, 15]), 30, 0]
    cats = [StatutoryPoints(category=k, min=min(v, cap), max=min(v + c, cap), cap=cap)
            for (k, cap), v, c in zip(KUBUN, seen, could)]
    low, high = sum(c.min for c in cats), sum(c.max for c in cats)
    code = "defective" if low >= 100 else "undetermined" if high >= 100 else "not_defective"
    verdict = {"defective": "不良住宅（不良度100以上）", "undetermined": "判定不能",
               "not_defective": "不良住宅に当たらない（不良度100未満）"}[code]
    return StatutoryRange(label="不良度（住宅地区改良法施行規則 別表第1）", verdict=verdict, verdict_code=code,
                          min=low, max=high,
                          categories=cats, unseen=["1(二) 柱の最小径が7.5cm未満", "3(一) 延焼のおそれのある外壁"])


def survey_report(photo_dir: Path, n: int = 12, photos_per_row: int = 2, **photo_kw) -> SurveyReport:
    """A contract with n properties; photos are shared files, as a real survey never repeats them."""
    rnd = random.Random(n)
    shared = _photos(photo_dir, datetime(2025, 10, 1, 9, 0), 4, **photo_kw)
    rows = []
    for i in range(n):
        municipal = rnd.choice([0, 0, 15, 22, 50, 75])
        rank = RANKS[0] if municipal >= 50 else RANKS[1] if municipal > 0 else RANKS[2]
        flags = [Flag(category=c, urgency=u, label=label) for c, u, label in FLAG_EXAMPLES if rnd.random() < 0.3]
        when = datetime(2025, 10, 1, 9, 0) + timedelta(hours=i // 8 * 24 + i % 8)
        rows.append(SurveyRow(
            ref=f"{i + 1:04d}",
            property=Property(address=f"宮城県東松島市{DISTRICTS[i % 6]}字前{i + 1}番地", district=DISTRICTS[i % 6],
                              lat=round(38.40 + rnd.random() * 0.06, 6), lon=round(141.15 + rnd.random() * 0.1, 6),
                              real_estate_id=f"{4000000000000 + i:013d}-0000" if i % 3 == 0 else "",
                              building_use="専用住宅", structure="木造", storeys=rnd.choice([1, 2]),
                              ledger_no=f"HM-{i + 1:05d}", chiban=f"{DISTRICTS[i % 6]}字前{i + 1}番",
                              kaoku_no=f"{i + 1}番の1" if i % 2 == 0 else ""),
            likelihood=STATES[i % len(STATES)], rank=rank.rank, rank_label=rank.label, total_points=municipal,
            points=[CategoryPoints(category=POINT_CATEGORIES[0], points=municipal)],
            indicators=[Observation(label="表札", value=rnd.choice(["あり", "なし"])),
                        Observation(label="郵便受け", value=rnd.choice(["投函物なし", "チラシが溜まっている"])),
                        Observation(label="電気メーター", value=rnd.choice(["動いている", "止まっている",
                                                                          "スマートメーター（外から使用状況を確認できない）"]))],
            flags=flags, comment="道路から目視。南側の屋根に瓦のずれが見られる。" if municipal >= 50 else "",
            photos=[shared[(i + k) % len(shared)] for k in range(photos_per_row)],
            surveyed_by="佐藤", surveyed_at=when, rubric_version="2", score_label="危険度（自治体基準）",
            statutory=_statutory(rnd),
            answers={"表札": rnd.choice(["あり", "なし"]), "構造": "木造"},
        ))
    return SurveyReport(
        contract=Contract(number="東松総第123号", title="令和7年度 空家等実態調査業務", municipality="宮城県東松島市",
                          municipality_code="042145", period_start=date(2025, 10, 1), period_end=date(2025, 12, 19),
                          contractor="日本郵便株式会社 矢本郵便局", contractor_address=OFFICE.address,
                          houses_in_area=18_400),
        issued_on=date(2025, 12, 19), rubric_id="municipal_survey", rubric_version="2",
        rubric_title="空家等実態調査（外観調査）", ranks=RANKS, point_categories=POINT_CATEGORIES,
        method_notes=["調査は公道から目視できる範囲に限り、敷地内には立ち入っていません。"],
        rows=rows, item_columns=["表札", "構造"],
        criteria=[Criterion(category="1 構造一般の程度", cap=50, item="1(一) 基礎", content="基礎が玉石", points=10),
                  Criterion(category="1 構造一般の程度", cap=50, item="1(一) 基礎", content="基礎がない", points=20),
                  Criterion(category="2 構造の腐朽又は破損の程度", cap=100, item="2(二) 基礎、土台、柱又ははり",
                            content="崩壊の危険のあるもの", points=100)],
        statutory_source="住宅地区改良法施行規則（昭和35年建設省令第10号）第1条・別表第1",
        blank_form=[FormItem(section="空き家の判定", label="表札", choices=["あり", "なし", "外から確認できない"]),
                    FormItem(section="空き家の判定", label="自由記入")],
        comparison=Comparison(
            earlier_title="令和6年度 空家等実態調査業務", earlier_period_end=date(2024, 12, 20),
            earlier={f"宮城県東松島市{DISTRICTS[i % 6]}字前{i + 1}番地": EarlierResult(
                address=f"宮城県東松島市{DISTRICTS[i % 6]}字前{i + 1}番地", ref=f"{i + 1:04d}", likelihood="高", rank="B")
                for i in range(0, n, 2)} | {"宮城県東松島市赤井字後1番地": EarlierResult(
                    address="宮城県東松島市赤井字後1番地", ref="0999", likelihood="高", rank="A")},
            removed=["宮城県東松島市赤井字後1番地"]),
    )
