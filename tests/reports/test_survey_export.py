import csv
import io
import json

import msgspec
import pytest

from reports import CsvEncodingError, survey_csv, survey_geojson
from reports.model import Property
from reports.survey_table import survey_columns


def read_csv(data: bytes, encoding: str) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(data.decode(encoding), newline="")))


def test_default_csv_is_utf8_with_bom_and_japanese_headers(survey):
    data = survey_csv(survey)
    assert data.startswith(b"\xef\xbb\xbf")
    rows = read_csv(data, "utf-8-sig")
    assert len(rows) == len(survey.rows)
    assert list(rows[0]) == survey_columns(survey)
    assert rows[0]["整理番号"] == "0001" and rows[0]["所在地"] == survey.rows[0].property.address
    assert data.count(b"\r\n") == len(survey.rows) + 1


def test_shift_jis_csv_reads_back_the_same_as_utf8_but_for_the_mapped_wave_dash(survey):
    utf8 = [{k: v.replace("〜", "～") for k, v in row.items()} for row in read_csv(survey_csv(survey), "utf-8-sig")]
    assert read_csv(survey_csv(survey, "shift_jis"), "cp932") == utf8


def test_shift_jis_csv_maps_the_mac_wave_dash(survey):
    row = msgspec.structs.replace(survey.rows[0], comment="9時〜10時 −5cm")
    data = survey_csv(msgspec.structs.replace(survey, rows=[row]), "shift_jis")
    assert read_csv(data, "cp932")[0]["コメント"] == "9時～10時 －5cm"


def test_character_outside_shift_jis_names_line_ref_and_column(survey):
    rows = list(survey.rows)
    rows[2] = msgspec.structs.replace(rows[2], surveyed_by="𠮷田")
    with pytest.raises(CsvEncodingError) as e:
        survey_csv(msgspec.structs.replace(survey, rows=rows), "shift_jis")
    assert e.value.problems == [(4, "0003", "調査員", "𠮷")]
    assert "4行目（整理番号 0003）「調査員」の「𠮷」" in str(e.value)
    assert "𠮷田" in read_csv(survey_csv(msgspec.structs.replace(survey, rows=rows)), "utf-8-sig")[2]["調査員"]


def test_cell_that_looks_like_a_formula_is_kept_as_text(survey):
    row = msgspec.structs.replace(survey.rows[0], comment="=HYPERLINK(\"http://x\")")
    data = survey_csv(msgspec.structs.replace(survey, rows=[row]))
    assert read_csv(data, "utf-8-sig")[0]["コメント"].startswith("'=")


def test_unknown_encoding_is_refused(survey):
    with pytest.raises(ValueError, match="utf-8-sig"):
        survey_csv(survey, "euc-jp")


def test_geojson_points_are_lon_lat_inside_japan(survey):
    doc = json.loads(survey_geojson(survey))
    assert doc["type"] == "FeatureCollection" and len(doc["features"]) == len(survey.rows)
    for feature, row in zip(doc["features"], survey.rows):
        lon, lat = feature["geometry"]["coordinates"]
        assert (lon, lat) == (row.property.lon, row.property.lat)
        assert 122 <= lon <= 154 and 20 <= lat <= 46
        assert list(feature["properties"]) == survey_columns(survey)


def test_geojson_keeps_a_property_without_coordinates(survey):
    row = msgspec.structs.replace(survey.rows[0], property=Property(address="宮城県東松島市矢本字不明"))
    doc = json.loads(survey_geojson(msgspec.structs.replace(survey, rows=[row])))
    assert doc["features"][0]["geometry"] is None
    assert doc["features"][0]["properties"]["所在地"] == "宮城県東松島市矢本字不明"


def test_the_list_carries_the_municipalitys_identifiers_on_every_row(survey):
    rows = read_csv(survey_csv(survey), "utf-8-sig")
    first = rows[0]
    assert (first["団体コード"], first["契約番号"], first["整理番号"]) == ("042145", "東松総第123号", "0001")
    assert (first["台帳番号"], first["地番"], first["家屋番号"]) == ("HM-00001", "赤井字前1番", "1番の1")
    assert all(r["団体コード"] == "042145" for r in rows)


def test_the_statutory_range_and_the_municipal_score_are_separate_columns(survey):
    row = read_csv(survey_csv(survey), "utf-8-sig")[0]
    st = survey.rows[0].statutory
    assert (row["不良度（別表第1）下限"], row["不良度（別表第1）上限"]) == (str(st.min), str(st.max))
    assert row["不良度（別表第1）の判定"] == st.verdict
    assert row["危険度（自治体基準）"] == f"{survey.rows[0].total_points:g}"
    assert row["危険度（自治体基準）のランク"] == survey.rows[0].rank
    assert not any(column.startswith("不良度") and "自治体" in column for column in row)


def test_findings_come_one_column_per_guideline_category_with_their_urgency(survey):
    columns = survey_columns(survey)
    for category in ("保安上危険", "衛生上有害", "景観", "周辺の生活環境"):
        assert f"所見（{category}）" in columns
    rows = read_csv(survey_csv(survey), "utf-8-sig")
    for record, row in zip(rows, survey.rows):
        for flag in row.flags:
            assert f"【{flag.urgency}】{flag.label}" in record[f"所見（{flag.category}）"]
    assert "所見" not in columns  # no single cell holding every answer


def test_each_rubric_item_has_its_own_column_headed_by_its_label(survey):
    rows = read_csv(survey_csv(survey), "utf-8-sig")
    assert [c for c in survey_columns(survey) if c.startswith("回答：")] == ["回答：表札", "回答：構造"]
    assert rows[0]["回答：表札"] == survey.rows[0].answers["表札"]


def _zip(survey, chunk_size=1 << 16) -> list[bytes]:
    import asyncio

    from reports import survey_photo_zip

    async def read(photo):
        with open(photo.path, "rb") as f:
            while chunk := f.read(chunk_size):
                yield chunk

    async def collect():
        return [chunk async for chunk in survey_photo_zip(survey, read)]
    return asyncio.run(collect())


def test_photo_file_names_in_the_list_are_the_names_inside_the_photo_zip(survey):
    import zipfile

    names = [n for r in read_csv(survey_csv(survey), "utf-8-sig") for n in r["写真ファイル名"].split()]
    first = survey.rows[0].photos[0]
    assert names[0] == f"0001_{first.slot_label}.jpg"
    archive = zipfile.ZipFile(io.BytesIO(b"".join(_zip(survey))))
    assert archive.namelist() == [*names, "写真一覧.csv"]
    with open(first.path, "rb") as f:
        assert archive.read(names[0]) == f.read()


def test_a_second_photo_of_a_slot_is_numbered_and_unsafe_characters_leave_the_name(survey):
    import msgspec

    from reports.survey_table import photo_file_names

    photo = msgspec.structs.replace(survey.rows[0].photos[0], slot_key="damage", slot_label="損傷箇所")
    odd = msgspec.structs.replace(photo, slot_key="odd", slot_label="北/東")
    row = msgspec.structs.replace(survey.rows[0], photos=[photo, photo, odd])
    assert photo_file_names(row) == ["0001_損傷箇所.jpg", "0001_損傷箇所_2.jpg", "0001_北＿東.jpg"]


def test_the_photo_zip_streams_in_pieces(survey):
    chunks = _zip(survey, chunk_size=4096)
    assert len(chunks) > sum(len(r.photos) for r in survey.rows)


def test_utf8_and_shift_jis_lists_have_distinct_file_names():
    from reports import survey_file_name

    names = {survey_file_name(7, kind) for kind in ("pdf", "csv", "csv_sjis", "geojson", "zip")}
    assert len(names) == 5
    assert survey_file_name(7, "csv").endswith("_UTF-8.csv") and survey_file_name(7, "csv_sjis").endswith(
        "_Shift_JIS.csv")
