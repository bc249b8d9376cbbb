"""Japanese words the pages show for the system's codes."""

from server.rubrics import FLAG_CATEGORIES, FLAG_LEVELS, SERVICE_OPTIONS

ROLE = {"carrier": "配達員", "office": "郵便局", "municipality": "自治体", "owner": "所有者", "admin": "管理者"}
TASK_KIND = {"survey": "空き家調査", "watch": "みまもり", "disaster": "災害後見回り", "work": "オプション作業"}
TASK_STATUS = {"open": "未実施", "done": "実施済み", "cancelled": "取消"}
INSPECTION_STATUS = {"awaiting_photos": "写真待ち", "submitted": "確認待ち", "approved": "承認済み",
                     "returned": "差し戻し", "superseded": "訂正済み"}
PROPERTY_STATUS = {"active": "登録済み", "candidate": "候補", "removed": "除外"}
SUBSCRIPTION_STATE = {"active": "契約中", "paused": "一時停止", "ended": "終了"}
DISASTER_KIND = {"earthquake": "地震", "typhoon": "台風", "heavy_rain": "大雨", "snow": "大雪", "other": "その他"}
DELIVERY = {"web": "ウェブで閲覧", "email": "メールで受け取る"}
PHOTO_FLAG = {
    "no_capture_time": "撮影日時なし", "outside_visit_window": "撮影時刻が訪問時間外", "no_gps": "位置情報なし",
    "far_from_property": "物件から離れた位置", "reused_photo": "以前の写真と酷似",
}
OPTIONS = SERVICE_OPTIONS
FLAG_CATEGORY = FLAG_CATEGORIES
FLAG_LEVEL = FLAG_LEVELS
PRIORITY = {0: "通常", 1: "高", 2: "緊急"}
ALERT_MAIL = {"none": "送信なし", "pending": "送信待ち", "sent": "送信済み", "failed": "送信できず"}
