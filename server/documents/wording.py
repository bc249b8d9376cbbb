"""Every sentence the owner's documents say that is not a record: the service name, what we ask
of the owner for each finding, what the post office does itself, and what the law says.

One place for it, so a change of wording or of law is one edit. Each statement about a rule
cites its article beside the text (checked 2026-11-29 against the sources named here):

- 地方税法 第349条の3の2 第1項: the 住宅用地特例 does not apply to the land of a house whose
  owner received a 勧告 under 空家法 第22条第2項 (特定空家等) or, since the 2023 amendment
  (令和5年法律第50号, in force 2023-12-13), 第13条第2項 (管理不全空家等). A 指導 does not remove it;
  only a 勧告 in force on the 賦課期日 (1 January). Sources: 総務省通知 総税固第41号 (2015-05-26);
  city pages of 菊池市 and 神戸市 on the 2023 amendment.
- 民法 第233条 (as amended by 令和3年法律第24号, in force 2023-04-01): a neighbour may have
  overhanging branches cut (第1項) and may cut them after a demand left unanswered for a
  reasonable period, when the owner cannot be found, or in an emergency (第3項).
- 災害対策基本法 第90条の2: the mayor issues a 罹災証明書 when a victim applies; it covers a 住家
  (a house lived in), so for a vacant house the municipality decides what it can issue.
- 応急危険度判定 (buildings) and 被災宅地危険度判定 (retaining walls and land) are carried out by
  the municipality after a disaster, by registered assessors, with red/yellow/green stickers;
  they are not applied for and are unrelated to the 罹災証明書 (宮城県 and 七尾市 pages).
"""

from __future__ import annotations

from datetime import date

import msgspec

import reports.model as m

SERVICE_NAME = "郵便局の空き家みまもり"
GREETING = (f"いつも「{SERVICE_NAME}」をご利用いただき、ありがとうございます。"
            "今月の見回りの結果を、次のとおりご報告いたします。")

GREETING_WORK_ONLY = (f"いつも「{SERVICE_NAME}」をご利用いただき、ありがとうございます。"
                      "今月ご依頼いただいた作業と、今月のご利用明細をお知らせいたします。")

# --- a month with option work but no approved watch visit (the report says which, and nothing observed) ---

NO_WATCH_VISIT = {
    "paused": "今月は見回りを一時停止されていたため、見回りの訪問はありませんでした。建物の点検結果と写真はこの報告書にはありません。",
    "waiting": "今月の見回りの記録は、郵便局で確認しているところです。確認が済みましたら、点検結果と写真を載せた報告書をあらためてお届けします。",
    "none": "今月は見回りの訪問の記録がありません。建物の点検結果と写真はこの報告書にはありません。",
}

PAUSED_NO_NEXT_VISIT = "見回りは一時停止中です。再開のお申し込みは、所有者様のページまたは郵便局へのお電話で承ります。"

# --- what changed since last month (page 1 and page 2 print the same sentence) ---------------

NO_CHANGE = "先月の訪問時から変わったところはありません。"
FIRST_REPORT = "初回のご報告です。先月との比較はありません。"
RUBRIC_CHANGED = "点検項目を改めたため、先月との比較はしていません。"
NO_LAST_MONTH = "先月の訪問記録がないため、比較はしていません。"
COMPARISON_NOTES = {"first": FIRST_REPORT, "rubric_changed": RUBRIC_CHANGED, "no_previous_month": NO_LAST_MONTH}

# --- the law, each statement with its article ----------------------------------------------


class Statement(msgspec.Struct, frozen=True):
    text: str
    cite: str


TAX_SPECIAL_RULE = Statement(
    text="管理が行き届かない状態が続くと、市町村から助言・指導を受けることがあります。さらに「勧告」を受けると、"
         "その敷地は固定資産税・都市計画税の住宅用地特例（税の軽減）の対象から外れます。",
    cite="地方税法第349条の3の2第1項、空家等対策の推進に関する特別措置法第13条第2項・第22条第2項")
OVERHANGING_BRANCHES = Statement(
    text="隣の土地へ越えた枝は、隣地の所有者から切除を求められることがあります。求められても相当の期間内に"
         "切除しないときなどは、隣地の所有者が自ら切り取ることができます。",
    cite="民法第233条第1項・第3項（2023年4月1日施行）")
DISASTER_CERTIFICATE = Statement(
    text="罹災証明書は、所有者などの申請に基づいて{city}が交付するものです。対象は原則として住家（住んでいる建物）"
         "のため、空き家について必要な場合は、発行できるかどうかを{city}へお問い合わせください。",
    cite="災害対策基本法第90条の2")

# --- what the owner is asked, or what the post office does, for each △ / × -----------------
# Keyed by (item key, option value) first, then (item key, severity). `by_when` names a
# deadline: "next" = by the next visit, "now" = as soon as possible.


class Request(msgspec.Struct, frozen=True):
    what: str
    why: str = ""
    by_when: str = ""  # "next" | "now" | ""
    by_office: bool = False
    basis: Statement | None = None


_OFFICE_RECHECK = Request(what="次回の訪問で同じ箇所を改めて確認し、ご報告します。", by_office=True)

REQUESTS: dict[tuple[str, object], Request] = {
    ("exterior", 1): _OFFICE_RECHECK,
    ("exterior", 2): Request(
        what="写真の箇所の点検・修理を、工務店などへご依頼ください。",
        why="屋根材や外壁が落ちると、通行人や隣家に被害が及ぶおそれがあり、雨水が入ると傷みが早まります。",
        by_when="next", basis=TAX_SPECIAL_RULE),
    ("entrance_lock", 1): Request(what="次回の訪問で施錠を改めて確認します。確認できない状態が続くときはご連絡します。",
                                  by_office=True),
    ("entrance_lock", 2): Request(
        what="鍵の管理と屋内の様子をご確認ください（担当者は屋内に入っていません）。",
        why="施錠されていない空き家は、侵入や放火のおそれがあります。", by_when="now"),
    ("entrance_area", 1): _OFFICE_RECHECK,
    ("entrance_area", 2): Request(
        what="写真の箇所をご確認のうえ、修理の手配をご検討ください。",
        why="玄関まわりの傷みは、侵入のきっかけになることがあります。", by_when="next"),
    ("entrance_area", "forced"): Request(
        what="屋内の被害をご確認のうえ、警察へご相談ください（担当者は屋内に入っていません）。",
        why="こじ開けや破損の跡があり、侵入された可能性があります。", by_when="now"),
    ("garden", 1): Request(what="次回の訪問で伸び具合を確認し、ご報告します。", by_office=True),
    ("garden", 2): Request(
        what="草刈・剪定（せんてい）の手配をお願いします。郵便局の草刈オプションもご利用いただけます。",
        why="繁茂すると害虫が増え、枝が道路や隣地へ越えるおそれがあります。", by_when="next",
        basis=TAX_SPECIAL_RULE),
    ("encroachment", 1): Request(what="次回の訪問で越境の有無を確認し、ご報告します。", by_office=True),
    ("encroachment", 2): Request(
        what="越境している枝などの剪定をお願いします。", why="隣地・道路の妨げになっています。", by_when="next",
        basis=OVERHANGING_BRANCHES),
    ("dumping", 1): Request(what="次回の訪問で同じ場所を確認し、ご報告します。", by_office=True),
    ("dumping", 2): Request(
        what="ごみの片付けの手配をお願いします。続くときは、市町村や警察へのご相談をおすすめします。",
        why="ごみがあると、さらに捨てられやすくなり、害虫や火災のもとになります。", by_when="next"),
    ("mailbox", 1): Request(
        what="郵便物の転居・転送届や、郵便局の投函物の片付け・送付オプションをご検討ください。",
        why="郵便受箱がいっぱいだと、空き家であることが外からわかり、防犯上よくありません。", by_when="next"),
    ("mailbox", 2): Request(
        what="郵便物の転居・転送届や、郵便局の投函物の片付け・送付オプションをご検討ください。",
        why="投函物があふれていると、空き家であることが外からわかり、防犯上よくありません。", by_when="next"),
    ("water_state", 2): Request(
        what="水道業者による点検をお願いします。", why="漏水が続くと、床や壁が傷み、水道料金もかかります。",
        by_when="now"),
    ("indoor_findings", 1): Request(
        what="換気を続けます。状態が続くときは、清掃や点検の手配をご検討ください。",
        why="カビや異臭は、湿気や排水の不具合が原因のことがあります。", by_when="next"),
    ("indoor_findings", 2): Request(
        what="雨漏りや害獣の跡について、工務店や駆除業者による点検をお願いします。",
        why="放置すると、柱や床の傷みが早く進みます。", by_when="next"),
    ("lock_on_exit", 2): Request(
        what="施錠できない窓・扉の修理の手配をお願いします。",
        why="施錠できない箇所があると、侵入のおそれがあります。", by_when="now"),
}


def request_for(item_key: str, value, severity: int) -> Request:
    """The request for an answer of severity 1 or 2; a generic one for items not listed."""
    found = REQUESTS.get((item_key, value)) if isinstance(value, str) else None
    if found is None:
        found = REQUESTS.get((item_key, severity))
    if found is not None:
        return found
    if severity == 1:
        return _OFFICE_RECHECK
    return Request(what="写真と記録の箇所をご確認ください。", why="「異常あり」の状態が見られました。", by_when="next")


def by_when_text(code: str, next_visit: date) -> str:
    if code == "now":
        return "できるだけ早く"
    if code == "next":
        return f"次回の訪問（{next_visit.year}年{next_visit.month}月）まで"
    return ""


def _mail_handled(answers: dict) -> Request | None:
    """A full mailbox under the mail option: the post office already emptied it this visit."""
    moved, sent = answers.get("mail_moved_inside") or 0, answers.get("mail_forwarded") or 0
    if not (moved or sent):
        return None
    done = "、".join(t for t in (f"{moved}通を室内へ移しました" if moved else "",
                                 f"{sent}通をご指定の送付先へお送りしました" if sent else "") if t)
    return Request(what=f"ご契約のオプションにより、投函物のうち{done}。", by_office=True)


def owner_action(item: m.ItemResult, answers: dict, next_visit: date) -> m.OwnerAction:
    handled = _mail_handled(answers) if item.key == "mailbox" else None
    r = handled or request_for(item.key, answers.get(item.key), item.severity)
    return m.OwnerAction(
        title=r.what, detail=r.why, item_label=item.label, severity=item.severity, by_office=r.by_office,
        by_when=by_when_text(r.by_when, next_visit),
        basis=f"{r.basis.text}（{r.basis.cite}）" if r.basis else "")


_POINTS = ("北", "北東", "東", "南東", "南", "南西", "西", "北西")


def compass(heading: float | None) -> str:
    """Degrees from north as the direction the camera faced, e.g. 45 -> 北東向き ("" when unknown)."""
    if heading is None:
        return ""
    return f"{_POINTS[int((heading % 360 + 22.5) // 45) % 8]}向き"


# --- the post-disaster notice ------------------------------------------------------------------

def disaster_about() -> str:
    return ("この報告は、郵便局の担当者が<b>道路から建物の外観を目で見て確認した記録</b>です。"
            "敷地や建物の中には入っていません。建物の被害の程度を判定したもの"
            "（応急危険度判定や、罹災証明書のための被害認定）ではありません。")


def disaster_next_steps(city: str, *, reported: bool, unreported_hazards: list[str], flooded: bool,
                        ground_damage: bool, building_assessment: bool = True) -> list[str]:
    """What the owner may do next. A report to the authorities is stated in the notice's table only
    when the carrier recorded it; here hazards that nobody reported are the owner's to report."""
    steps = []
    if unreported_hazards:
        steps.append(f"危険な状態（{'・'.join(unreported_hazards)}）が見られましたが、担当者からの通報の記録はありません。"
                     "近づかず、ガス会社・電力会社・消防などへのご連絡をお願いします。")
    elif reported:
        steps.append("担当者が通報・連絡した危険箇所があります（上の表）。近づかず、専門業者による点検をご依頼ください。")
    if building_assessment:  # after an earthquake, or when a sticker is already on the house
        steps.append(f"応急危険度判定（建物の危険の判定）は、{city}が実施するもので、申請するものではありません。"
                     f"貼り紙の意味や実施の予定は{city}へお問い合わせください。")
    if ground_damage:
        steps.append(f"擁壁・地盤に被害が見られました。被災宅地危険度判定（擁壁・宅地の危険の判定）は{city}が実施します。"
                     f"近づかず、{city}へご相談ください。")
    steps.append(f"{DISASTER_CERTIFICATE.text.format(city=city)}（{DISASTER_CERTIFICATE.cite}）")
    if flooded:
        steps.append("浸水の跡がありました。床下の乾燥・消毒や、電気設備の点検をおすすめします。")
    steps.append("片付けや修理の前に、被害の様子を写真に残しておくと、保険や支援の申請に役立ちます。")
    return steps
