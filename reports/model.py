"""Input data for every document in `reports`.

The server fills these from its database; every string is already resolved to the
Japanese wording a reader sees (item labels, statuses, rank names). Nothing here
knows about rubrics, SQL or HTTP. Datetimes are local (JST) wall-clock times.
"""

from datetime import date, datetime
from typing import Literal

from msgspec import Struct, field

from reports.letters_model import OwnerSurveyTally

Severity = Literal[0, 1, 2]  # 0 異常なし, 1 要確認, 2 異常あり
# 空き家の可能性 (v1: read off the points) or the carrier's 現況 (survey v2).
Likelihood = Literal["高", "中", "低", "居住中", "更地・建替中", "判断不能"]
Urgency = Literal["至急", "要確認", "経過観察"]

STATUTORY_FLAG_CATEGORIES = ("保安上危険", "衛生上有害", "景観", "周辺の生活環境")
URGENCIES = ("至急", "要確認", "経過観察")


class Property(Struct, frozen=True, kw_only=True):
    address: str
    district: str = ""  # 大字・町丁目
    lat: float | None = None
    lon: float | None = None
    real_estate_id: str = ""  # 不動産ID, "NNNNNNNNNNNNN-NNNN"
    building_use: str = ""  # e.g. 専用住宅
    structure: str = ""  # e.g. 木造
    storeys: int | None = None
    ledger_no: str = ""  # the municipality's 台帳番号
    chiban: str = ""  # 地番
    kaoku_no: str = ""  # 家屋番号
    built_on: str = ""  # 建築年月日 from the ledger, as precise as it gives it: 1975, 1981-05 or 1981-05-31


class Owner(Struct, frozen=True, kw_only=True):
    name: str
    address: str = ""


class OfficeContact(Struct, frozen=True, kw_only=True):
    name: str  # e.g. 東松島郵便局
    address: str = ""
    phone: str = ""
    hours: str = ""  # e.g. 平日 9時～17時


class Photo(Struct, frozen=True, kw_only=True):
    slot_key: str
    slot_label: str  # e.g. 外観（南側）
    path: str  # report-size JPEG, already upright
    taken_at: datetime | None = None
    heading: str = ""  # where the camera pointed, e.g. 北東向き (from the phone's compass), if known
    # The original as received (for the municipality's photo delivery): its id, SHA-256 and position.
    photo_id: str = ""
    sha256: str = ""
    lat: float | None = None
    lon: float | None = None
    position_source: str = ""  # 写真のGPS | 端末の位置 | "" (none)


class PhotoWaiver(Struct, frozen=True, kw_only=True):
    slot_label: str  # e.g. 右側面
    reason: str  # e.g. 隣家に接し撮影不可


class RequestedSpot(Struct, frozen=True, kw_only=True):
    name: str  # the spot the owner asked about, e.g. 裏庭の物置 ("" when only the answer is known)
    answer: str  # what the carrier wrote about it ("" = nothing recorded this month)


class ItemResult(Struct, frozen=True, kw_only=True):
    key: str
    label: str  # e.g. 玄関の施錠状況
    status: str  # 異常なし / 要確認 / 異常あり, or an option label
    severity: Severity = 0
    comment: str = ""


class Change(Struct, frozen=True, kw_only=True):
    item_label: str
    direction: Literal["worse", "better"]
    before: str  # last month's status
    after: str  # this month's status
    comment: str = ""
    photo_before: Photo | None = None
    photo_after: Photo | None = None


class Airing(Struct, frozen=True, kw_only=True):
    rooms: int
    minutes: int
    water_run: bool = False


class MailHandling(Struct, frozen=True, kw_only=True):
    moved_inside: int = 0
    forwarded: int = 0


class OwnerAction(Struct, frozen=True, kw_only=True):
    title: str  # what is asked (or, by_office, what the post office will do)
    detail: str  # why, plainly
    item_label: str = ""  # the item it answers, e.g. 庭木・雑草の状況
    severity: Severity = 0
    by_when: str = ""  # e.g. 次回の訪問（2025年12月）まで
    by_office: bool = False  # True: 「郵便局で対応します」, nothing asked of the owner
    basis: str = ""  # a rule with its article, e.g. （民法第233条第1項・第3項）


class WorkPhotos(Struct, frozen=True, kw_only=True):
    """The photos of one place of ordered work: before and after (either may be missing), or one alone."""

    place: str  # e.g. 前庭（道路側）; "" when the work has one place
    before: Photo | None = None
    after: Photo | None = None
    alone: list[Photo] = []  # photos of the work that are no before/after pair (e.g. the sign placed)


class WorkFact(Struct, frozen=True, kw_only=True):
    label: str  # what the form asked, e.g. 刈った面積の目安
    answer: str  # the answer as recorded, e.g. 約60㎡


class WorkRecord(Struct, frozen=True, kw_only=True):
    """The carrier's approved record of a piece of ordered work (草刈, 巡回看板, 清掃, 不用品整理)."""

    day: date  # the day of the work, in Japan
    facts: list[WorkFact]  # owner-readable answers only
    photos: list[WorkPhotos] = []


class OptionWork(Struct, frozen=True, kw_only=True):
    """What was done this month under one option the owner has (or one piece of work they ordered)."""

    heading: str  # the option's name, e.g. 通風・通水
    done: str  # what was done, as recorded; or that nothing was recorded
    records: list[WorkRecord] = []  # the carrier's approved work records behind it (ordered work only)


class StatementLine(Struct, frozen=True, kw_only=True):
    name: str  # e.g. みまもり 基本
    detail: str  # 月額 / 2026-11-05 実施
    yen: int | None  # None: no price set (printed 料金未設定)
    reference: str = ""  # where the price comes from (報道による参考価格（デモ）)


class UsageStatement(Struct, frozen=True, kw_only=True):
    """利用明細 for one month: the owner's PDF prints it on a page of its own."""

    lines: list[StatementLine]
    total_yen: int
    unpriced: list[str] = []
    paused: bool = False
    rule: str  # how the month's amounts were decided (no proration...)
    no_payment: str  # akiya takes no payments


class OwnerMonthlyReport(Struct, frozen=True, kw_only=True):
    reference: str  # document number printed on every page
    issued_on: date  # also the PDF's creation date
    property: Property
    owner: Owner
    visit_started_at: datetime | None = None  # None: a month with option work but no approved watch visit
    visit_ended_at: datetime | None = None
    carrier_family_name: str = ""
    weather: str = ""
    items: list[ItemResult] = []
    month: date | None = None  # any day of the report's month when there is no watch visit
    no_watch_visit: str = ""  # then: why this report has no watch visit (paused, waiting for review, none)
    next_visit_note: str = ""  # printed instead of the next visit's month when none is planned (paused)
    airing: Airing | None = None
    mail: MailHandling | None = None
    photos: list[Photo] = []
    changes: list[Change] = []
    actions: list[OwnerAction] = []
    remarks: str = ""  # owner-audience text only (担当者より)
    next_visit_month: date  # any day of that month
    office: OfficeContact
    greeting: str = ""  # the opening sentence, with the service name
    requested_spot: RequestedSpot | None = None  # always printed when the owner asked about a spot
    changes_note: str = ""  # printed (page 1 and 2) when `changes` is empty: no change / first / not compared
    photo_waivers: list[PhotoWaiver] = []
    earlier_photos: list[Photo] = []  # last month's (or not dated this month), each labelled with its date
    option_work: list[OptionWork] = []  # one heading per option running this month and per work done
    statement: UsageStatement | None = None  # 利用明細, a page of its own


class Observation(Struct, frozen=True, kw_only=True):
    label: str  # e.g. 屋根瓦
    value: str  # e.g. ずれ・落下あり（南面）
    severity: Severity = 0


class Flood(Struct, frozen=True, kw_only=True):
    above_ground_cm: int | None = None
    above_floor_cm: int | None = None
    level: str = ""  # the carrier's choice (rubric v2): 床下浸水 / 床上浸水 / 床との高さ関係は不明


class HazardReport(Struct, frozen=True, kw_only=True):
    hazard: str  # e.g. 電線の垂れ下がり
    reported_to: str  # e.g. 東北電力ネットワーク
    reported_at: datetime | None = None
    reported_when: str = ""  # the time as the carrier recorded it, e.g. 14:20 (when no datetime)


class DisasterEvent(Struct, frozen=True, kw_only=True):
    name: str  # e.g. 令和7年台風第12号
    occurred_on: date
    detail: str = ""  # e.g. 最大震度5強（東松島市）


class DisasterNotice(Struct, frozen=True, kw_only=True):
    reference: str
    issued_on: date
    event: DisasterEvent
    municipality: str  # where the owner applies for 被害認定, e.g. 東松島市
    property: Property
    owner: Owner
    checked_at: datetime
    carrier_family_name: str
    observations: list[Observation]
    flood: Flood | None = None
    hazards_reported: list[HazardReport] = []
    hazards_unreported: list[str] = []  # seen, with no report recorded
    photos: list[Photo] = []
    next_steps: list[str] = []
    office: OfficeContact
    about: str = ""  # what this notice is and is not (markup allowed)
    owner_message: str = ""  # owner-audience text the carrier wrote


class Contract(Struct, frozen=True, kw_only=True):
    number: str  # 契約番号 as the municipality wrote it ("" when not given)
    title: str  # e.g. 令和7年度 空家等実態調査業務
    municipality: str  # e.g. 宮城県東松島市
    municipality_code: str = ""  # 全国地方公共団体コード (6 digits)
    period_start: date
    period_end: date
    contractor: str  # e.g. 日本郵便株式会社 東松島郵便局
    contractor_address: str = ""
    houses_in_area: int | None = None  # 調査区域の住宅数, when the contract gives it (空き家率)


class CategoryPoints(Struct, frozen=True, kw_only=True):
    category: str  # e.g. 構造の腐朽又は破損
    points: float
    max_points: float | None = None


class Flag(Struct, frozen=True, kw_only=True):
    """A finding from the road, never a designation (管理不全/特定 is the municipality's decision)."""

    category: str  # one of STATUTORY_FLAG_CATEGORIES
    urgency: Urgency
    label: str  # what was seen, e.g. 屋根材の道路への落下のおそれ（要現地確認）


class StatutoryPoints(Struct, frozen=True, kw_only=True):
    category: str  # e.g. 2 構造の腐朽又は破損の程度
    min: int
    max: int
    cap: int  # 最高評点


class StatutoryRange(Struct, frozen=True, kw_only=True):
    """The statutory 不良度 (住宅地区改良法施行規則 別表第1): seen points … seen + what unseen items could add."""

    label: str  # 不良度（住宅地区改良法施行規則 別表第1）
    verdict: str  # 不良住宅（不良度100以上） / 判定不能 / 不良住宅に当たらない… / 別表第1の対象外
    verdict_code: str = ""  # defective | undetermined | not_defective | not_applicable (the engine's)
    min: int | None = None  # None: not scored (別表第1の対象外)
    max: int | None = None
    categories: list[StatutoryPoints] = []
    unseen: list[str] = []  # labels of items answered 「外から確認できない」 that could add points


class RankDefinition(Struct, frozen=True, kw_only=True):
    rank: str  # e.g. A, or A（第1版） for the rank of an older form in the same report
    label: str  # e.g. 要注意（危険度50以上）
    min: float = 0  # the band's lowest score: the band with the highest min is the worst of its scheme
    scheme: str = ""  # whose score the band is of, e.g. 危険度（自治体基準） or 合計点（第1版）


class Reuse(Struct, frozen=True, kw_only=True):
    """The 活用可能性 of one house: a 目安 from what was seen and the ledger, never a market value."""

    label: str  # そのまま活用可能 / 修繕により活用可能 / 除却が望ましい / 判定不能
    reasons: list[str]  # the rules that hold, or what was unknown (判定不能)


class ReuseCondition(Struct, frozen=True, kw_only=True):
    reason: str  # as a house's reasons print it, e.g. 新耐震基準より前の建築（耐震診断・改修の検討が必要）
    test: str = ""  # the record it reads, made from the rule's data, e.g. 台帳の建築年月日が1981年6月1日より前


class ReuseCriterion(Struct, frozen=True, kw_only=True):
    label: str  # the class, e.g. 修繕により活用可能
    conditions: list[ReuseCondition]  # any one of them gives the class (printed from the rubric)


class ReuseCriteria(Struct, frozen=True, kw_only=True):
    """The 利活用判定's rules as the contract's form states them, printed so the table always matches."""

    label: str  # 活用可能性（外観からの目安）
    caveat: str  # what the class is and is not
    seismic_basis: str
    classes: list[ReuseCriterion]  # worst first, 判定不能 and そのまま活用可能 included with their wording
    sources: list[str] = []
    labels: list[str] = []  # every class label in printing order (the counts table's rows)


class SurveyRow(Struct, frozen=True, kw_only=True):
    ref: str  # 整理番号, stable within the contract
    property: Property
    likelihood: Likelihood  # 空き家の可能性
    rank: str
    rank_label: str
    total_points: float
    points: list[CategoryPoints] = []
    indicators: list[Observation] = []  # 空家判定 / 不良度 findings, labelled
    flags: list[Flag] = []
    comment: str = ""
    photos: list[Photo] = []
    surveyed_by: str
    surveyed_at: datetime
    rubric_version: str = ""  # the form this visit used (a contract may hold several versions)
    score_label: str = "合計点"  # the rubric's name for total_points, e.g. 危険度（自治体基準）
    statutory: StatutoryRange | None = None
    answers: dict[str, str] = {}  # item label -> the answer as printed, for one CSV column per item
    # Printed wherever the row's results are: e.g. 第1版の調査票による。不良度（別表第1）は算定していません
    form_note: str = ""
    # Where the municipality's ledger (構造・用途) disagrees with what was answered (「台帳と相違」)
    ledger_differences: list[str] = []
    reuse: Reuse | None = None  # 利活用判定, when the contract's form has its rules


class Criterion(Struct, frozen=True, kw_only=True):
    """One row of the 判定基準表: a 評定項目's 評定内容 and its 評点 within its 評定区分."""

    category: str  # e.g. 1 構造一般の程度
    cap: int | None  # 最高評点
    item: str  # e.g. 1(一) 基礎（構造耐力上主要な部分）
    content: str  # e.g. 基礎が玉石
    points: int


class FormItem(Struct, frozen=True, kw_only=True):
    """A question of the blank 調査票 (appendix): its section, label and printed choices."""

    section: str
    label: str
    choices: list[str] = []  # empty: a free answer
    note: str = ""


class EarlierResult(Struct, frozen=True, kw_only=True):
    """A house in the municipality's earlier survey, to compare with this one."""

    address: str
    ref: str  # its 整理番号 in the earlier contract
    likelihood: str
    rank: str
    statutory: str = ""  # the earlier statutory verdict, if its form had one


class Comparison(Struct, frozen=True, kw_only=True):
    earlier_title: str  # e.g. 令和7年度 空家等実態調査業務
    earlier_period_end: date
    earlier: dict[str, EarlierResult]  # by address
    removed: list[str] = []  # addresses of houses recorded as removed (除却) since


class CandidateTally(Struct, frozen=True, kw_only=True):
    """候補の抽出と結果の内訳: the town's candidate lists of the contract, each candidate in exactly one
    outcome (調査済, 居住中, 更地・建替中, 所在不明, 対象外, 未了), so the counts add up to the total."""

    total: int
    outcomes: list[tuple[str, int]]  # (label, count) in the order printed
    surveyed_by_likelihood: list[tuple[str, int]] = []  # 空き家の可能性 高/中/低 of the surveyed ones
    sources: list[tuple[str, int]] = []  # 抽出元 → candidates it named
    several_sources: int = 0  # candidates named by two lists or more
    excluded_reasons: list[tuple[str, int]] = []
    queued: int = 0  # addresses still waiting for the clerk's match


class SurveyReport(Struct, frozen=True, kw_only=True):
    contract: Contract
    issued_on: date
    rubric_id: str
    rubric_version: str
    rubric_title: str
    ranks: list[RankDefinition]  # the municipality's scheme, in its own order
    point_categories: list[str]  # column order for points
    flag_categories: list[str] = field(default_factory=lambda: list(STATUTORY_FLAG_CATEGORIES))
    method_notes: list[str] = []
    rows: list[SurveyRow]
    item_columns: list[str] = []  # labels of the rubric items, one CSV column each, in form order
    criteria: list[Criterion] = []  # the statutory 判定基準表 of the contract's rubric (empty for v1)
    statutory_source: str = ""  # the legal text the criteria follow
    blank_form: list[FormItem] = []  # the contract's rubric as a form, for the appendix
    comparison: Comparison | None = None  # the municipality's earlier survey, when there is one
    not_included: int = 0  # contract houses not in this report (unsurveyed or not yet approved)
    candidates: CandidateTally | None = None  # the town's candidate lists, when the contract has any
    reuse: ReuseCriteria | None = None  # the 利活用判定 chapter, when the contract's form has its rules
    owner_survey: OwnerSurveyTally | None = None  # 所有者意向調査, when letters were sent (server/owner_survey/)


class AkiyaBankHouse(Struct, frozen=True, kw_only=True):
    """One house of the 空き家バンク candidate list: its owner answered 売却したい or 賃貸したい and asked for the
    空き家バンク registration. Owner name and contact only when the owner agreed to be contacted."""
    ref: str  # 整理番号 ("" for a candidate without an approved survey in the contract)
    address: str
    structure: str = ""
    built: str = ""  # 建築年 (台帳)
    floor_area: float | None = None  # 延床面積 m² (the town's list)
    reuse: str = ""  # 利活用判定
    statutory: str = ""  # 不良度（別表第1）の範囲, e.g. 30〜75（判定不能）
    road_access: str = ""  # 接道 as the carrier recorded it
    intention: str  # 今後の意向, as the questionnaire words it
    akiya_bank: str
    contact_consent: str
    owner_name: str = ""
    owner_address: str = ""
    owner_postal_code: str = ""
    contact: str = ""  # what the owner wrote as their contact
    survey: SurveyRow | None = None  # its カルテ and photos


class AkiyaBankList(Struct, frozen=True, kw_only=True):
    contract: Contract
    issued_on: date
    houses: list[AkiyaBankHouse]
    owner_data_note: str = ""  # set once the owners' personal data was deleted (what and when)
