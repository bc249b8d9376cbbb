"""The demo's living system: a month of past visits, today's open tasks, a recent 大雨.

Everything is relative to `today`, so a demo seeded on any day looks current: past visits
fall between today-31 and yesterday (watch visits owed before this month's fall in the
previous calendar month, so this month's task never collides with them), and every
carrier has survey and watch tasks due today; carrier1 also has a post-disaster one.
"""

from datetime import date, datetime, time, timedelta
from zlib import crc32

import msgspec

from . import answers as A
from .photos import JST, house_photo
from .town import SUBSCRIPTIONS, SURVEY_CONTRACT, WatchSubscription, property_by_key

SURVEY_V1 = ("survey", SURVEY_CONTRACT.rubric_id, 1)  # the oldest visits: made with version 1, still rendered with it
SURVEY_V2 = ("survey", SURVEY_CONTRACT.rubric_id, 2)
SURVEY_NEW = ("survey", SURVEY_CONTRACT.rubric_id, SURVEY_CONTRACT.rubric_version)  # v3: recent visits, today's tasks
# The town changed forms during the survey: to v2 (別表第1) this many days ago, then to v3 (v2 plus 接道・敷地 for
# the 利活用判定). So the report holds v3 houses in every 利活用 class beside v2 ones with a statutory range and
# older v1 ones, each labelled with its form.
V2_SINCE_DAYS = 22
V3_SINCE_DAYS = 16
WATCH = ("watch", "watch_basic", 2)
WORK = ("work", "option_work", 1)
DISASTER = ("disaster", "post_disaster", 2)
APPROVED_AFTER_DAYS = 7  # older visits were reviewed by the office; newer ones wait in its queue


class DisasterEvent(msgspec.Struct, frozen=True, kw_only=True):
    key: str
    kind: str  # earthquake | typhoon | heavy_rain | snow (disaster_events.kind)
    title: str
    intensity: str
    occurred_at: datetime
    districts: tuple[str, ...]  # the area: these 大字 of the town
    include_surveyed: bool  # False: only houses with a watch subscription and the disaster option


class PastVisit(msgspec.Struct, frozen=True, kw_only=True):
    key: str  # stable, e.g. "s-p01" / "w-p03" / "d-p34": derive UUIDs from it
    property: str
    carrier: str
    kind: str  # survey | watch | disaster | work
    rubric_id: str
    rubric_version: int
    started_at: datetime
    finished_at: datetime
    lat: float  # where the carrier stood, on the road in front
    lon: float
    accuracy_m: float
    options: tuple[str, ...]
    answers: dict
    photo_slots: tuple[str, ...]
    period: str | None = None  # YYYY-MM of a watch visit
    disaster: str | None = None  # DisasterEvent.key of a post-disaster visit
    status: str = "approved"  # approved | submitted
    notes: str = ""  # the carrier's 備考 to the office (never printed for the owner)


class OpenTask(msgspec.Struct, frozen=True, kw_only=True):
    property: str
    carrier: str
    kind: str
    rubric_id: str
    rubric_version: int
    due_date: date
    priority: int = 0  # 0 normal, 2 urgent (post-disaster)
    options: tuple[str, ...] = ()
    period: str | None = None
    disaster: str | None = None
    note: str = ""


# Survey visits done: (days ago, start time, property, condition in answers.py, comment).
_SURVEYED = [
    (29, "09:40", "p01", "quiet_vacant", ""),
    (29, "10:05", "p02", "neglected", "南側の土台に腐朽が見られます。"),
    (26, "13:20", "p03", "managed", "所有者による管理あり（みまもりサービス利用中）。"),
    (26, "13:45", "p04", "neglected", "倉庫。トタン屋根の一部がずれています。"),
    (10, "10:10", "p05", "for_sale", "店舗跡。不動産会社の売物件看板あり。前面は私道で、公道との接続は確認できません。"),
    (15, "11:30", "p08", "occupied", "洗濯物あり。居住者がいる様子です。"),
    (8, "14:15", "p09", "dangerous_school_route", "2階の外壁材が道路側に落ちそうです。通学路のため早めの対応が必要です。"),
    (28, "09:15", "p16", "quiet_vacant", ""),
    (12, "09:50", "p17", "for_sale", ""),
    (21, "15:05", "p18", "neglected", ""),
    (14, "10:40", "p19", "quiet_vacant", "郵便受けにチラシが多数たまっています。"),
    (7, "13:30", "p20", "dangerous", "屋根の軒先が垂れ下がっています。"),
    (3, "11:10", "p23", "neglected", "生け垣が道路にはみ出しています。"),
    (16, "10:00", "p31", "quiet_vacant", ""),
    (16, "10:30", "p32", "dangerous", "屋根の一部が崩れ、道路側に瓦が落ちています。"),
    (20, "14:00", "p33", "quiet_vacant", "倉庫。扉は施錠されています。"),
    (20, "14:20", "p34", "managed", "所有者による管理あり（みまもりサービス利用中）。"),
    (13, "09:35", "p35", "occupied", "車が出入りしており居住者がいる様子です。"),
    (6, "15:40", "p36", "neglected", ""),
    (2, "10:20", "p39", "for_sale", ""),
    (10, "13:00", "p46", "quiet_vacant", ""),
    (9, "13:25", "p47", "managed", "所有者による管理あり（みまもりサービス利用中）。"),
    (18, "09:10", "p48", "neglected", "ブロック塀にひび割れがあります。"),
    (11, "14:50", "p49", "dangerous", "ブロック塀が道路側へ傾いています。通行に注意が必要です。"),
    (4, "10:45", "p50", "quiet_vacant", ""),
    (4, "11:15", "p53", "neglected", ""),
]

# 敷地と接道 as the carriers saw it on the v3 form (the 利活用判定's inputs), by house; others: A.SITE_WIDE.
_SITE = {
    "p05": A.SITE_PRIVATE_WAY, "p08": A.SITE_NARROW, "p09": A.SITE_NARROW, "p20": A.SITE_UNKNOWN,
    "p49": A.SITE_STEPS, "p47": A.SITE_SLOPED, "p36": A.SITE_NARROW, "p53": A.SITE_STEPS,
}

# Survey tasks still open: (property, due in days; 0 = today).
_SURVEY_DUE = [
    ("p10", 0), ("p11", 0), ("p12", 3), ("p15", 5),
    ("p25", 0), ("p26", 0), ("p29", 4),
    ("p40", 0), ("p41", 0), ("p43", 2), ("p44", 6),
    ("p56", 0), ("p58", 0), ("p60", 3),
]

# Watch visits: (property, start time, answers beyond all-normal and the option defaults).
# Due today: last visited at the end of the previous month (days before the 1st).
_WATCH_DUE_TODAY = [
    ("p03", 0, "10:00", {"requested_spot_note": "裏庭の物置：扉は閉まっており異常ありません。"}),
    ("p14", 2, "14:30", {
        "exterior": "check", "exterior_note": "北側の雨どいが外れかけています（写真あり）。",
        "requested_spot_note": "北側の雨どい：落ち葉が詰まり、一部外れかけています。",
        "mail_moved_inside": 6,
    }),
    ("p21", 1, "11:00", {
        "garden": "abnormal", "garden_note": "雑草が腰の高さまで伸びています。",
        "litter_picked": True, "photo_waiver_right": "neighbour_wall",
    }),
    ("p34", 0, "09:30", {"mailbox": "none"}),
    ("p47", 1, "15:10", {
        "dumping": "check", "dumping_note": "門扉の前に空き缶の入った袋が置かれていました。",
        "litter_picked": True, "mail_forwarded": 1,
        "requested_spot_note": "門扉とブロック塀：ブロック塀に細いひびがあります（前回と変化なし）。",
    }),
]
# Visited this month already: (property, days ago, start time, answers).
_WATCH_DONE = [
    ("p07", 12, "13:15", {
        "garden": "check", "garden_note": "生け垣が道路側に伸び始めています。", "mail_forwarded": 3,
        "mailbox": "full",
    }),
    ("p28", 9, "10:20", {
        "airing_rooms": 5, "airing_minutes": 40, "requested_spot_note": "勝手口：施錠されており破損はありません。",
    }),
    ("p38", 6, "14:00", {
        "encroachment": "check", "encroachment_note": "柿の枝が隣家の敷地へ伸びかけています。",
        "mail_moved_inside": 4, "requested_spot_note": "庭の柿の木：実が落ちて散らばっています。",
    }),
    ("p42", 15, "11:40", {
        "airing_done": False, "airing_skipped_reason": "雨天のため窓を開けられませんでした。次回実施します。",
        "mail_moved_inside": 2,
    }),
    ("p55", 4, "09:50", {"mailbox": "none"}),
]
# Ordered work done (server/demo/town.py ORDERS names it): (visit key, property, work, days before the house's
# last watch visit, start time, minutes, answers, photo slots). Two days before p03's visit at the end of the
# previous month, so the owner's report of that month prints it under 草刈.
MOWING_VISIT = "g-p03"
_WORK_DONE = [
    (MOWING_VISIT, "p03", "mowing", 2, "09:00", 90, {
        "mowing_done": True, "mowing_areas": ["front_yard", "back_yard"], "mowing_area_m2": 60,
        "mowing_clippings": "bagged_on_site",
        "mowing_note": "裏庭の物置の裏は幅が狭いため、手の届く所まで刈りました。",
    }, ("mowing_front_yard_before", "mowing_back_yard_before", "mowing_front_yard_after", "mowing_back_yard_after")),
]
# hidden when airing_done is false
_AIRING_ONLY = ("airing_rooms", "airing_minutes", "water_state", "indoor_findings", "lock_on_exit", "key_received_at",
                "key_returned_at")
# The carrier's 備考 to the office on some visits: internal, never in the owner's report.
_NOTES = {"p07": "生垣の伸びについて所有者へ連絡をお願いします。"}

# Post-disaster visits after the rain: (property, carrier, start time, answers).
_AFTER_RAIN = [
    ("p34", "carrier3", "09:00", A.AFTER_RAIN_UNHARMED),
    ("p42", "carrier3", "09:40", A.AFTER_RAIN_FLOODED),
]
_AFTER_RAIN_OPEN = [("p14", "carrier1")]


def demo_disaster(today: date) -> DisasterEvent:
    """大雨 two days ago along the river, over 東原・南平・中島."""
    return DisasterEvent(
        key="heavy-rain", kind="heavy_rain", title="大雨（青葉川の増水）", intensity="大雨警報",
        occurred_at=datetime.combine(today - timedelta(days=2), time(3, 0), JST),
        districts=("東原", "南平", "中島"), include_surveyed=False,
    )


def demo_history(today: date) -> list[PastVisit]:
    """Every past inspection of the demo, oldest first."""
    visits = [_survey_visit(today, *row) for row in _SURVEYED]
    for key, days_before_month, start, extra in _WATCH_DUE_TODAY:
        visits.append(_watch_visit(today, key, _last_watch_day(today, key), start, extra))
    for key, days_ago, start, extra in _WATCH_DONE:
        visits.append(_watch_visit(today, key, _watch_done_day(today, days_ago), start, extra))
    for visit_key, key, work, days_before, start, minutes, answers, slots in _WORK_DONE:
        day = work_visit_day(today, visit_key)
        visits.append(_visit(visit_key, key, property_by_key(key).carrier, WORK, day, start, minutes, today,
                             answers=answers, slots=slots, options=(work,)))
    event = demo_disaster(today)
    for key, carrier, start, answers in _AFTER_RAIN:
        visits.append(_visit(f"d-{key}", key, carrier, DISASTER, today - timedelta(days=1), start, 8, today,
                             answers=answers, slots=_disaster_slots(answers), disaster=event.key))
    return sorted(visits, key=lambda v: v.started_at)


def open_tasks(today: date) -> list[OpenTask]:
    """Tasks not done yet: survey and watch ones due today for every carrier, some later."""
    tasks = [_task(key, SURVEY_NEW, today + timedelta(days=days)) for key, days in _SURVEY_DUE]
    period = f"{today:%Y-%m}"
    for key, *_ in _WATCH_DUE_TODAY:
        subscription = _subscription(key)
        note = f"ご依頼箇所：{subscription.requested_spot}" if subscription.requested_spot else ""
        tasks.append(_task(key, WATCH, today, options=subscription.options, period=period, note=note))
    if today.day == 1:  # nothing of this month is done on its first day: the rest is due later
        for key, days_ago, *_ in _WATCH_DONE:
            tasks.append(_task(key, WATCH, today + timedelta(days=days_ago), options=_subscription(key).options,
                               period=period))
    event = demo_disaster(today)
    for key, carrier in _AFTER_RAIN_OPEN:
        tasks.append(_task(key, DISASTER, today, priority=2, options=("disaster",), disaster=event.key,
                           note=f"{event.title}の後の見回り"))
    return tasks


def demo_photo(visit: PastVisit, slot: str) -> bytes:
    """The JPEG a carrier took for `slot` on `visit`: GPS where they stood, a minute per photo. A work
    record's `<place>_before` and `<place>_after` show the same place, overgrown at the start of the work and
    mown at its end."""
    index = visit.photo_slots.index(slot)
    house = int(visit.property[1:])
    for end, weeds in (("_before", 700), ("_after", 25)):
        if visit.kind == "work" and slot.endswith(end):
            place = slot[:-len(end)]
            taken = visit.started_at + timedelta(minutes=index) if end == "_before" else \
                visit.finished_at - timedelta(minutes=len(visit.photo_slots) - index)
            return house_photo(house * 1000 + crc32(f"{visit.key}/{place}".encode()) % 1000, lat=visit.lat,
                               lon=visit.lon, taken_at=taken, weeds=weeds)
    return house_photo(house * 1000 + crc32(f"{visit.key}/{slot}".encode()) % 1000, lat=visit.lat, lon=visit.lon,
                       taken_at=visit.started_at + timedelta(minutes=index))


def work_visit_day(today: date, visit_key: str) -> date:
    """The day the demo's ordered work `visit_key` was done (its order in town.ORDERS is counted from it)."""
    [(key, days_before)] = [(k, d) for v, k, _, d, *_ in _WORK_DONE if v == visit_key]
    watch = _last_watch_day(today, key)
    # In the watch visit's month and within the demo's month of history (on a 31st the visit is 31 days ago).
    return max(watch - timedelta(days=days_before), watch.replace(day=1), today - timedelta(days=31))


def _last_watch_day(today: date, key: str) -> date:
    """The day of the house's last past watch visit (a house due today was last visited at the end of the
    previous month)."""
    for due_key, days_before_month, *_ in _WATCH_DUE_TODAY:
        if due_key == key:
            return max(today.replace(day=1) - timedelta(days=1 + days_before_month), today - timedelta(days=31))
    [days_ago] = [d for k, d, *_ in _WATCH_DONE if k == key]
    return _watch_done_day(today, days_ago)


def _watch_done_day(today: date, days_ago: int) -> date:
    """Within this month when possible; on the 1st there is no past day of this month."""
    return today - timedelta(days=min(days_ago, today.day - 1) if today.day > 1 else days_ago)


def _survey_visit(today: date, days_ago: int, start: str, key: str, condition: str, comment: str) -> PastVisit:
    if days_ago <= V3_SINCE_DAYS:
        rubric, answers = SURVEY_NEW, A.SURVEY_CONDITIONS_V2[condition] | _SITE.get(key, A.SITE_WIDE)
    elif days_ago <= V2_SINCE_DAYS:
        rubric, answers = SURVEY_V2, A.SURVEY_CONDITIONS_V2[condition]
    else:
        rubric, answers = SURVEY_V1, A.SURVEY_CONDITIONS[condition]
    answers = answers | ({"comment": comment} if comment else {})
    damaged = condition not in ("occupied", "managed", "for_sale")
    slots = ("overview", "front", "damage") if damaged else ("overview", "front")
    return _visit(f"s-{key}", key, property_by_key(key).carrier, rubric, today - timedelta(days=days_ago), start, 6,
                  today, answers=answers, slots=slots)


def _watch_visit(today: date, key: str, day: date, start: str, extra: dict) -> PastVisit:
    subscription = _subscription(key)
    answers = dict(A.WATCH_ALL_NORMAL)
    for option in subscription.options:
        answers |= A.WATCH_OPTION_ANSWERS[option]
    answers |= extra
    if answers.get("airing_done") is False:
        answers = {k: v for k, v in answers.items() if k not in _AIRING_ONLY}
    slots = tuple(s for s in ("front", "right", "back", "left", "entrance", "mailbox", "garden")
                  if f"photo_waiver_{s}" not in answers)
    if answers.get("garden") == "abnormal" or answers.get("exterior") == "abnormal":
        slots += ("finding",)
    if subscription.requested_spot:
        slots += ("requested_spot",)
    minutes = 40 if "airing" in subscription.options else 15
    return _visit(f"w-{key}", key, property_by_key(key).carrier, WATCH, day, start, minutes, today,
                  answers=answers, slots=slots, options=subscription.options, period=f"{day:%Y-%m}",
                  notes=_NOTES.get(key, ""))


def _disaster_slots(answers: dict) -> tuple[str, ...]:
    return ("overview", "road") + (("flood_mark",) if answers["flood"] != "none" else ()) + (
        ("damage",) if answers["other_damage"] else ())


def _visit(visit_key: str, key: str, carrier: str, rubric: tuple, day: date, start: str, minutes: int,
           today: date, *, answers: dict, slots: tuple, options: tuple = (), period: str | None = None,
           disaster: str | None = None, notes: str = "") -> PastVisit:
    kind, rubric_id, version = rubric
    house = property_by_key(key)
    started = datetime.combine(day, time.fromisoformat(start), JST)
    nudge = (crc32(visit_key.encode()) % 21 - 10) * 1e-5  # the road in front, 0–15 m from the point
    recent = (today - day).days < APPROVED_AFTER_DAYS
    return PastVisit(
        key=visit_key, property=key, carrier=carrier, kind=kind, rubric_id=rubric_id, rubric_version=version,
        started_at=started, finished_at=started + timedelta(minutes=minutes), lat=round(house.lat + nudge, 6),
        lon=round(house.lon - nudge, 6), accuracy_m=8.0, options=options, answers=answers, photo_slots=slots,
        period=period, disaster=disaster, status="submitted" if recent else "approved", notes=notes,
    )


def _task(key: str, rubric: tuple, due: date, **fields) -> OpenTask:
    kind, rubric_id, version = rubric
    return OpenTask(property=key, carrier=property_by_key(key).carrier, kind=kind, rubric_id=rubric_id,
                    rubric_version=version, due_date=due, **fields)


def _subscription(key: str) -> WatchSubscription:
    return next(s for s in SUBSCRIPTIONS if s.property == key)

