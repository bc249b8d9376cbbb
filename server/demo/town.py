"""The demo town, 長野県青葉川町: a fictional municipality in a real rural landscape.

Pure data for `akiya seed-demo` and for tests; no database code. Properties are keyed
"p01".."p60", people by their login. Everything here is fictional: the town, its 大字,
the post offices, the people, the addresses far away, the phone numbers and the 不動産ID.
"""

from datetime import date

import msgspec


class Municipality(msgspec.Struct, frozen=True, kw_only=True):
    code: str  # 全国地方公共団体コード, 6 digits with check digit
    name: str
    name_kana: str
    prefecture: str
    lat: float  # the town hall (役場)
    lon: float


class District(msgspec.Struct, frozen=True, kw_only=True):
    name: str  # 大字
    kana: str
    lat: float  # centre of the settlement
    lon: float


class PostOffice(msgspec.Struct, frozen=True, kw_only=True):
    code: str
    name: str
    address: str
    phone: str
    hours: str
    lat: float
    lon: float


class User(msgspec.Struct, frozen=True, kw_only=True):
    login: str
    role: str  # carrier | office | municipality | owner | admin (as in the users table)
    family_name: str
    given_name: str
    office_code: str | None = None
    municipality_code: str | None = None

    @property
    def name(self) -> str:
        """Display name, family name first: 佐藤 健太. Reports print `family_name` alone."""
        return f"{self.family_name} {self.given_name}".strip()


class Property(msgspec.Struct, frozen=True, kw_only=True):
    key: str
    address: str
    district: str
    lat: float
    lon: float
    building_use: str
    structure: str
    storeys: int
    real_estate_id: str | None  # 不動産ID `NNNNNNNNNNNNN-NNNN`, known for some houses only
    office_code: str
    carrier: str  # login of the usual carrier
    built_on: str  # 建築年月日 from the town's ledger, as precise as it gives it: 'YYYY', 'YYYY-MM' or 'YYYY-MM-DD'


class Owner(msgspec.Struct, frozen=True, kw_only=True):
    login: str
    family_name: str
    given_name: str
    kana: str
    address: str
    email: str
    phone: str
    report_delivery: str  # email | web

    @property
    def name(self) -> str:
        return f"{self.family_name} {self.given_name}"


class WatchSubscription(msgspec.Struct, frozen=True, kw_only=True):
    owner: str  # owner login
    property: str  # property key
    options: tuple[str, ...]  # airing, mail_tidy, mail_forward, disaster
    start_date: date
    requested_spot: str = ""  # a spot the owner wants photographed every visit


class SurveyContract(msgspec.Struct, frozen=True, kw_only=True):
    title: str
    municipality_code: str
    office_code: str  # the contracting office; the work is shared by both offices' carriers
    period_start: date
    period_end: date
    rubric_id: str
    rubric_version: int  # for new records; the demo's past visits were made with version 1
    properties: tuple[str, ...]  # in the town's list order: this order gives the 整理番号
    contract_no: str = ""  # the town's 契約番号
    houses_in_area: int | None = None  # 調査区域の住宅数 (fictional), for the report's 空き家率


# 20 = 長野県. Its municipality numbers run from 201 (長野市) to 602 (栄村, 下水内郡), cities in
# 2xx and each 郡's towns and villages in a block of 3xx–6xx; no 7xx number is in use, so
# 20701 (check digit 2) cannot be a real municipality. The coordinates are in the Ina
# valley (伊那谷), a real rural landscape; every name is invented.
TOWN = Municipality(
    code="207012", name="青葉川町", name_kana="あおばがわまち", prefecture="長野県", lat=35.67000, lon=137.93000
)

DISTRICTS = (
    District(name="本郷", kana="ほんごう", lat=35.67000, lon=137.93000),
    District(name="東原", kana="ひがしばら", lat=35.67360, lon=137.94769),
    District(name="西原", kana="にしばら", lat=35.67270, lon=137.91341),
    District(name="北沢", kana="きたざわ", lat=35.68622, lon=137.93221),
    District(name="南平", kana="みなみだいら", lat=35.65018, lon=137.93111),
    District(name="中島", kana="なかじま", lat=35.65559, lon=137.94659),
    District(name="川端", kana="かわばた", lat=35.65468, lon=137.91563),
    District(name="上郷", kana="かみさと", lat=35.63757, lon=137.93332),
)

OFFICES = (
    PostOffice(code="48101", name="青葉川郵便局", address="長野県青葉川町大字本郷1100番地",
               phone="0265-00-2101", hours="平日 9:00〜17:00", lat=35.67030, lon=137.92990),
    PostOffice(code="48102", name="青葉川南郵便局", address="長野県青葉川町大字南平800番地",
               phone="0265-00-2102", hours="平日 9:00〜17:00", lat=35.65050, lon=137.93060),
)
OFFICE_1, OFFICE_2 = (office.code for office in OFFICES)

STAFF = (
    User(login="admin", role="admin", family_name="管理者", given_name=""),
    User(login="office1", role="office", family_name="小林", given_name="由美", office_code=OFFICE_1),
    User(login="office2", role="office", family_name="中村", given_name="聡", office_code=OFFICE_2),
    User(login="town1", role="municipality", family_name="山口", given_name="直樹", municipality_code=TOWN.code),
    User(login="carrier1", role="carrier", family_name="佐藤", given_name="健太", office_code=OFFICE_1),
    User(login="carrier2", role="carrier", family_name="鈴木", given_name="大輔", office_code=OFFICE_1),
    User(login="carrier3", role="carrier", family_name="高橋", given_name="翔", office_code=OFFICE_2),
    User(login="carrier4", role="carrier", family_name="田中", given_name="美咲", office_code=OFFICE_2),
)
CARRIERS = tuple(user for user in STAFF if user.role == "carrier")
_CARRIER_OFFICE = {user.login: user.office_code for user in CARRIERS}

# Carriers' rounds: carrier1 本郷・東原, carrier2 西原・北沢 (office 1);
# carrier3 南平・中島, carrier4 川端・上郷 (office 2).
# Neighbouring lot numbers lie near each other, within about 450 m of the district centre.
_PROPERTY_ROWS = [
    # key, 大字, 番地, lat, lon, 用途, 構造, 階数, 不動産ID, carrier
    ("p01", "本郷", "222番地", 35.66653, 137.92944, "専用住宅", "木造", 2, "2945966890609-0000", "carrier1"),
    ("p02", "本郷", "255番地", 35.66688, 137.92909, "専用住宅", "木造", 2, "5425522350637-0000", "carrier1"),
    ("p03", "本郷", "666番地9", 35.66920, 137.92941, "専用住宅", "軽量鉄骨造", 2, None, "carrier1"),
    ("p04", "本郷", "1041番地", 35.66890, 137.93029, "倉庫", "木造", 1, None, "carrier1"),
    ("p05", "本郷", "1060番地", 35.67062, 137.93047, "店舗", "木造", 2, None, "carrier1"),
    ("p06", "本郷", "1337番地", 35.67209, 137.92959, "倉庫", "鉄骨造", 1, None, "carrier1"),
    ("p07", "本郷", "1773番地8", 35.67308, 137.93118, "専用住宅", "木造", 2, None, "carrier1"),
    ("p08", "本郷", "1822番地9", 35.67366, 137.93128, "専用住宅", "軽量鉄骨造", 1, None, "carrier1"),
    ("p09", "東原", "222番地9", 35.67546, 137.94501, "併用住宅", "木造", 2, "6415946103402-0000", "carrier1"),
    ("p10", "東原", "303番地", 35.67542, 137.94558, "店舗", "鉄骨造", 2, None, "carrier1"),
    ("p11", "東原", "891番地5", 35.67390, 137.94573, "専用住宅", "木造", 2, None, "carrier1"),
    ("p12", "東原", "974番地", 35.67399, 137.94763, "専用住宅", "木造", 1, "6571818420452-0000", "carrier1"),
    ("p13", "東原", "999番地3", 35.67325, 137.94872, "併用住宅", "鉄骨造", 2, None, "carrier1"),
    ("p14", "東原", "1286番地6", 35.67197, 137.95050, "専用住宅", "木造", 2, "3574451976918-0000", "carrier1"),
    ("p15", "東原", "1481番地", 35.67050, 137.95090, "専用住宅", "木造", 2, None, "carrier1"),
    ("p16", "西原", "103番地", 35.67410, 137.91724, "専用住宅", "木造", 1, None, "carrier2"),
    ("p17", "西原", "259番地3", 35.67409, 137.91692, "店舗", "RC造", 3, None, "carrier2"),
    ("p18", "西原", "419番地", 35.67261, 137.91518, "店舗", "木造", 1, "6384110998096-0000", "carrier2"),
    ("p19", "西原", "519番地", 35.67269, 137.91403, "専用住宅", "木造", 1, None, "carrier2"),
    ("p20", "西原", "1261番地1", 35.67194, 137.91261, "専用住宅", "木造", 2, "6765890620545-0000", "carrier2"),
    ("p21", "西原", "1283番地", 35.67219, 137.91192, "専用住宅", "木造", 2, None, "carrier2"),
    ("p22", "西原", "1551番地", 35.67199, 137.90977, "併用住宅", "木造", 2, None, "carrier2"),
    ("p23", "西原", "1637番地", 35.67153, 137.90841, "専用住宅", "木造", 1, None, "carrier2"),
    ("p24", "北沢", "110番地3", 35.68515, 137.93693, "倉庫", "木造", 1, "4272096674083-0000", "carrier2"),
    ("p25", "北沢", "398番地", 35.68586, 137.93495, "併用住宅", "木造", 2, "9161569344431-0000", "carrier2"),
    ("p26", "北沢", "937番地", 35.68650, 137.93367, "専用住宅", "木造", 2, None, "carrier2"),
    ("p27", "北沢", "1324番地4", 35.68626, 137.93211, "倉庫", "鉄骨造", 1, "8178309589863-0000", "carrier2"),
    ("p28", "北沢", "1557番地6", 35.68682, 137.93082, "専用住宅", "木造", 2, None, "carrier2"),
    ("p29", "北沢", "1730番地", 35.68652, 137.92941, "専用住宅", "木造", 2, None, "carrier2"),
    ("p30", "北沢", "1789番地", 35.68669, 137.92822, "作業場", "鉄骨造", 1, "2693349752135-0000", "carrier2"),
    ("p31", "南平", "135番地5", 35.65303, 137.92995, "専用住宅", "木造", 2, None, "carrier3"),
    ("p32", "南平", "229番地", 35.65227, 137.92949, "専用住宅", "木造", 2, "5136467755278-0000", "carrier3"),
    ("p33", "南平", "362番地", 35.65110, 137.92965, "倉庫", "軽量鉄骨造", 1, None, "carrier3"),
    ("p34", "南平", "741番地", 35.65098, 137.93113, "専用住宅", "木造", 2, None, "carrier3"),
    ("p35", "南平", "905番地5", 35.64995, 137.93118, "専用住宅", "木造", 2, None, "carrier3"),
    ("p36", "南平", "1413番地", 35.64851, 137.93250, "併用住宅", "木造", 2, "6223205571865-0000", "carrier3"),
    ("p37", "南平", "1491番地", 35.64748, 137.93259, "専用住宅", "木造", 2, "2984262592380-0000", "carrier3"),
    ("p38", "南平", "1566番地", 35.64622, 137.93193, "専用住宅", "木造", 2, None, "carrier3"),
    ("p39", "中島", "70番地", 35.65415, 137.95018, "専用住宅", "軽量鉄骨造", 1, "7981705125389-0000", "carrier3"),
    ("p40", "中島", "270番地", 35.65478, 137.94981, "専用住宅", "木造", 1, None, "carrier3"),
    ("p41", "中島", "630番地", 35.65471, 137.94744, "共同住宅", "軽量鉄骨造", 2, None, "carrier3"),
    ("p42", "中島", "741番地", 35.65561, 137.94740, "専用住宅", "木造", 2, None, "carrier3"),
    ("p43", "中島", "881番地9", 35.65669, 137.94453, "専用住宅", "木造", 1, None, "carrier3"),
    ("p44", "中島", "1196番地4", 35.65739, 137.94480, "専用住宅", "木造", 2, None, "carrier3"),
    ("p45", "中島", "1355番地", 35.65794, 137.94238, "専用住宅", "木造", 2, None, "carrier3"),
    ("p46", "川端", "336番地1", 35.65784, 137.91809, "専用住宅", "軽量鉄骨造", 2, None, "carrier4"),
    ("p47", "川端", "396番地1", 35.65635, 137.91709, "専用住宅", "木造", 2, None, "carrier4"),
    ("p48", "川端", "651番地7", 35.65608, 137.91756, "専用住宅", "木造", 1, None, "carrier4"),
    ("p49", "川端", "982番地", 35.65550, 137.91690, "専用住宅", "木造", 1, None, "carrier4"),
    ("p50", "川端", "1201番地", 35.65397, 137.91489, "専用住宅", "木造", 2, "6153526586361-0000", "carrier4"),
    ("p51", "川端", "1391番地1", 35.65327, 137.91395, "専用住宅", "木造", 1, None, "carrier4"),
    ("p52", "川端", "1627番地", 35.65347, 137.91369, "専用住宅", "軽量鉄骨造", 2, None, "carrier4"),
    ("p53", "川端", "1849番地", 35.65215, 137.91198, "専用住宅", "木造", 1, None, "carrier4"),
    ("p54", "上郷", "16番地8", 35.63430, 137.93481, "専用住宅", "木造", 1, "7704758044685-0000", "carrier4"),
    ("p55", "上郷", "142番地2", 35.63501, 137.93385, "専用住宅", "木造", 2, None, "carrier4"),
    ("p56", "上郷", "765番地", 35.63623, 137.93335, "併用住宅", "木造", 1, None, "carrier4"),
    ("p57", "上郷", "779番地", 35.63797, 137.93386, "専用住宅", "軽量鉄骨造", 2, "6675076492959-0000", "carrier4"),
    ("p58", "上郷", "1329番地", 35.63903, 137.93356, "店舗", "鉄骨造", 2, None, "carrier4"),
    ("p59", "上郷", "1582番地", 35.64011, 137.93187, "専用住宅", "軽量鉄骨造", 2, None, "carrier4"),
    ("p60", "上郷", "1736番地", 35.64048, 137.93168, "作業場", "鉄骨造", 1, None, "carrier4"),
]

# The ledger's 建築年月日 where it matters to the 利活用判定 (新耐震基準, 1981-06-01): houses built after it, and
# p35 whose ledger gives the year 1981 alone (before or after June cannot be told: 判定不能). Every other house
# was built between 1955 and 1980, the ledger giving the year only.
_BUILT_ON = {"p08": "1994-03-12", "p17": "1988-07-20", "p39": "1983-10", "p35": "1981",
             "p05": "1985-11-02", "p47": "1990-02"}


def _built_on(key: str) -> str:
    return _BUILT_ON.get(key) or str(1955 + int(key[1:]) * 7 % 26)


PROPERTIES = tuple(
    Property(key=key, address=f"{TOWN.prefecture}{TOWN.name}大字{district}{lot}", district=district,
             lat=lat, lon=lon, building_use=use, structure=structure, storeys=storeys,
             real_estate_id=real_estate_id, office_code=_CARRIER_OFFICE[carrier], carrier=carrier,
             built_on=_built_on(key))
    for key, district, lot, lat, lon, use, structure, storeys, real_estate_id, carrier in _PROPERTY_ROWS
)

OWNERS = (
    Owner(login="owner1", family_name="松本", given_name="和子", kana="マツモト カズコ",
          address="東京都世田谷区松原9丁目88番1号", email="k.matsumoto@example.jp",
          phone="090-0000-1001", report_delivery="email"),
    Owner(login="owner2", family_name="伊藤", given_name="誠", kana="イトウ マコト",
          address="大阪府大阪市北区天神橋9丁目77番2号", email="makoto.ito@example.com",
          phone="080-0000-1002", report_delivery="web"),
    Owner(login="owner3", family_name="渡辺", given_name="恵子", kana="ワタナベ ケイコ",
          address="神奈川県横浜市港北区日吉本町9丁目66番3号", email="keiko.watanabe@example.jp",
          phone="090-0000-1003", report_delivery="email"),
    Owner(login="owner4", family_name="山本", given_name="隆", kana="ヤマモト タカシ",
          address="愛知県名古屋市千種区今池9丁目55番4号", email="t.yamamoto@example.com",
          phone="070-0000-1004", report_delivery="web"),
    Owner(login="owner5", family_name="中川", given_name="美穂", kana="ナカガワ ミホ",
          address="埼玉県さいたま市浦和区高砂9丁目44番5号", email="miho.nakagawa@example.jp",
          phone="080-0000-1005", report_delivery="email"),
    Owner(login="owner6", family_name="小池", given_name="修", kana="コイケ オサム",
          address="千葉県船橋市本町9丁目33番6号", email="osamu.koike@example.jp",
          phone="090-0000-1006", report_delivery="email"),
    Owner(login="owner7", family_name="加藤", given_name="裕子", kana="カトウ ユウコ",
          address="兵庫県神戸市中央区元町通9丁目22番7号", email="yuko.kato@example.com",
          phone="080-0000-1007", report_delivery="web"),
    Owner(login="owner8", family_name="吉田", given_name="浩二", kana="ヨシダ コウジ",
          address="京都府京都市左京区下鴨本町99番地", email="koji.yoshida@example.jp",
          phone="090-0000-1008", report_delivery="email"),
    Owner(login="owner9", family_name="山田", given_name="直美", kana="ヤマダ ナオミ",
          address="福岡県福岡市中央区天神9丁目11番9号", email="naomi.yamada@example.jp",
          phone="070-0000-1009", report_delivery="email"),
    Owner(login="owner10", family_name="林", given_name="哲也", kana="ハヤシ テツヤ",
          address="宮城県仙台市青葉区一番町9丁目10番10号", email="tetsuya.hayashi@example.com",
          phone="080-0000-1010", report_delivery="web"),
)

# One watched house per owner; p03, p34 and p47 are also on the municipal survey list.
SUBSCRIPTIONS = (
    WatchSubscription(owner="owner1", property="p03", options=("airing", "disaster"),
                      start_date=date(2025, 1, 1), requested_spot="裏庭の物置"),
    WatchSubscription(owner="owner2", property="p07", options=("mail_forward",), start_date=date(2025, 4, 1)),
    WatchSubscription(owner="owner3", property="p14", options=("mail_tidy", "disaster"),
                      start_date=date(2025, 7, 1), requested_spot="北側の雨どい"),
    WatchSubscription(owner="owner4", property="p21", options=(), start_date=date(2025, 10, 1)),
    WatchSubscription(owner="owner5", property="p28", options=("airing", "mail_forward"),
                      start_date=date(2026, 2, 1), requested_spot="勝手口"),
    WatchSubscription(owner="owner6", property="p34", options=("disaster",), start_date=date(2025, 6, 1)),
    WatchSubscription(owner="owner7", property="p38", options=("mail_tidy",), start_date=date(2026, 4, 1),
                      requested_spot="庭の柿の木"),
    WatchSubscription(owner="owner8", property="p42", options=("airing", "mail_tidy", "disaster"),
                      start_date=date(2025, 11, 1)),
    WatchSubscription(owner="owner9", property="p47", options=("mail_forward", "disaster"),
                      start_date=date(2026, 6, 1), requested_spot="門扉とブロック塀"),
    WatchSubscription(owner="owner10", property="p55", options=(), start_date=date(2026, 9, 1)),
)

# The menu's prices in the demo: the ones reported for Japan Post's 「郵便局の空き家みまもり」, marked as such
# wherever they show (office menu page, owner's 利用明細). Source: Impress Watch, 2024-09-30,
# https://www.watch.impress.co.jp/docs/news/1627688.html (「料金は4,280円/月」, 通風・通水サービス
# 「料金は5,000円/月」, 郵便受箱投函物送付サービス「料金は800円/月」; service from January 2025). The other
# options have no reported price: the demo leaves them 料金未設定 (the admin enters real prices).
PRICE_REFERENCE = "報道による参考価格（デモ）"
PRICES_FROM = date(2025, 1, 1)
DEMO_PRICES = (("watch", 4280), ("airing", 5000), ("mail_forward", 800))
# owner4 paused the watch while staying in the house (from 3 days before the seed day, after the last visit).
PAUSED = (("p21", 3),)


class DemoOrder(msgspec.Struct, frozen=True):
    """One-off or quoted work on a subscription; days are counted from the seed day (negative: past), or from
    the day of `work_visit` (the demo history's approved work record that did it) when it names one."""

    property: str
    service: str
    wanted_in: int
    note: str
    quote_yen: int | None = None  # a demo amount, not a real quote
    accepted_in: int | None = None
    done_in: int | None = None
    done_note: str = ""
    work_visit: str | None = None


ORDERS = (
    DemoOrder("p03", "mowing", -8, "前庭と裏庭（面積の目安 約60㎡）", quote_yen=12000, accepted_in=-6, done_in=0,
              done_note="前庭と裏庭の草を刈り、刈った草は袋に入れて敷地内にまとめました（面積の目安 約60㎡）。",
              work_visit="g-p03"),
    DemoOrder("p28", "clearing", 10, "物置の中の古い家具（見積りを希望）", quote_yen=38000),
    DemoOrder("p07", "extra_visit", 14, "台風の予報があるため、通過後に見てほしい"),
)

# What owners asked for from their pages (server/owner_requests/): (owner, house, kind, service, days from
# today of the day asked for, text, days ago asked, the office's reason when it declined). owner2's spot
# waits in the office's queue; owner1's quote was declined with a reason the owner reads.
REQUESTS = (
    ("owner2", "p07", "spot", None, None, "玄関脇の郵便受けと表札", 1, None),
    ("owner1", "p03", "quote", "clearing", None, "物置の中の古い自転車", 6,
     "自転車の処分は自治体の粗大ごみ回収になります。回収日のご案内をお送りします。"),
)

# A short thread between an owner and the office (server/messages/): (author login, days before today, text).
MESSAGES = (
    ("owner1", 3, "先日の台風のあと、裏の物置の屋根が気になっています。次の見回りで写真を撮っていただけますか。"),
    ("office1", 2, "承知しました。次回の見回りで物置の屋根も撮影し、報告書に載せます。道路から見える範囲になります。"),
)

USERS = STAFF + tuple(User(login=o.login, role="owner", family_name=o.family_name, given_name=o.given_name)
                      for o in OWNERS)

# The town's list of houses to survey: 20 in each office's area. The contract is held by
# 青葉川郵便局 (office 1) and shared with 青葉川南郵便局, whose carriers survey the south.
SURVEY_CONTRACT = SurveyContract(
    title="令和8年度 青葉川町空き家等実態調査業務",
    municipality_code=TOWN.code,
    office_code=OFFICE_1,
    period_start=date(2026, 10, 1),
    period_end=date(2027, 3, 31),
    rubric_id="municipal_survey",
    rubric_version=3,
    contract_no="青葉川町契第8-0412号",
    houses_in_area=1240,
    properties=(
        "p01", "p02", "p03", "p04", "p05", "p08", "p09", "p10", "p11", "p12",
        "p15", "p16", "p17", "p18", "p19", "p20", "p23", "p25", "p26", "p29",
        "p31", "p32", "p33", "p34", "p35", "p36", "p39", "p40", "p41", "p43",
        "p44", "p46", "p47", "p48", "p49", "p50", "p53", "p56", "p58", "p60",
    ),
)


def identifiers(key: str) -> tuple[str, str, str]:
    """(台帳番号, 地番, 家屋番号) of a demo house: fictional, fixed per house."""
    n = int(key.removeprefix("p"))
    parcel = 100 + (n * 37) % 800
    return f"AOB-{n:04d}", f"{parcel}番{n % 7 + 1}", f"{parcel}番{n % 7 + 1}の1"


def property_by_key(key: str) -> Property:
    return next(p for p in PROPERTIES if p.key == key)


def user_by_login(login: str) -> User:
    return next(u for u in USERS if u.login == login)
