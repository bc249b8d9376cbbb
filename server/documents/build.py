"""From approved records to the `reports` input model: every label resolved from the rubric
the visit used, every photo a report-size file on local disk (fetched from object storage if the
photos are there: server/photos/store.py), every time in Japan time."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from pathlib import Path

import aiosqlite

import reports.model as m
from server.clock import JST
from server.documents import queries as q
from server.inspections import approved
from server.inspections.approved import ApprovedVisit
from server.documents import wording
from server.rubrics.audience import owner_text
from server import problems
from server.inspections.queries import visit_month
from server.photos.store import PhotoStore
from server.rubrics import RubricRegistry, compare
from server.rubrics.model import Item, Rubric

FLAG_CATEGORY = {"safety": "保安上危険", "sanitation": "衛生上有害", "landscape": "景観",
                 "living_environment": "周辺の生活環境"}


def _jst(text: str | None) -> datetime | None:
    """A stored RFC 3339 time as Japan wall-clock time (what a reader expects on paper)."""
    return datetime.fromisoformat(text).astimezone(JST).replace(tzinfo=None) if text else None


def _issued_on(row: ApprovedVisit) -> date:
    """The review date: a document built twice from the same records is the same document."""
    return _jst(row.reviewed_at or row.finished_at).date()


def _property(h: q.HouseRow) -> m.Property:
    return m.Property(address=h.address, district=h.district, lat=h.lat, lon=h.lon,
                      real_estate_id=h.real_estate_id or "", building_use=h.building_use, structure=h.structure,
                      storeys=h.storeys, ledger_no=h.ledger_no, chiban=h.chiban, kaoku_no=h.kaoku_no)


def _office(o: q.OfficeRow | None) -> m.OfficeContact:
    if o is None:
        return m.OfficeContact(name="郵便局")
    return m.OfficeContact(name=o.name, address=o.address, phone=o.phone, hours=o.hours)


def _family(name: str) -> str:
    return name.split()[0] if name.split() else name


async def _photo_files(store: PhotoStore, photos_by: dict[str, list[q.PhotoRow]]) -> dict[str, Path]:
    """Every listed photo's report-size image as a local file (fetched from object storage if need be)."""
    return await store.report_files(r.id for rows in photos_by.values() for r in rows)


def _photos(rubric: Rubric, rows: list[q.PhotoRow], files: dict[str, Path]) -> list[m.Photo]:
    labels = {s.key: s.label for s in rubric.photo_slots}
    order = {s.key: n for n, s in enumerate(rubric.photo_slots)}
    ordered = sorted(rows, key=lambda r: (order.get(r.slot, 99), r.id))
    return [m.Photo(slot_key=r.slot, slot_label=labels.get(r.slot, r.slot), path=str(files[r.id]),
                    taken_at=_jst(r.taken_at), heading=wording.compass(r.heading))
            for r in ordered if r.id in files]


def _option(item: Item, value) -> tuple[str, int]:
    for option in item.options:
        if option.value == value:
            return option.label, option.severity
    if item.type == "boolean":
        return ("はい" if value else "いいえ"), 0
    return str(value), 0


def _rubric(rubrics: RubricRegistry, row: ApprovedVisit) -> Rubric:
    rubric = rubrics.get(row.rubric_id, row.rubric_version)
    if rubric is None:
        raise problems.RUBRIC_MISSING(rubric_id=row.rubric_id, version=row.rubric_version)
    return rubric


# --- the owner's monthly watch report -------------------------------------------------------

async def owner_monthly(conn: aiosqlite.Connection, rubrics: RubricRegistry, store: PhotoStore,
                        property_id: str, month: str, owner_id: int | None = None) -> m.OwnerMonthlyReport:
    """The month's report, addressed to the owner whose subscription covered the visit; with `owner_id`,
    only that owner's visits. Either way the comparison is with the same owner's earlier visit only."""
    visit = await approved.last_approved_in_month(conn, property_id, "watch", month, owner_id)
    if visit is None:
        raise problems.NO_REPORT("month", month=month)
    addressee = await approved.addressee_of_visit(conn, visit.id)
    same_owner = owner_id if owner_id is not None else (addressee.id if addressee is not None else None)
    previous = await approved.last_approved_before(conn, property_id, "watch", visit.started_at, same_owner)
    rubric = _rubric(rubrics, visit)
    house = (await q.houses(conn, [property_id]))[property_id]
    photos_by = await q.photos_of(conn, [visit.id] + ([previous.id] if previous else []))
    files = await _photo_files(store, photos_by)
    taken = _photos(rubric, photos_by.get(visit.id, []), files)
    photos = [p for p in taken if p.taken_at is None or p.taken_at.strftime("%Y-%m") == month]
    before = _photos(_rubric(rubrics, previous), photos_by.get(previous.id, []), files) if previous else []
    owner = addressee or approved.Addressee(0, "所有者", "")
    a = visit.answers
    next_period = await q.next_watch_period(conn, property_id, month)
    started = _jst(visit.started_at)
    next_visit = date.fromisoformat(f"{next_period}-01") if next_period else _next_month(started.date())
    comparison = _watch_comparison(previous, visit, month)
    items = _watch_items(rubric, a)
    spot_name = await q.requested_spot_of(conn, visit.task_id)
    spot_answer = owner_text(rubric, a, "requested_spot_note")
    return m.OwnerMonthlyReport(
        reference=f"W-{property_id[:8].upper()}-{month.replace('-', '')}",
        issued_on=_issued_on(visit),
        property=_property(house), owner=m.Owner(name=owner.name, address=owner.address),
        visit_started_at=started, visit_ended_at=_jst(visit.finished_at),
        carrier_family_name=_family(visit.carrier_name),
        items=items,
        airing=m.Airing(rooms=int(a.get("airing_rooms", 0)), minutes=int(a.get("airing_minutes", 0)),
                        water_run=a.get("water_state") not in (None, "not_done"))
        if a.get("airing_done") else None,
        mail=m.MailHandling(moved_inside=int(a.get("mail_moved_inside", 0)), forwarded=int(a.get("mail_forwarded", 0)))
        if "mail_moved_inside" in a or "mail_forwarded" in a else None,
        photos=photos,
        earlier_photos=[p for p in taken if p not in photos] + before,
        photo_waivers=_waivers(rubric, a),
        changes=_changes(rubric, previous, visit, photos, before) if comparison == "compared" else [],
        changes_note=wording.COMPARISON_NOTES.get(comparison, wording.NO_CHANGE),
        actions=[wording.owner_action(i, a, next_visit) for i in items if i.severity > 0],
        remarks="\n".join(t for t in (owner_text(rubric, a, "owner_message"),
                                      owner_text(rubric, a, "airing_skipped_reason")) if t),
        requested_spot=m.RequestedSpot(name=spot_name, answer=spot_answer) if spot_name or spot_answer else None,
        next_visit_month=next_visit,
        office=_office(await q.office(conn, house.office_code)),
        greeting=wording.GREETING,
    )


def _watch_comparison(previous: ApprovedVisit | None, visit: ApprovedVisit, month: str) -> str:
    """'compared' only against last month's visit under the same rubric and version."""
    if previous is None:
        return "first"
    if (previous.rubric_id, previous.rubric_version) != (visit.rubric_id, visit.rubric_version):
        return "rubric_changed"
    last_month = (date.fromisoformat(f"{month}-01") - timedelta(days=1)).strftime("%Y-%m")
    return "compared" if visit_month(previous.started_at) == last_month else "no_previous_month"


def _waivers(rubric: Rubric, answers: dict) -> list[m.PhotoWaiver]:
    out = []
    for slot in rubric.photo_slots:
        item = rubric.item(slot.waiver_item) if slot.waiver_item else None
        if item is not None and slot.waiver_item in answers:
            out.append(m.PhotoWaiver(slot_label=slot.label, reason=_option(item, answers[slot.waiver_item])[0]))
    return out


def _next_month(day: date) -> date:
    return (day.replace(day=1) + timedelta(days=32)).replace(day=1)


def _watch_items(rubric: Rubric, answers: dict) -> list[m.ItemResult]:
    """Every answered choice item (and multi item, by its worst choice) outside the photo waivers,
    each with its `<key>_note` comment when the owner may read it."""
    waivers = {s.waiver_item for s in rubric.photo_slots if s.waiver_item}
    items = []
    for item in rubric.all_items():
        if item.type not in ("choice", "multi") or item.key not in answers or item.key in waivers:
            continue
        value = answers[item.key]
        chosen = [_option(item, v) for v in (value if item.type == "multi" else [value])]
        if item.type == "multi" and not chosen:
            chosen = [("なし", 0)]
        label = "、".join(c[0] for c in chosen)
        severity = max(c[1] for c in chosen)
        items.append(m.ItemResult(key=item.key, label=item.label, status=label, severity=severity,
                                  comment=owner_text(rubric, answers, _note_key(item.key))))
    return items


def _note_key(item_key: str) -> str:
    return "indoor_note" if item_key == "indoor_findings" else f"{item_key}_note"


def _changes(rubric: Rubric, previous: ApprovedVisit | None, visit: ApprovedVisit,
             photos_now: list[m.Photo], photos_then: list[m.Photo]) -> list[m.Change]:
    if previous is None or previous.rubric_id != visit.rubric_id:
        return []

    def slot_photo(photos: list[m.Photo], item_key: str) -> m.Photo | None:
        return next((p for p in photos if p.slot_key == item_key or p.slot_key.startswith(item_key)
                     or item_key.startswith(p.slot_key)), None)

    return [m.Change(item_label=c.label, direction=c.direction, before=c.before, after=c.after,
                     comment=owner_text(rubric, visit.answers, _note_key(c.item)),
                     photo_before=slot_photo(photos_then, c.item), photo_after=slot_photo(photos_now, c.item))
            for c in compare(rubric, previous.answers, visit.answers)]


# --- the post-disaster notice ------------------------------------------------------------------

_EVENT_KIND = {"earthquake": "地震", "typhoon": "台風", "heavy_rain": "大雨・洪水", "snow": "大雪", "other": "災害"}


async def disaster_notice(conn: aiosqlite.Connection, rubrics: RubricRegistry, store: PhotoStore,
                          inspection_id: str) -> m.DisasterNotice:
    visit = await approved.approved_visit(conn, inspection_id, "disaster")
    if visit is None:
        raise problems.NO_REPORT("disaster")
    rubric = _rubric(rubrics, visit)
    house = (await q.houses(conn, [visit.property_id]))[visit.property_id]
    event = await q.disaster_event_of(conn, visit.task_id)
    checked = _jst(visit.started_at)
    a = visit.answers
    observations = []
    for item in rubric.all_items():
        if item.key not in a or item.type not in ("choice", "multi") or item.key in _NOT_OBSERVATIONS:
            continue
        values = a[item.key] if item.type == "multi" else [a[item.key]]
        for value in values:
            label, severity = _option(item, value)
            observations.append(m.Observation(label=item.label, value=label, severity=severity))
    hazards = [_option(rubric.item("hazards"), h)[0] for h in a.get("hazards", [])]
    reported_to = [_option(rubric.item("reported_to"), r)[0] for r in a.get("reported_to", [])]
    reported = bool(a.get("reported")) and bool(reported_to)
    owner = await approved.addressee_of_visit(conn, visit.id) or approved.Addressee(0, "所有者", "")
    occurred = _jst(event["occurred_at"]) if event else checked
    city = house.municipality_name
    flood = _flood(rubric, a)
    ground = a.get("ground") in ("cracks", "bulging_collapsed") or "ground_cracks" in a.get("other_damage", [])
    photos_by = await q.photos_of(conn, [visit.id])
    files = await _photo_files(store, photos_by)
    return m.DisasterNotice(
        reference=f"D-{inspection_id[:8].upper()}", issued_on=_issued_on(visit),
        event=m.DisasterEvent(name=(event or {}).get("title") or _EVENT_KIND.get((event or {}).get("kind"), "災害"),
                              occurred_on=occurred.date(), detail=(event or {}).get("intensity", "")),
        municipality=city, property=_property(house),
        owner=m.Owner(name=owner.name, address=owner.address), checked_at=checked,
        carrier_family_name=_family(visit.carrier_name), observations=observations,
        flood=flood,
        # A report is stated only as the carrier recorded it: to whom, and the time they wrote down.
        hazards_reported=[m.HazardReport(hazard="・".join(hazards) or "危険箇所", reported_to="・".join(reported_to),
                                         reported_when=owner_text(rubric, a, "reported_at"))] if reported else [],
        hazards_unreported=[] if reported else hazards,
        photos=_photos(rubric, photos_by.get(visit.id, []), files),
        next_steps=wording.disaster_next_steps(city, reported=reported, unreported_hazards=[] if reported else hazards,
                                               flooded=flood is not None, ground_damage=ground,
                                               building_assessment=(event or {}).get("kind") == "earthquake"
                                               or a.get("event_type") == "earthquake"
                                               or a.get("sticker", "none") != "none"),
        office=_office(await q.office(conn, house.office_code)),
        about=wording.disaster_about(),
        owner_message=owner_text(rubric, a, "owner_message"),
    )


_NOT_OBSERVATIONS = ("event_type", "hazards", "reported_to", "flood")


def _flood(rubric: Rubric, a: dict) -> m.Flood | None:
    if "flood" in a:  # rubric v2: 床下 / 床上 / unknown as the carrier chose
        if a["flood"] == "none":
            return None
        return m.Flood(above_ground_cm=a.get("flood_above_ground"), above_floor_cm=a.get("flood_above_floor"),
                       level=_option(rubric.item("flood"), a["flood"])[0])
    if a.get("flooded"):
        return m.Flood(above_ground_cm=a.get("flood_above_ground"), above_floor_cm=a.get("flood_above_floor"))
    return None


# --- the municipal survey report ---------------------------------------------------------------

async def survey_report(conn: aiosqlite.Connection, rubrics: RubricRegistry, store: PhotoStore,
                        contract_id: int) -> m.SurveyReport:
    c = await q.contract(conn, contract_id)
    if c is None:
        raise problems.NOT_FOUND("contract")
    rubric = rubrics.get(c["rubric_id"], c["rubric_version"])
    visits = await approved.contract_survey_results(conn, contract_id, c["rubric_id"])
    house_rows = await q.houses(conn, [v.property_id for v in visits])
    photos_by = await q.photos_of(conn, [v.id for v in visits])
    files = await _photo_files(store, photos_by)
    refs = await q.contract_refs(conn, contract_id)
    office = await q.office(conn, c["office_code"])
    ordered = sorted(visits, key=lambda v: refs.get(v.property_id, 0))
    rows = [_survey_row(refs.get(v.property_id, 0), _rubric(rubrics, v), v, house_rows[v.property_id],
                        photos_by.get(v.id, []), files) for v in ordered]
    # The contract's form first, then any older versions its visits used (a contract may hold both).
    used = list({(r.id, r.version): r for r in [rubric, *(_rubric(rubrics, v) for v in ordered)] if r}.values())
    ranks = rubric.scoring.ranks if rubric else []
    latest = max((v.reviewed_at or v.finished_at for v in visits), default=c["period_start"])
    remaining = c["property_count"] - len(rows)
    return m.SurveyReport(
        contract=m.Contract(number=c["contract_no"], title=c["title"], municipality=c["municipality"],
                            municipality_code=c["municipality_code"],
                            period_start=date.fromisoformat(c["period_start"]),
                            period_end=date.fromisoformat(c["period_end"]),
                            contractor=f"日本郵便株式会社 {office.name}" if office else "日本郵便株式会社",
                            contractor_address=office.address if office else "",
                            houses_in_area=c["houses_in_area"]),
        issued_on=_jst(latest).date() if "T" in latest else date.fromisoformat(latest),
        rubric_id=c["rubric_id"], rubric_version=str(c["rubric_version"]),
        rubric_title=rubric.title if rubric else c["rubric_id"],
        ranks=[m.RankDefinition(rank=r.code, label=r.label) for r in ranks],
        point_categories=[cat.label for cat in rubric.scoring.categories] if rubric else [],
        method_notes=_method_notes(len(rows), remaining),
        rows=rows,
        item_columns=list(dict.fromkeys(item.label for r in used for item in r.all_items())),
        criteria=_criteria(rubric) if rubric else [],
        statutory_source=STATUTORY_SOURCE if rubric and rubric.scoring.statutory else "",
        blank_form=_blank_form(rubric) if rubric else [],
        comparison=await _survey_comparison(conn, rubrics, c),
    )


STATUTORY_SOURCE = "住宅地区改良法施行規則（昭和35年建設省令第10号）第1条・別表第1"


def _criteria(rubric: Rubric) -> list[m.Criterion]:
    """The 判定基準表: every option that scores in a statutory category, by category in declared order."""
    spec = rubric.scoring.statutory
    if spec is None:
        return []
    categories = {c.key: c for c in rubric.scoring.categories}
    out = []
    for key in spec.categories:
        for item in rubric.all_items():
            for option in item.options:
                if option.points.get(key):
                    out.append(m.Criterion(category=categories[key].label, cap=categories[key].cap, item=item.label,
                                           content=option.label, points=option.points[key]))
    return out


def _blank_form(rubric: Rubric) -> list[m.FormItem]:
    sections = {item.key: section.title for section in rubric.sections for item in section.items}
    return [m.FormItem(section=sections[item.key], label=item.label,
                       choices=[o.label for o in item.options] if item.type in ("choice", "multi", "boolean") else [],
                       note=item.help or "") for item in rubric.all_items()]


async def _survey_comparison(conn: aiosqlite.Connection, rubrics: RubricRegistry, c: dict) -> m.Comparison | None:
    """The same municipality's latest earlier survey contract (ended before this one began), if any."""
    earlier = await q.earlier_contract(conn, c["municipality_code"], c["period_start"])
    if earlier is None:
        return None
    visits = await approved.contract_survey_results(conn, earlier["id"], earlier["rubric_id"], until=earlier["period_end"])
    houses = await q.houses(conn, [v.property_id for v in visits])
    refs = await q.contract_refs(conn, earlier["id"])
    results = {}
    for v in visits:
        state = _CURRENT_STATE.get(v.answers.get("current_state"))
        statutory = (v.result.get("statutory") or {}).get("verdict_label", "")
        results[houses[v.property_id].address] = m.EarlierResult(
            address=houses[v.property_id].address, ref=f"{refs.get(v.property_id, 0):04d}",
            likelihood=state or v.result["judgements"].get("vacancy_likelihood", "低"),
            rank=v.result.get("rank") or "", statutory=statutory)
    removed = await q.removed_addresses(conn, earlier["id"])
    return m.Comparison(earlier_title=earlier["title"], earlier_period_end=date.fromisoformat(earlier["period_end"]),
                        earlier=results, removed=removed)


def _method_notes(surveyed: int, remaining: int) -> list[str]:
    notes = ["調査は公道から目視できる範囲に限って行い、敷地内への立ち入りはしていません。",
             "不良度は住宅地区改良法施行規則（昭和35年建設省令第10号）第1条・別表第1（木造の住宅）の評定項目と評点に"
             "よります。道路から確認できない評定項目は「外から確認できない」とし、不良度を幅（下限〜上限）で示します。",
             "所見は空家等対策の推進に関する特別措置法のガイドラインの4つの区分（保安上危険、衛生上有害、景観、"
             "周辺の生活環境）に分け、緊急度（至急・要確認・経過観察）を付けています。管理不全空家等・特定空家等に"
             "当たるかどうかは、市町村が現地を確認したうえで判断します。",
             "郵便局の担当者が確認（承認）した記録だけを掲載しています。"]
    if remaining > 0:
        notes.append(f"契約対象のうち {remaining} 件は未調査または確認中のため、本報告に含みません（掲載 {surveyed} 件）。")
    return notes


_URGENCY = {"urgent": "至急", "check": "要確認", "watch": "経過観察"}
_LEVEL_URGENCY = {"hazard": "至急", "action": "要確認", "notice": "経過観察"}  # v1 flags had a level only
_CURRENT_STATE = {"vacant_high": "高", "vacant_mid": "中", "vacant_low": "低", "occupied": "居住中",
                  "cleared": "更地・建替中", "unknown": "判断不能"}


def _survey_row(ref: int, rubric: Rubric, visit: ApprovedVisit, house: q.HouseRow, photos: list[q.PhotoRow],
                files: dict[str, Path]) -> m.SurveyRow:
    result = visit.result
    caps = {c.key: c.cap for c in rubric.scoring.categories}
    labels = {c.key: c.label for c in rubric.scoring.categories}
    statutory_keys = set(rubric.scoring.statutory.categories) if rubric.scoring.statutory else set()
    indicators, answers = [], {}
    for item in rubric.all_items():
        if item.key not in visit.answers:
            continue
        if item.type not in ("choice", "multi", "boolean"):
            answers[item.label] = str(visit.answers[item.key])
            continue
        values = visit.answers[item.key] if item.type == "multi" else [visit.answers[item.key]]
        printed = []
        for value in values:
            label, severity = _option(item, value)
            indicators.append(m.Observation(label=item.label, value=label, severity=severity))
            printed.append(label)
        answers[item.label] = "、".join(printed) or "なし"
    state = _CURRENT_STATE.get(visit.answers.get("current_state"))
    return m.SurveyRow(
        ref=f"{ref:04d}", property=_property(house),
        likelihood=state or result["judgements"].get("vacancy_likelihood", "低"),
        rank=result.get("rank") or "", rank_label=result.get("rank_label") or "", total_points=result["total"],
        points=[m.CategoryPoints(category=labels[k], points=v, max_points=caps.get(k))
                for k, v in result["points"].items() if k in labels and k not in statutory_keys],
        indicators=indicators,
        flags=[m.Flag(category=FLAG_CATEGORY[f["category"]],
                      urgency=_URGENCY.get(f.get("urgency")) or _LEVEL_URGENCY[f["level"]], label=f["label"])
               for f in result["flags"] if f.get("category") in FLAG_CATEGORY],
        comment=str(visit.answers.get("comment", "")), photos=_photos(rubric, photos, files),
        surveyed_by=_family(visit.carrier_name), surveyed_at=_jst(visit.started_at),
        rubric_version=str(visit.rubric_version), score_label=rubric.scoring.total_label or "合計点",
        statutory=_statutory(rubric, result.get("statutory")), answers=answers,
    )


def _statutory(rubric: Rubric, found: dict | None) -> m.StatutoryRange | None:
    if not found:
        return None
    labels = {c.key: (c.label, c.cap) for c in rubric.scoring.categories}
    return m.StatutoryRange(
        label=found["label"], verdict=found["verdict_label"], min=found["min"], max=found["max"],
        categories=[m.StatutoryPoints(category=labels[k][0], min=v, max=found["max_points"][k], cap=labels[k][1])
                    for k, v in found["min_points"].items()],
        unseen=[rubric.item(k).label for k in found["unseen"] if rubric.item(k)])
