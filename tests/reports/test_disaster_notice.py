import msgspec

from reports import disaster_notice_pdf
from reports.model import Flood


def test_notice_says_it_is_an_observation_not_a_damage_assessment(typhoon_notice, fonts, poppler):
    text = "".join(poppler.text(disaster_notice_pdf(typhoon_notice, fonts)).split())
    assert "道路から建物の外観を目で見て確認した記録" in text
    assert "建物の被害の程度を判定したものではありません" in text


def test_notice_lists_event_observations_hazards_and_next_steps(typhoon_notice, fonts, poppler):
    text = poppler.text(disaster_notice_pdf(typhoon_notice, fonts))
    assert "令和7年台風第15号" in text
    assert "2025年9月3日（令和7年9月3日）10時20分" in text
    assert "道路側へ傾いています" in text
    assert "東松島市 建設課" in text
    assert "約35cm" in text
    assert "罹災証明書" in text


def test_notice_does_not_name_a_damage_class(typhoon_notice, fonts, poppler):
    deep = msgspec.structs.replace(typhoon_notice, flood=Flood(above_ground_cm=160, above_floor_cm=110))
    text = poppler.text(disaster_notice_pdf(deep, fonts))
    assert "床上 約110cm" in text
    assert not any(word in text for word in ("全壊", "半壊", "危険（赤）"))


def test_notice_embeds_fonts_and_photos(typhoon_notice, fonts, poppler):
    pdf = disaster_notice_pdf(typhoon_notice, fonts)
    assert all(emb == "yes" for _, emb in poppler.fonts(pdf))
    assert poppler.images(pdf) == len(typhoon_notice.photos)
    assert pdf == disaster_notice_pdf(typhoon_notice, fonts)


def test_hazards_seen_without_a_recorded_report_are_never_called_reported(typhoon_notice, fonts, poppler):
    unreported = msgspec.structs.replace(typhoon_notice, hazards_reported=[], hazards_unreported=["ガス臭がする"])
    text = poppler.text(disaster_notice_pdf(unreported, fonts))
    assert "ガス臭がする" in text and "通報の記録なし" in text
    assert "東松島市 建設課" not in text
