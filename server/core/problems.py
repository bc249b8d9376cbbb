"""The error catalogue: every error a client can get, one entry per stable `code`.

As ODK Central's problem catalogue (lib/util/problem.js): each entry is a code, one HTTP status,
the Japanese message (carriers and clerks read it on a phone or a form: it says what to do) and
what `details` carry. A raise site names its entry:

    raise problems.SUBSCRIPTION_OVERLAPS("following", following=day)
    raise problems.PHOTO_TOO_LARGE(mb=20)
    raise problems.SHA256_MISMATCH(details={"declared": a, "received": b})

The first positional argument picks one of the entry's `variants` (other wordings of the same
code); keyword arguments fill the message's {parameters}; `details=` and `headers=` pass through.
An entry whose `message` is empty has only variants: its raise sites always name one.
`not_found(what)` (below) is the shorthand for NOT_FOUND.

Codes a client acts on are contracts: never rename one. tests/foundation/test_problems.py keeps
every raise site in this catalogue, every entry used, and the OpenAPI document listing them all.
"""

from __future__ import annotations

from server.core.errors import AppError, OpProblem, Problem

_APP_UPDATE = "アプリを更新してください。"

# -- Any request: produced by the exception handlers in server/http/web.py and by the request bounds.

INVALID_REQUEST = Problem(
    "invalid_request", 400, "送られた内容の形式が正しくありません。" + _APP_UPDATE,
    details="what the validator found: a list of {message, key, source} (at most 50) or the decoder's message")
MALFORMED_REQUEST = Problem(
    "malformed_request", 400, "送られた内容を読み取れません（形式が正しくありません）。" + _APP_UPDATE,
    details="the parser's message (sent with the 4xx status the framework chose)")
TOO_DEEPLY_NESTED = Problem(
    "too_deeply_nested", 400, "送られた内容の入れ子が深すぎます。アプリを最新にしてから送り直してください。")
CONTROL_CHARACTER = Problem(
    "control_character", 400,
    "「{field}」に使えない制御文字（NUL など）が含まれています。その文字を消してから送り直してください。",
    details='[{"field": path}] (server/core/control_chars.py: tab, LF and CR only in text written in several lines)')
UNAUTHENTICATED = Problem(
    "unauthenticated", 401, "ログインが必要です。もう一度ログインしてください。",
    variants={"office": "ログインしてください。"})
NOT_FOUND = Problem(
    "not_found", 404, "{what}が見つかりません。番号を確かめてください。",
    variants={"page": "ページまたは記録が見つかりません。", "contract": "調査契約が見つかりません。"})
METHOD_NOT_ALLOWED = Problem(
    "method_not_allowed", 405, "この操作はできません。", details="none; the Allow header lists the methods")
TOO_LARGE = Problem("too_large", 413, "送られたデータが大きすぎます。")
SERVER_ERROR = Problem(
    "server_error", 500, "サーバーで問題が起きました。しばらくしてからもう一度送ってください。",
    details="none (the cause is in the server log)")

# -- Operations: /metrics (server/health/routes.py).

METRICS_TOKEN_REQUIRED = Problem(
    "metrics_token_required", 401,
    "メトリクスの取得にはトークンが必要です。AKIYA_METRICS_TOKEN と同じ値を Bearer トークンとして送ってください。")

# -- Signing in.

BAD_CREDENTIALS = Problem("bad_credentials", 401, "ログイン名またはパスワードが違います。")
TOO_MANY_ATTEMPTS = Problem(
    "too_many_attempts", 429,
    "ログインの失敗が続いたため、この端末からはしばらくログインできません。{until:%H:%M} 以降（あと{left}ほど）に"
    "もう一度お試しください。パスワードが分からないときは、郵便局の担当者か管理者に再設定を頼んでください。",
    details='{"retry_after": seconds} (also the Retry-After header)',
    variants={"link_request": "ログイン用リンクの申し込みが続いたため、しばらく申し込めません。{until:%H:%M} 以降（あと{left}ほど）に"
                              "もう一度お試しください。お急ぎのときは担当の郵便局へお電話ください。",
              "link": "使えないログイン用リンクが続いたため、この端末からはしばらくログインできません。{until:%H:%M} 以降"
                      "（あと{left}ほど）にもう一度お試しください。",
              "answer_code": "使えない回答コードが続いたため、しばらく入力できません。{until:%H:%M} 以降（あと{left}ほど）に"
                             "もう一度お試しください。返信はがきでも回答できます。"})
INVALID_EMAIL = Problem(
    "invalid_email", 400, "メールアドレスの形になっていません（例: yamada@example.jp）。ご登録のメールアドレスを入力してください。")
SIGN_IN_LINK_UNUSABLE = Problem(
    "sign_in_link_unusable", 401,
    "このログイン用リンクは使えません。リンクは一度だけ、送信から15分以内に使えます。"
    "もう一度リンクを申し込むか、パスワードでログインしてください。")
WEAK_PASSWORD = Problem(
    "weak_password", 400, "{reason}",
    details='{"min_length": n}; the message is the sentence server/auth/password_policy.py gives')

# -- Who may: roles.

OFFICE_ONLY = Problem(
    "office_only", 403, "",
    variants={"disaster": "災害の登録は郵便局の担当者だけができます。",
              "schedule": "月次の見回り作業は郵便局の担当者だけが作成できます。",
              "contract": "調査契約は郵便局の担当者が登録します。",
              "owner_letters": "所有者情報（課税台帳）を見る許可は、郵便局の担当者にだけ付けられます。"})
CARRIERS_ONLY = Problem("carriers_only", 403, "この機能は配達員の端末専用です。")
REVIEWERS_ONLY = Problem("reviewers_only", 403, "確認（承認・差し戻し）は郵便局の担当者だけができます。")
CARRIER_USE_APP = Problem("carrier_use_app", 403, "配達員の方は作業用アプリ（/app/）をお使いください。")
WRONG_ROLE = Problem("wrong_role", 403, "このページは{who}用です。")
EVENT_NOT_YOURS = Problem(
    "event_not_yours", 403,
    "この災害は別の郵便局が登録したものです。内容・範囲を変えるときは、登録した郵便局か管理者に依頼してください。")

# -- Users, offices, municipalities (the CLI and the office forms).

INVALID_ROLE = Problem("invalid_role", 400, "役割 {role!r} はありません。{roles} のどれかを指定してください。")
INVALID_LOGIN = Problem("invalid_login", 400, "ログイン名は空白を含まない半角英数字で指定してください。")
LOGIN_TAKEN = Problem("login_taken", 400, "ログイン名 {login} は既に使われています。")
OFFICE_REQUIRED = Problem(
    "office_required", 400, "配達員・郵便局員には郵便局コード (--office) が必要です。",
    variants={"contract": "契約する郵便局を選んでください。"})
MUNICIPALITY_REQUIRED = Problem(
    "municipality_required", 400, "自治体職員には自治体コード (--municipality) が必要です。")
OWNER_REQUIRED = Problem("owner_required", 400, "所有者ユーザーには所有者の登録が必要です。")
UNKNOWN_OFFICE = Problem("unknown_office", 400, "郵便局コード {code} は登録されていません。")
UNKNOWN_MUNICIPALITY = Problem("unknown_municipality", 400, "自治体コード {code} は登録されていません。")
INVALID_MUNICIPALITY_CODE = Problem(
    "invalid_municipality_code", 400, "自治体コード {code} は正しくありません（6桁、最後の1桁は検査数字）。")

# -- The field app's sync (pull; the push's per-record rejections are in the push response).

INVALID_CURSOR = Problem(
    "invalid_cursor", 400, "同期の位置情報が正しくありません。全件を取り直します（since なしで送ってください）。")

# -- Photos: upload, resumable chunks, what the file must be.

PHOTO_NOT_FOUND = Problem("photo_not_found", 404, "この写真は見られません。")
PHOTO_NOT_DECLARED = Problem(
    "photo_not_declared", 404,
    "この写真を含む記録がまだサーバーに届いていません。先に記録を送ってから写真を送ってください。")
PHOTO_TOO_LARGE = Problem(
    "photo_too_large", 413, "写真が大きすぎます（上限 {mb} MB）。アプリで縮小してから送ってください。")
INVALID_CONTENT_RANGE = Problem(
    "invalid_content_range", 400, "",
    variants={"form": "Content-Range は「bytes 開始-終了/全体」の形で送ってください。",
              "range": "Content-Range の範囲が正しくありません。"})
CHUNK_SIZE_MISMATCH = Problem("chunk_size_mismatch", 400, "送られたデータの長さが Content-Range と合いません。")
UPLOAD_IN_PROGRESS = Problem(
    "upload_in_progress", 409, "この写真は別の送信が続いています。{offset} バイト目から続きを送ってください。",
    details='{"upload_offset": bytes already stored} (also the Upload-Offset header)')
OFFSET_MISMATCH = Problem(
    "offset_mismatch", 409, "{offset} バイト目から続きを送ってください。",
    details='{"upload_offset": bytes already stored} (also the Upload-Offset header)')
STORAGE_UNAVAILABLE = Problem(
    "storage_unavailable", 503, "写真の保存先に一時的に接続できません。しばらくしてからもう一度送ってください。",
    variants={"download": "写真の保存先に一時的に接続できません。しばらくしてからもう一度開いてください。"},
    details="none; the Retry-After header says when to try again (the cause is in the server log)")
PHOTO_DIFFERS = Problem(
    "photo_differs", 409, "この写真は既に別の内容で受け取っています。写真を撮り直して新しい記録として送ってください。")
SHA256_MISMATCH = Problem(
    "sha256_mismatch", 409,
    "写真のデータが記録の内容と一致しません（送信中に壊れた可能性があります）。もう一度送ってください。",
    details='{"declared": sha256 in the record, "received": sha256 of the bytes}')
EMPTY = Problem("empty", 422, "写真のデータが空でした。もう一度撮影して送ってください。")
_JPEG_ONLY = "JPEG形式（.jpg）の写真だけを受け付けます。アプリのカメラで撮影し直して送ってください。"
NOT_JPEG = Problem(
    "not_jpeg", 415, "JPEG形式の写真ではありませんでした。" + _JPEG_ONLY,
    variants={"format": "送られたファイルは{sent_format}形式でした。" + _JPEG_ONLY,
              "heic": "送られたファイルはHEIC/HEIF形式でした。" + _JPEG_ONLY
                      + "iPhoneの場合は「設定 > カメラ > フォーマット」で「互換性優先」を選ぶとJPEGで保存されます。"})
UNDECODABLE = Problem("undecodable", 422, "写真のデータが壊れていて読み取れませんでした。もう一度撮影して送ってください。")
TRUNCATED = Problem(
    "truncated", 422,
    "写真のデータが途中で切れていました（送信が途中で止まった可能性があります）。電波の良い場所でもう一度送ってください。")
_PIXELS_ADVICE = "アプリから撮影して送るか、カメラの解像度を下げて撮影してください。"
TOO_MANY_PIXELS = Problem(
    "too_many_pixels", 422, "写真の画素数が多すぎます（上限は{man_pixels:,}万画素）。" + _PIXELS_ADVICE,
    variants={"sized": "写真の画素数が多すぎます（{width}×{height}、上限は{man_pixels:,}万画素）。" + _PIXELS_ADVICE})

# -- Review of inspections (API and office pages).

COMMENT_REQUIRED = Problem("comment_required", 400, "差し戻すときは、配達員が直せるように理由を書いてください。")
NOT_REVIEWABLE = Problem(
    "not_reviewable", 409, "この記録は確認できません。",
    variants={"awaiting_photos": "写真がまだすべて届いていません。届いてから確認してください。",
              "approved": "この記録は既に承認されています。",
              "returned": "この記録は既に差し戻されています。訂正が届くのを待ってください。",
              "superseded": "この記録は訂正版に置き換えられています。訂正版を確認してください。"})
INVALID_DECISION = Problem("invalid_decision", 400, "「承認する」か「差し戻す」を押してください。")
FLAGS_NOT_SEEN = Problem(
    "flags_not_seen", 400,
    "注意のある写真が{flagged}枚あります。写真を確かめ、「写真の注意を確認した」にチェックしてから承認してください。")

# -- Tasks (office work list).

DISTRICT_REQUIRED = Problem("district_required", 400, "まとめて割り当てる地区を選んでください。")
UNKNOWN_CARRIER = Problem("unknown_carrier", 400, "この郵便局の配達員を選んでください。")
NO_TASKS = Problem("no_tasks", 400, "割り当てる作業を選んでください。")

# -- Disasters.

INVALID_AREA = Problem(
    "invalid_area", 400, "",
    variants={"one_of": "範囲は「自治体コード」か「中心と半径」のどちらか一方で指定してください。",
              "circle": "円で指定するときは中心（緯度・経度）と半径（m）の両方が必要です。",
              "numbers": "中心の緯度・経度と半径（m）は数字で入力してください。"})
INVALID_TIME = Problem("invalid_time", 400, "発生日時を入力してください。")
INVALID_EVENT = Problem(
    "invalid_event", 400, "{reason}", details="none; the message names the field (server/office/disaster_form.py)")
SAME_EVENT_EXISTS = Problem(
    "same_event_exists", 409, "同じ災害（種類・日時・範囲）が既に登録されています（番号 {other}）。")

# -- Urgent findings (alerts).

INVALID_NOTICE = Problem("invalid_notice", 400, "所有者への知らせ方を選んでください。")
OWNER_NOTE_REQUIRED = Problem(
    "owner_note_required", 400, "所有者に知らせる内容を書いてください。",
    details='[{"field": "owner_note", "message": the same sentence}]')
OWNER_WITHOUT_EMAIL = Problem(
    "owner_without_email", 400, "この所有者にはメールアドレスがありません。所有者のページで知らせてください。")
CONTACT_INCOMPLETE = Problem(
    "contact_incomplete", 400, "連絡した人・相手・日時・決まったことをすべて書いてください。",
    details='[{"field": name}] for each missing field')
INVALID_CONTACTED_AT = Problem(
    "invalid_contacted_at", 400, "連絡した日時を「2026-11-29T10:30」の形で入れてください。")
ALERT_NOT_CONFIRMED = Problem("alert_not_confirmed", 400, "先に所見を確認してから対応済みにしてください。")

# -- Survey contracts.

TITLE_REQUIRED = Problem("title_required", 400, "契約名を入力してください。")
INVALID_PERIOD = Problem(
    "invalid_period", 400, "調査期間の開始日と終了日を正しく入力してください（開始日 ≦ 終了日）。")
INVALID_HOUSES_IN_AREA = Problem(
    "invalid_houses_in_area", 400, "調査区域の住宅数「{value}」は1以上の整数で入力してください（分からなければ空欄）。")

# -- Survey candidates (候補の抽出, server/survey_candidates/).

CANDIDATE_SURVEYED = Problem(
    "candidate_surveyed", 409, "この候補は調査済みです。結果は承認された調査記録から決まるため、変えられません。")
INVALID_OUTCOME = Problem(
    "invalid_outcome", 400, "結果を「居住中」「更地・建替中」「所在不明」「対象外」から選んでください。",
    variants={"reason": "対象外にするときは、その理由を書いてください。"})
INVALID_CANDIDATE_CHOICE = Problem(
    "invalid_candidate_choice", 400, "候補の家屋から1つ選ぶか、「新しい家屋」「見つからない」を選んでください。")
CANDIDATE_SETTLED = Problem("candidate_settled", 409, "この候補の住所は既に照合済みです。")

# -- Owners' intention survey by post (所有者意向調査, server/owner_survey/).

OWNER_LETTERS_FORBIDDEN = Problem(
    "owner_letters_forbidden", 403,
    "所有者あての文書は、町の担当者と、管理者が許可した郵便局の担当者だけが作れます。")
LETTER_TEXT_INVALID = Problem(
    "letter_text_invalid", 400, "文面を直してください: {why}", details='["each problem, in Japanese"]')
INVALID_DEADLINE = Problem("invalid_deadline", 400, "回答期限を「2027-01-31」の形で入れてください。")
NO_LETTERS_SELECTED = Problem("no_letters_selected", 400, "文書を作る候補を選んでください。")
ANSWER_INVALID = Problem(
    "answer_invalid", 422, "回答を確かめてください: {why}", details='["each problem, in Japanese"]')
ANSWER_CODE_REFUSED = Problem(
    "answer_code_refused", 404,
    "この回答コードでは回答できません。コードをお確かめください。回答期限を過ぎた場合は、お手紙の問い合わせ先へご連絡ください。")
RETURN_REASON_INVALID = Problem("return_reason_invalid", 400, "戻ってきた理由を選んでください。")

# -- Owners' personal data of a survey contract: retention and deletion (server/owner_data/).

OWNER_DATA_FORBIDDEN = Problem(
    "owner_data_forbidden", 403,
    "所有者の個人情報の保存期限の変更と削除は、その町の担当者と管理者だけができます。")
OWNER_DATA_CONFIRM = Problem(
    "owner_data_confirm", 400,
    "削除すると元に戻せません。確認の欄にチェックを入れてから、もう一度「削除する」を押してください。")
OWNER_DATA_DELETED = Problem(
    "owner_data_deleted", 409, "",
    variants={"letters": "この契約の所有者の個人情報は {on} に削除したため、所有者あての文書は作れません。",
              "import": "この契約の所有者の個人情報は {on} に削除しました。所有者の列（氏名・住所・郵便番号）を"
                        "空にした候補リストなら取り込めます。",
              "again": "この契約の所有者の個人情報は {on} に削除済みです。"})

# -- Watch subscriptions and owners.

OWNER_NAME_REQUIRED = Problem("owner_name_required", 400, "所有者の氏名を入力してください。")
ADDRESS_TOO_LONG = Problem("address_too_long", 400, "住所は{max}文字以内で入力してください。")
MESSAGE_EMPTY = Problem("message_empty", 400, "メッセージを入力してください。")
MESSAGE_TOO_LONG = Problem("message_too_long", 400,
                           "メッセージは{max}文字以内でお書きください（いまは{length}文字です）。分けて送ることもできます。")
EMAIL_REQUIRED = Problem("email_required", 400, "メールで報告書を受け取るには、メールアドレスを入力してください。")
UNKNOWN_OPTION = Problem("unknown_option", 400, "オプション {options} はありません。")
_END_FIRST = "前の契約に終了日（新しい契約の開始日の前日まで）を入れてから登録してください。"
SUBSCRIPTION_OVERLAPS = Problem(
    "subscription_overlaps", 409, "",
    variants={"open": "この物件には {start} から続いているの見回り契約があります。" + _END_FIRST,
              "until": "この物件には {start} から{end} までの見回り契約があります。" + _END_FIRST,
              "following": "この物件では {following} から次の見回り契約が始まっています。終了日はその前日までにしてください。"})
SUBSCRIPTION_ENDED = Problem("subscription_ended", 400, "終了した契約は一時停止・再開できません。",
                             variants={"order": "終了した契約には作業を申し込めません。",
                                       "options": "終了した契約のオプションは変えられません（終了日より後の変更はできません）。",
                                       "request": "終了した契約（終了日 {end}）にはお申し込みできません。"})
INVALID_END_DATE = Problem("invalid_end_date", 400, "終了日は開始日より後の日付にしてください。")
INVALID_DAY = Problem(
    "invalid_day", 400, "{label}は 2026-12-01 のように、実在する日付を年-月-日で入力してください。",
    details='{"field": the form field}')
REASON_REQUIRED = Problem(
    "reason_required", 400, "終了した契約の終了日を後ろへずらすには、理由を書いてください（記録に残ります）。")
OWNER_LOGIN_EXISTS = Problem(
    "owner_login_exists", 409, "{name} 様には既にログイン（{login}）があります。1人の所有者に発行できるログインは1つです。")
OWNER_LOGIN_MISSING = Problem("owner_login_missing", 409, "{name} 様にはまだログインがありません。先に発行してください。")

# -- The service menu, prices and orders (server/menu/).

INVALID_PRICE = Problem("invalid_price", 400, "料金は 0 以上の整数（円）で入力してください（「{value}」は使えません）。")
PRICE_IN_PAST = Problem(
    "price_in_past", 400,
    "料金の適用開始日は今日（{today}）以降にしてください。過去の月の利用明細は変えられません。")
PRICE_EXISTS = Problem(
    "price_exists", 409, "{name}には {valid_from} から適用する料金がすでにあります。別の日付にしてください。")
DAY_IN_PAST = Problem("day_in_past", 400, "{label}に過去の日付は指定できません（今日は {today} です）。")
NOT_AN_ORDER_SERVICE = Problem(
    "not_an_order_service", 400, "「{name}」は月額のオプションです。申し込みではなく、契約のオプションとして追加してください。")
ORDER_STATE = Problem(
    "order_state", 409, "",
    variants={"quote_first": "見積額を記録し、所有者の承諾を記録してから作業を依頼してください。",
              "not_quoted": "見積額を記録してから承諾を記録してください。",
              "no_quote": "この作業は見積りの対象ではありません。",
              "done": "この作業はすでに実施済みです。",
              "task_made": "この作業はすでに配達員に依頼しています。見積額は変更できません。"})

# -- What an owner asks for from their pages, and the office's answer (server/owner_requests/).

REQUEST_TEXT = Problem(
    "request_text", 400, "",
    variants={"spot_empty": "撮影してほしい場所を入力してください（例: 北側の雨どい）。",
              "spot_too_long": "撮影してほしい場所は{max}文字以内でお書きください（いまは{length}文字です）。",
              "note_too_long": "ご要望は{max}文字以内でお書きください（いまは{length}文字です）。"})
REQUEST_KIND = Problem(
    "request_kind", 400, "",
    variants={"kind": "お申し込みの種類を選んでください。",
              "quote": "お見積りを承る作業（草刈・不用品整理）から選んでください。",
              "option": "月額オプション（通風・通水など）から選んでください。",
              "option_running": "{name}は {day} にはすでにご利用中です。",
              "option_not_running": "{name}は {day} にはご利用になっていません。",
              "paused": "この契約はすでに一時停止しています。",
              "not_paused": "この契約は一時停止していません。"})
SPOT_MARK = Problem(
    "spot_mark", 400, "",
    variants={"cell": "印をつける位置を、写真の 3×3 のマス（左上〜右下）から一つ選んでください。",
              "photo": "選んだ写真は、このお家の前回の見回りの写真として見つかりません。写真を選び直してください。"})
REQUEST_DECIDED = Problem("request_decided", 409, "このお申し込みには、すでにお返事しています（{status}）。")
DECLINE_REASON_REQUIRED = Problem(
    "decline_reason_required", 400,
    "お断りする理由を{max}文字以内で書いてください（所有者様のページに表示されます）。")

# -- Documents (PDF, CSV, GeoJSON, photo ZIP).

INVALID_MONTH = Problem("invalid_month", 400, "month は 2026-11 のように「年-月」で指定してください。")
INVALID_FILE = Problem(
    "invalid_file", 400, "ファイル名は 12.pdf / 12.csv / 12.geojson / 12.shp.zip / 12.karte.pdf / 12.zip の形で指定してください。")
INVALID_ENCODING = Problem("invalid_encoding", 400, "encoding は utf-8 か shift_jis を指定してください。")
NO_REPORT = Problem(
    "no_report", 404, "",
    variants={"month": "{month} の承認済みの見回り記録がありません。",
              "disaster": "承認済みの災害後見回り記録が見つかりません。"})
RUBRIC_MISSING = Problem("rubric_missing", 404, "調査票 {rubric_id} 第{version}版が見つかりません。")
CSV_ENCODING = Problem(
    "csv_encoding", 422, "{reason}", details="none; the message lists the cells (reports/survey_export.py)")
MISSING_GLYPHS = Problem(
    "missing_glyphs", 422, "{reason}",
    details='{"fields": [{"field", "chars"}], "hint": how to make it anyway}; the message lists the characters '
            "(reports/glyphs.py)")
FONTS_MISSING = Problem(
    "fonts_missing", 503, "報告書用の日本語フォントがサーバーにありません。管理者に連絡してください"
    "（fonts-ipaexfont を入れるか AKIYA_FONT_GOTHIC を設定します）。", details="the font error (string)")
PHOTO_MISSING = Problem(
    "photo_missing", 500, "報告書に載せる写真のファイルがサーバーに見つかりません。管理者に連絡してください。",
    details="the missing file (string)")
RENDER_FAILED = Problem(
    "render_failed", 500, "報告書の作成中にエラーが起きました。時間をおいてもう一度お試しください。"
    "続く場合は管理者に連絡してください。", details="the renderer's error (string)")


# -- Push ops (POST /api/v1/sync/push answers 200; each op's result carries its own error).
# `status` is the op's result: "rejected" (the carrier must change something) or "conflict" (the id
# is already taken by different content). The field app keeps the op and shows the message.

CONFLICT = OpProblem(
    "conflict", "conflict", "",
    variants={"property": "同じIDで内容の違う物件が既に登録されています。新しい記録として報告し直してください。",
              "property_photo": "同じIDで写真の違う物件が既に登録されています。新しい記録として報告し直してください。",
              "inspection": "同じIDで内容の違う記録が既にあります。訂正するときは新しい記録として送ってください。"})
INVALID_OP = OpProblem(
    "invalid_op", "rejected", "記録の形式が正しくありません。アプリを最新にしてから送り直してください。",
    details="the decoder's message (string)")
CONTROL_CHARACTER_IN_RECORD = OpProblem(
    "control_character_in_record", "rejected",
    "記録の「{field}」に使えない制御文字が含まれています。その欄を書き直してから送ってください。",
    details='[{"field": path}]: the field holding it (server/core/control_chars.py)')
NO_OFFICE = OpProblem(
    "no_office", "rejected", "郵便局に所属していないため、物件を報告できません。郵便局に連絡してください。")
PHOTO_WITH_SURVEY = OpProblem(
    "photo_with_survey", "rejected", "調査票付きの報告では、写真は調査票の中で撮ってください。" + _APP_UPDATE)
PHOTO_ID_TAKEN = OpProblem(
    "photo_id_taken", "rejected", "写真IDが別の記録で使われています。写真を撮り直してください。",
    details="the photo ids already used by another record")
DUPLICATE_PHOTO_ID = OpProblem("duplicate_photo_id", "rejected", "同じ写真IDが二度使われています。" + _APP_UPDATE)
UNKNOWN_RUBRIC = OpProblem(
    "unknown_rubric", "rejected", "調査票 {rubric_id} 第{version}版はサーバーにありません。アプリを更新してから記録し直してください。")
INVALID_TIMES = OpProblem(
    "invalid_times", "rejected", "終了時刻が開始時刻より前になっています。端末の時計を確かめてください。")
TASK_NOT_YOURS = OpProblem(
    "task_not_yours", "rejected",
    "この作業はあなたに割り当てられていません（別の人に変更された可能性があります）。郵便局に確認してください。")
TASK_PROPERTY_MISMATCH = OpProblem(
    "task_property_mismatch", "rejected", "作業と物件が一致しません。作業一覧から開き直して記録してください。")
TASK_RUBRIC_MISMATCH = OpProblem(
    "task_rubric_mismatch", "rejected", "作業の調査票と記録の調査票が違います。作業一覧から開き直してください。")
TASK_CANCELLED = OpProblem("task_cancelled", "rejected", "この作業は取り消されました。郵便局に確認してください。")
TASK_DONE = OpProblem(
    "task_done", "rejected", "この作業は既に完了しています。訂正する場合は差し戻しを受けてから送ってください。")
TASK_REQUIRED = OpProblem(
    "task_required", "rejected", "作業のない記録は空き家調査だけです。作業一覧から開いて記録してください。")
UNKNOWN_PROPERTY = OpProblem(
    "unknown_property", "rejected", "物件が見つかりません。作業一覧から開いた物件か、自分で報告した物件だけ記録できます。")
UNKNOWN_SUPERSEDED = OpProblem("unknown_superseded", "rejected", "訂正する元の記録が見つかりません。")
NOT_RETURNED = OpProblem("not_returned", "rejected", "訂正できるのは郵便局から差し戻された記録だけです。")
SUPERSEDED_MISMATCH = OpProblem("superseded_mismatch", "rejected", "訂正する元の記録と物件・作業が一致しません。")
INVALID_ANSWERS = OpProblem(
    "invalid_answers", "rejected", "回答に直すところがあります: {first}",
    details="every problem found, as {item, code, message} (codes: server/rubrics/results.py), capped as "
            "README: Input limits says; the message quotes the first three")


def catalogue() -> dict[str, Problem]:
    """Every entry by its code (one entry per code)."""
    entries = [value for value in globals().values() if isinstance(value, Problem)]
    by_code = {entry.code: entry for entry in entries}
    assert len(by_code) == len(entries), "two entries share a code"
    return by_code


def of_status(status: int | str) -> list[Problem]:
    """The entries a response of this status can carry, by code."""
    return sorted((p for p in catalogue().values() if p.status == status), key=lambda p: p.code)


def readme_list() -> str:
    """The README's list of codes by status (tests/foundation/test_problems.py compares the two)."""
    return "\n".join(f"- `{s}`{' (push op)' if isinstance(s, str) else ''}: "
                     + ", ".join(f"`{p.code}`" for p in of_status(s)) for s in statuses())


def op_codes() -> str:
    """The push ops' error codes with their result status, for the push route's description."""
    return ", ".join(f"`{p.code}` ({p.status})" for s in ("rejected", "conflict") for p in of_status(s))


def statuses() -> list[int | str]:
    """HTTP statuses in order, then the push ops' result statuses."""
    return sorted({p.status for p in catalogue().values()}, key=lambda s: (isinstance(s, str), str(s)))


def entry_names() -> dict[str, Problem]:
    """Every entry by its name in this module (what raise sites write)."""
    return {name: value for name, value in globals().items() if isinstance(value, Problem)}


def not_found(what: str = "記録") -> AppError:
    """The same answer for 'does not exist' and 'not yours': no one learns what they may not see."""
    return NOT_FOUND(what=what)
