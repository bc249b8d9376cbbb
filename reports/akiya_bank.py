"""The 空き家バンク candidate list: houses whose owner answered the intention survey that they want to sell or
let and asked for the town's 空き家バンク registration, with what a registration form asks (所在地, 構造, 建築年,
延床面積, 利活用判定, 不良度の範囲, 接道) and the owner's name and contact only where the owner agreed to be
contacted. As CSV (UTF-8 with BOM or Shift_JIS, as the survey's list: reports/survey_export.py) and as a ZIP
with the CSV, each house's 空き家カルテ (PDF) and its photos' originals."""

from __future__ import annotations

from collections.abc import AsyncIterator, Callable
from datetime import datetime, time

from reports.model import AkiyaBankHouse, AkiyaBankList, Photo
from reports.survey_export import table_csv, zip_stream
from reports.survey_table import photo_file_names

COLUMNS = ["整理番号", "所在地", "構造", "建築年", "延床面積（㎡）", "利活用判定", "不良度の範囲（別表第1）", "接道",
           "今後の意向", "空き家バンク登録の希望", "連絡の同意", "所有者氏名", "所有者住所", "所有者郵便番号",
           "連絡先（回答）", "カルテ・写真（ZIP 内）"]
NUMERIC = {"延床面積（㎡）"}
CSV_NAME = "空き家バンク候補一覧.csv"


def folder(house: AkiyaBankHouse) -> str:
    return f"{house.ref}/" if house.survey else ""


def karte_name(house: AkiyaBankHouse) -> str:
    return f"{folder(house)}空き家カルテ_{house.ref}.pdf"


def _record(bank: AkiyaBankList, house: AkiyaBankHouse) -> dict:
    files = [karte_name(house), *(folder(house) + n for n in photo_file_names(house.survey))] if house.survey else []
    owner_name = house.owner_name or (bank.owner_data_note if house.contact_consent == "連絡してよい" else "")
    return {"整理番号": house.ref, "所在地": house.address, "構造": house.structure, "建築年": house.built,
            "延床面積（㎡）": house.floor_area, "利活用判定": house.reuse, "不良度の範囲（別表第1）": house.statutory,
            "接道": house.road_access, "今後の意向": house.intention, "空き家バンク登録の希望": house.akiya_bank,
            "連絡の同意": house.contact_consent, "所有者氏名": owner_name, "所有者住所": house.owner_address,
            "所有者郵便番号": house.owner_postal_code, "連絡先（回答）": house.contact,
            "カルテ・写真（ZIP 内）": " ".join(files) if files else "調査結果なし（カルテ・写真はありません）"}


def akiya_bank_csv(bank: AkiyaBankList, encoding: str = "utf-8-sig") -> bytes:
    """One line per house; CsvEncodingError names what Shift_JIS cannot hold."""
    return table_csv(COLUMNS, [_record(bank, h) for h in bank.houses], NUMERIC, encoding)


async def akiya_bank_zip(bank: AkiyaBankList, kartes: dict[str, bytes],
                         originals: Callable[[Photo], AsyncIterator[bytes]]) -> AsyncIterator[bytes]:
    """The CSV (UTF-8 with BOM), then per surveyed house a folder 整理番号/ with its カルテ (`kartes`: 整理番号 →
    PDF) and its photos' originals as received (整理番号_区分.jpg, as the survey's photo ZIP names them)."""
    made = datetime.combine(bank.issued_on, time())

    def entries():
        yield CSV_NAME, made, akiya_bank_csv(bank)
        for house in bank.houses:
            if house.survey is None:
                continue
            yield karte_name(house), made, kartes[house.ref]
            for name, photo in zip(photo_file_names(house.survey), house.survey.photos):
                yield folder(house) + name, photo.taken_at or house.survey.surveyed_at, originals(photo)

    async for data in zip_stream(entries()):
        yield data


def akiya_bank_file_name(contract_id: int, kind: str) -> str:
    """kind: csv | csv_sjis | zip."""
    base = f"空き家バンク候補_{contract_id}"
    return {"csv": f"{base}_UTF-8.csv", "csv_sjis": f"{base}_Shift_JIS.csv", "zip": f"{base}.zip"}[kind]
