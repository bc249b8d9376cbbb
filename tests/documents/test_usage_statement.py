"""The owner's monthly PDF: under each option the owner has, what was done (or that nothing was recorded),
work done that month under its own heading, and a page 利用明細 with each amount at the price valid on the
visit day, the total, the rule and that akiya takes no payment. Read back with pdftotext."""

import re

import pytest

from tests.documents.records import Records, jst, owner_pdf_text
from tests.office.db import execute, query

AIRED = {"airing_done": True, "airing_rooms": 3, "airing_minutes": 20}


@pytest.fixture
def records(world, settings):
    return Records(world, settings.photos_dir)


def flat(text: str) -> str:
    return "".join(text.split())


def test_the_months_options_and_work_print_under_their_headings_and_their_amounts_on_the_statement(
        records, world, settings, tmp_path):
    execute(settings, """INSERT INTO service_prices (service_key, valid_from, yen, reference, created_at)
                         VALUES ('watch', '2026-01-01', 4280, '報道による参考価格（デモ）', 'x'),
                                ('airing', '2026-01-01', 5000, '報道による参考価格（デモ）', 'x'),
                                ('watch', '2026-11-01', 4500, '', 'x')""")  # a later price leaves October alone
    [(sub,)] = query(settings, "SELECT id FROM watch_subscriptions WHERE owner_id = ?", world.owners["ono"])
    execute(settings, """INSERT INTO service_orders (subscription_id, service_key, wanted_on, quote_yen, accepted_on,
                                                     done_on, done_note, created_at)
                         VALUES (?, 'mowing', '2026-10-10', 12000, '2026-10-05', '2026-10-12', '前庭を刈りました（約40㎡）', 'x'),
                                (?, 'clearing', '2026-10-20', 38000, NULL, NULL, '', 'x')""", sub, sub)
    records.approved_visit(jst(2026, 10, 8, 10), version=2, overrides=AIRED)
    text = flat(owner_pdf_text(records, "2026-10", tmp_path))
    options = text[text.index("オプションサービス（今月の実施内容）"):text.index("ご対応のお願い")]
    assert "通風・通水3部屋の窓と玄関を開けて、約20分間" in options
    assert "災害後見回り災害が起きたときの見回りは" in options
    assert "草刈2026-10-12に実施しました。前庭を刈りました（約40㎡）" in options
    assert "不用品整理" not in options  # quoted, not accepted, not done
    statement = text[text.index("利用明細"):]
    assert re.search(r"みまもり基本.*月額4,280円", statement)
    assert re.search(r"通風・通水.*月額5,000円", statement)
    assert "災害後見回り月額料金未設定" in statement
    assert "草刈2026-10-12実施（お見積り額）12,000円" in statement
    assert "合計21,280円" in statement and "料金未設定の項目（災害後見回り）は合計に含めていません" in statement
    assert "報道による参考価格（デモ）" in statement
    assert "日割りはしません" in statement and "決済を行いません" in statement
