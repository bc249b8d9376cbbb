"""The clerk's work through the pages: contracts from CSV, subscriptions, candidates, assignment, review."""

import uuid

from tests.office.db import count, query
from tests.office.pages import post_form, sign_in
from tests.support.field import watch_visit

GOOD_CSV = "住所,大字・町丁目,緯度,経度\n東京都千代田区四番町4-4,四番町,35.6890,139.7350\n東京都千代田区二番町2-2,二番町,35.6880,139.7380\n"
BAD_CSV = "住所,緯度,経度\n東京都千代田区五番町5-5,35.69,139.73\n東京都千代田区六番町6-6,north,139.73\n,35.69,139.73\n"


def upload_contract(client, csv_text: str, title="千代田区 空き家実態調査"):
    return post_form(client, "/office/contracts", {"title": title, "period_start": "2026-12-01",
                                                   "period_end": "2027-01-31"},
                     page="/office/contracts", files={"file": ("list.csv", csv_text.encode("utf-8-sig"), "text/csv")})


def test_a_contract_from_csv_links_listed_houses_and_imports_new_ones(client, world, settings):
    sign_in(client, "ueda")
    response = upload_contract(client, GOOD_CSV)
    assert response.status_code == 303, response.text
    contract_id = int(response.headers["location"].rsplit("/", 1)[1])
    houses = query(settings, """SELECT p.address, t.assignee_id FROM contract_properties cp
                                JOIN properties p ON p.id = cp.property_id
                                JOIN tasks t ON t.contract_id = cp.contract_id AND t.property_id = p.id
                                WHERE cp.contract_id = ? ORDER BY p.address""", contract_id)
    assert houses == [("東京都千代田区二番町2-2", None), ("東京都千代田区四番町4-4", None)]
    page = client.get(f"/office/contracts/{contract_id}").text
    assert "承認済み 0 ／ 調査済み・確認待ち 0 ／ 未調査 2（全 2 件）" in page
    assert count(settings, "audit_log", "action = 'contract.create'") == 1


def test_a_csv_with_row_errors_stores_nothing_and_shows_every_error(client, world, settings):
    sign_in(client, "ueda")
    before = (count(settings, "properties"), count(settings, "tasks"))
    response = upload_contract(client, BAD_CSV)
    assert response.status_code == 400
    assert "3 行目" in response.text and "4 行目" in response.text and "何も登録していません" in response.text
    assert count(settings, "survey_contracts") == 0
    assert (count(settings, "properties"), count(settings, "tasks")) == before


def test_a_municipal_officer_sees_their_contracts_results_but_cannot_create(client, world, settings):
    sign_in(client, "ueda")
    contract_id = int(upload_contract(client, GOOD_CSV).headers["location"].rsplit("/", 1)[1])
    sign_in(client, "mori")
    assert "千代田区 空き家実態調査" in client.get("/office/").text
    page = client.get(f"/office/contracts/{contract_id}?likelihood=高&sort=rank")
    assert page.status_code == 200 and f"/api/v1/reports/survey/{contract_id}.geojson" in page.text
    assert f"/api/v1/reports/survey/{contract_id}.shp.zip" in page.text  # the 統合型GIS Shapefile
    assert f"/api/v1/reports/survey/{contract_id}.karte.pdf" in page.text  # 空き家カルテ, all or one house
    assert upload_contract(client, GOOD_CSV, title="別").status_code == 403


def test_creating_a_subscription_and_changing_its_options_is_audited(client, world, settings):
    sign_in(client, "ueda")
    response = post_form(client, "/office/subscriptions", {
        "property_id": world.properties["surveyed"], "owner_name": "佐藤 花子", "owner_email": "sato@example.jp",
        "report_delivery": "email", "options": ["airing", "mail_forward"], "start_date": "2026-12-01"},
        page="/office/subscriptions")
    assert response.status_code == 303, response.text
    sub_id = int(response.headers["location"].split("/")[-1].split("?")[0])
    assert query(settings, "SELECT options FROM watch_subscriptions WHERE id = ?", sub_id) == [('["airing", "mail_forward"]',)]
    post_form(client, f"/office/subscriptions/{sub_id}/options", {"options": ["disaster"], "requested_spot": "北側の塀"})
    post_form(client, f"/office/subscriptions/{sub_id}/pause")
    post_form(client, f"/office/subscriptions/{sub_id}/end", {"end_date": "2027-03-31"})
    assert query(settings, "SELECT options, requested_spot, paused, end_date FROM watch_subscriptions WHERE id = ?",
                 sub_id) == [('["disaster"]', "北側の塀", 1, "2027-03-31")]
    actions = [r[0] for r in query(settings, """SELECT action FROM audit_log WHERE entity = 'subscription'
                                                AND entity_id = ? ORDER BY id""", str(sub_id))]
    assert actions == ["subscription.create", "subscription.options", "subscription.pause", "subscription.end"]


def test_email_delivery_needs_an_address(client, world, settings):
    sign_in(client, "ueda")
    response = post_form(client, "/office/subscriptions", {
        "property_id": world.properties["surveyed"], "owner_name": "佐藤 花子", "report_delivery": "email",
        "start_date": "2026-12-01"}, page="/office/subscriptions")
    assert response.status_code == 400 and "メールアドレス" in response.text
    assert count(settings, "owners") == 2


def test_a_candidate_is_confirmed_or_dismissed(client, as_, world, settings):
    ids = [str(uuid.uuid4()) for _ in range(2)]
    as_("aoki").push([{"op_id": str(uuid.uuid4()), "type": "property.report",
                       "property": {"id": pid, "lat": 35.69, "lon": 139.74, "address_text": f"一番町{n}付近の空き家"}}
                      for n, pid in enumerate(ids)])
    sign_in(client, "ueda")
    assert "一番町0付近の空き家" in client.get("/office/candidates").text
    assert post_form(client, f"/office/candidates/{ids[0]}/confirm").status_code == 303
    assert post_form(client, f"/office/candidates/{ids[1]}/dismiss").status_code == 303
    assert query(settings, "SELECT status, usual_carrier_id FROM properties WHERE id = ?", ids[0]) == [
        ("active", world.users["aoki"])]
    assert query(settings, "SELECT status FROM properties WHERE id = ?", ids[1]) == [("removed",)]
    sign_in(client, "kudo")
    assert post_form(client, f"/office/candidates/{ids[0]}/dismiss").status_code == 404


def test_bulk_assignment_by_district_moves_tasks_and_tells_both_phones(client, as_, world, settings):
    aoki_cursor = as_("aoki").get("/api/v1/sync/pull").json()["cursor"]
    sign_in(client, "kudo")
    kudo_carriers = query(settings, "SELECT id FROM users WHERE role = 'carrier' AND office_code = '10002'")
    assert post_form(client, "/office/tasks/assign", {"scope": "district", "district": "神田三",
                                                     "carrier_id": str(kudo_carriers[0][0])}).status_code == 303
    sign_in(client, "ueda")
    response = post_form(client, "/office/tasks/assign", {"task_id": [world.tasks["watch"]],
                                                         "carrier_id": str(world.users["aoki"])})
    assert response.status_code == 303
    other_office = post_form(client, "/office/tasks/assign", {"task_id": [world.tasks["north"]],
                                                             "carrier_id": str(world.users["aoki"])})
    assert other_office.status_code == 404
    wrong_carrier = post_form(client, "/office/tasks/assign", {"task_id": [world.tasks["watch"]],
                                                              "carrier_id": str(world.users["kato"])})
    assert wrong_carrier.status_code == 400
    assert query(settings, "SELECT assignee_id FROM tasks WHERE id = ?", world.tasks["north"]) == [(world.users["kato"],)]
    # unassign then give back: Aoki's phone hears the task went away
    post_form(client, "/office/tasks/assign", {"task_id": [world.tasks["watch"]], "carrier_id": ""})
    pulled = as_("aoki").get(f"/api/v1/sync/pull?since={aoki_cursor}").json()
    assert world.tasks["watch"] in pulled["deleted"]["tasks"]


def test_a_return_from_the_review_page_reaches_the_carrier(client, as_, world, settings):
    visit = watch_visit(world)
    as_("aoki").push([visit.op()])
    visit.upload_all(as_("aoki"))
    sign_in(client, "ueda")
    assert visit.id in client.get("/office/review").text
    page = client.get(f"/office/review/{visit.id}").text
    assert "<th scope=\"col\">前回</th>" in page and "/office/photos/" in page
    empty = post_form(client, f"/office/review/{visit.id}", {"decision": "return"}, page=f"/office/review/{visit.id}")
    assert empty.status_code == 400
    response = post_form(client, f"/office/review/{visit.id}", {"decision": "return", "comment": "玄関の写真を撮り直してください"},
                         page=f"/office/review/{visit.id}")
    assert response.status_code == 303
    returned = as_("aoki").get("/api/v1/sync/pull").json()["returned"]
    assert [(r["inspection_id"], r["comment"]) for r in returned] == [(visit.id, "玄関の写真を撮り直してください")]
    assert count(settings, "audit_log", "action = 'review.return'") == 1


def test_a_house_gets_a_new_owners_subscription_only_after_the_old_one_ends(client, world, settings):
    sign_in(client, "ueda")
    new_owner = {"property_id": world.properties["watched"], "owner_name": "佐藤 花子", "start_date": "2026-12-01"}
    refused = post_form(client, "/office/subscriptions", new_owner, page="/office/subscriptions")
    assert refused.status_code == 400 and "前の契約に終了日" in refused.text  # shown on the form
    assert count(settings, "watch_subscriptions", "property_id = ?", world.properties["watched"]) == 1
    sub_id = query(settings, "SELECT id FROM watch_subscriptions WHERE property_id = ?", world.properties["watched"])[0][0]
    post_form(client, f"/office/subscriptions/{sub_id}/end", {"end_date": "2026-12-01"})
    assert post_form(client, "/office/subscriptions", new_owner, page="/office/subscriptions").status_code == 400
    post_form(client, f"/office/subscriptions/{sub_id}/end", {"end_date": "2026-11-30"})
    assert post_form(client, "/office/subscriptions", new_owner, page="/office/subscriptions").status_code == 303
    moved = post_form(client, f"/office/subscriptions/{sub_id}/end", {"end_date": "2026-12-31"})
    assert moved.status_code == 409 and "2026-12-01 から次の見回り契約が始まっています" in moved.text
    assert query(settings, "SELECT end_date FROM watch_subscriptions WHERE id = ?", sub_id) == [("2026-11-30",)]
