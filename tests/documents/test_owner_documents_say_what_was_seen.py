"""The owner's monthly report and the post-disaster notice, built from approved records and read
back with pdftotext: they say only what was seen and recorded, to the reader it is meant for."""

import re

import pytest

from server.documents import wording
from tests.documents.records import Records, jst, notice_pdf_text, owner_pdf_text

AIRED = {"airing_done": True, "airing_rooms": 3, "airing_minutes": 20}


@pytest.fixture
def records(world, settings):
    return Records(world, settings.photos_dir)


def flat(text: str) -> str:
    return "".join(text.split())


def test_internal_notes_never_reach_the_owner_and_the_requested_spot_always_does(records, tmp_path):
    records.set_requested_spot("裏庭の物置")
    records.approved_visit(jst(2026, 10, 8, 10), version=2, notes="INTERNAL-MARKER 生垣の件、所有者へ連絡を",
                           overrides=AIRED | {"requested_spot_note": "物置の扉は閉まっていました。",
                                              "key_received_at": "07:47", "key_returned_at": "10:40"})
    text = flat(owner_pdf_text(records, "2026-10", tmp_path))
    assert "INTERNAL" not in text and "生垣の件" not in text and "07:47" not in text
    assert "ご依頼箇所（裏庭の物置）" in text and "物置の扉は閉まっていました。" in text


def test_the_requested_spot_prints_even_when_the_carrier_wrote_nothing_about_it(records, tmp_path):
    records.set_requested_spot("北側の雨どい")
    records.approved_visit(jst(2026, 10, 8, 10), version=2, overrides=AIRED)
    text = flat(owner_pdf_text(records, "2026-10", tmp_path))
    assert "ご依頼箇所（北側の雨どい）" in text and "この箇所についての記録がありません" in text


def test_a_version_1_free_comment_to_the_office_stays_internal(records, tmp_path):
    records.approved_visit(jst(2026, 10, 8, 10), version=1, options=(), notes="INTERNAL-V1",
                           overrides={"garden": "check", "garden_note": "生け垣が伸びています。"})
    text = flat(owner_pdf_text(records, "2026-10", tmp_path))
    assert "INTERNAL" not in text and "生け垣が伸びています。" in text


def test_a_first_visit_says_so_instead_of_no_change(records, tmp_path):
    records.approved_visit(jst(2026, 10, 8, 10), version=2, overrides=AIRED)
    text = flat(owner_pdf_text(records, "2026-10", tmp_path))
    assert flat(wording.FIRST_REPORT) in text
    assert "変わったところはありません" not in text


def test_a_visit_under_a_new_rubric_version_is_not_compared(records, tmp_path):
    records.approved_visit(jst(2026, 9, 8, 10), version=1, options=("airing",),
                           overrides=AIRED | {"water_state": "normal"})
    records.approved_visit(jst(2026, 10, 8, 10), version=2, overrides=AIRED)
    text = flat(owner_pdf_text(records, "2026-10", tmp_path))
    assert "点検項目を改めたため" in text and "変わったところはありません" not in text


def test_last_months_comparable_visit_is_compared_and_page_one_agrees_with_page_two(records, tmp_path):
    records.approved_visit(jst(2026, 9, 8, 10), version=2, overrides=AIRED)
    records.approved_visit(jst(2026, 10, 8, 10), version=2,
                           overrides=AIRED | {"garden": "check", "garden_note": "雑草が伸びています。"})
    text = flat(owner_pdf_text(records, "2026-10", tmp_path))
    assert "先月から変わった項目1件（「先月からの変化」をご覧ください）" in text
    assert "庭木・雑草の状況：異常なし→要確認（伸びてきている）（悪くなりました）" in text


def test_two_months_apart_is_not_called_no_change(records, tmp_path):
    records.approved_visit(jst(2026, 8, 8, 10), version=2, overrides=AIRED)
    records.approved_visit(jst(2026, 10, 8, 10), version=2, overrides=AIRED)
    text = flat(owner_pdf_text(records, "2026-10", tmp_path))
    assert "先月の訪問記録がないため" in text and "変わったところはありません" not in text


def test_flyers_alone_are_normal_and_never_a_request(records, tmp_path):
    records.approved_visit(jst(2026, 10, 8, 10), version=2, overrides=AIRED | {"mailbox": "some"})
    text = flat(owner_pdf_text(records, "2026-10", tmp_path))
    assert "○投函物あり（通常）" in text
    assert "△要確認0項目" in text and "今月は、ご対応をお願いすることはありません。" in text


def test_each_problem_becomes_a_request_with_reason_and_deadline_or_the_office_handles_it(records, tmp_path):
    records.approved_visit(jst(2026, 10, 8, 10), version=2, overrides=AIRED | {
        "encroachment": "present", "encroachment_note": "柿の枝が隣家へ越えています。", "garden": "check",
        "garden_note": "少し伸びています。"})
    text = flat(owner_pdf_text(records, "2026-10", tmp_path))
    assert "ご対応のお願い1件／郵便局で対応1件" in text
    assert "お願い：越境している枝などの剪定をお願いします。" in text
    assert "理由：" in text and "期限の目安：次回の訪問" in text
    assert "民法第233条" in text
    assert "郵便局で対応します：次回の訪問で伸び具合を確認し" in text
    assert "ご対応をお願いすることはありません" not in text


def test_a_full_mailbox_emptied_under_the_mail_option_is_handled_by_the_office(records, tmp_path):
    records.approved_visit(jst(2026, 10, 8, 10), version=2, options=("mail_tidy",),
                           overrides={"mailbox": "full", "mail_moved_inside": 12})
    text = flat(owner_pdf_text(records, "2026-10", tmp_path))
    assert "郵便局で対応します：ご契約のオプションにより、投函物のうち12通を室内へ移しました。" in text


def test_a_waived_photo_slot_prints_with_its_reason(records, tmp_path):
    records.approved_visit(jst(2026, 10, 8, 10), version=2,
                           overrides=AIRED | {"photo_waiver_right": "neighbour_wall"})
    text = flat(owner_pdf_text(records, "2026-10", tmp_path))
    assert "撮影できなかった写真：右側面（隣家に接し撮影不可）" in text


def test_this_months_photos_only_with_last_months_beside_labelled_by_date(records, tmp_path):
    records.approved_visit(jst(2026, 9, 8, 10), version=2, overrides=AIRED,
                           photos={"front": jst(2026, 9, 8, 10, 1)})
    records.approved_visit(jst(2026, 10, 8, 10), version=2, overrides=AIRED,
                           photos={"front": jst(2026, 10, 8, 10, 1), "garden": jst(2026, 9, 30, 16, 0)})
    text = owner_pdf_text(records, "2026-10", tmp_path, layout=False)
    assert re.search(r"今月 正面 2026/10/08\s+10:01", text)
    assert re.search(r"以前 正面 2026/09/08\s+10:01", text)
    assert not re.search(r"今月 庭", text)  # dated last month: shown as earlier, with its date
    assert re.search(r"以前 庭 2026/09/30\s+16:00", text)


def test_a_photo_taken_with_a_compass_heading_says_which_way_it_faced(records, tmp_path):
    records.approved_visit(jst(2026, 10, 8, 10), version=2, overrides=AIRED,
                           photos={"front": jst(2026, 10, 8, 10, 1), "left": jst(2026, 10, 8, 10, 2)},
                           headings={"front": 44.0})
    text = owner_pdf_text(records, "2026-10", tmp_path, layout=False)
    assert "正面（北東向き）" in text and re.search(r"左側面 2026/10/08", text)


def test_the_service_name_is_the_current_one(records, tmp_path):
    records.approved_visit(jst(2026, 10, 8, 10), version=2, overrides=AIRED)
    text = flat(owner_pdf_text(records, "2026-10", tmp_path))
    assert "「郵便局の空き家みまもり」" in text and "空き家のみまもりサービス" not in text


# --- the post-disaster notice -------------------------------------------------------------------

DISASTER_BASE = {"event_type": "heavy_rain", "sticker": "none", "collapse": "none", "tilt": "none",
                 "foundation": "none", "roof": "none", "falling_risk": [], "other_damage": [], "ground": "none",
                 "flood": "none", "hazards": [], "referred_to_assessment": True}


def _notice(records, tmp_path, version=2, **answers):
    visit = records.approved_visit(jst(2026, 10, 9, 9), version=version, options=("disaster",),
                                   rubric_id="post_disaster", overrides=answers)
    return flat(notice_pdf_text(records, visit, tmp_path))


def test_a_hazard_without_a_recorded_report_is_never_called_reported(records, tmp_path):
    text = _notice(records, tmp_path, **DISASTER_BASE | {
        "hazards": ["gas_smell"], "reported": False, "not_reported_reason": "INTERNAL-REASON"})
    assert "通報しました" not in text and "通報の記録なし" in text
    assert "担当者からの通報の記録はありません" in text
    assert "INTERNAL" not in text


def test_a_recorded_report_names_whom_and_when(records, tmp_path):
    text = _notice(records, tmp_path, **DISASTER_BASE | {
        "hazards": ["power_line"], "reported": True, "reported_to": ["power_company"], "reported_at": "09:20"})
    assert "電力会社" in text and "09:20" in text and "通報の記録なし" not in text


def test_a_version_1_report_without_a_recorded_time_does_not_invent_one(records, tmp_path):
    text = _notice(records, tmp_path, version=1, event_type="heavy_rain", collapse="none", tilt="none",
                   foundation="none", roof="none", other_damage=[], flooded=False, hazards=["gas_smell"],
                   reported=True, reported_to=["gas_company"], referred_to_assessment=False)
    assert "ガス会社" in text and "時刻の記録なし" in text


def test_referrals_are_split_between_what_the_city_does_and_what_the_owner_applies_for(records, tmp_path):
    text = _notice(records, tmp_path, **DISASTER_BASE | {"ground": "cracks", "sticker": "caution"})
    assert "応急危険度判定（建物の危険の判定）は、千代田区が実施するもので、申請するものではありません" in text
    assert "被災宅地危険度判定（擁壁・宅地の危険の判定）は千代田区が実施します" in text
    assert "罹災証明書は、所有者などの申請に基づいて千代田区が交付するもの" in text and "災害対策基本法第90条の2" in text
    assert "「要注意」（黄）が貼られている" in text


def test_flood_is_below_or_above_the_floor_as_the_carrier_chose(records, tmp_path):
    below = _notice(records, tmp_path, **DISASTER_BASE | {"flood": "below_floor", "flood_above_ground": 25})
    assert "床下浸水" in below and "約25cm" in below
    above = _notice(records, tmp_path, **DISASTER_BASE | {"flood": "above_floor", "flood_above_ground": 80,
                                                          "flood_above_floor": 30})
    assert "床上浸水（床上約30cm）" in above


def test_after_heavy_rain_without_a_sticker_the_building_assessment_is_not_mentioned(records, tmp_path):
    text = _notice(records, tmp_path, **DISASTER_BASE)
    assert "応急危険度判定（建物の危険の判定）は" not in text and "罹災証明書は" in text
