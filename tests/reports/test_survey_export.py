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


def test_shift_jis_csv_reads_back_the_same_as_utf8(survey):
    assert read_csv(survey_csv(survey, "shift_jis"), "cp932") == read_csv(survey_csv(survey), "utf-8-sig")


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
