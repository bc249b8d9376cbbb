"""The survey's Shapefile for the municipality's 統合型GIS, read back as a GIS would: with pyshp, and with GDAL's
ogrinfo (Debian's gdal-bin, installed by `make test-packages`), which must recognise the .prj as JGD2011
(EPSG:6668) and read the CP932 attributes as the Japanese they were."""

import csv
import io
import subprocess
import zipfile

import msgspec
import pytest
import shapefile

from reports import ShapefileEncodingError, survey_shapefile_zip
from reports.model import Property
from reports.survey_shapefile import PRJ_JGD2011, TEXT_BYTES

BASE = "akiya_survey_7"


def unpacked(data: bytes) -> dict[str, bytes]:
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        return {name: archive.read(name) for name in archive.namelist()}


def reader(files: dict[str, bytes]) -> shapefile.Reader:
    return shapefile.Reader(shp=io.BytesIO(files[f"{BASE}.shp"]), shx=io.BytesIO(files[f"{BASE}.shx"]),
                            dbf=io.BytesIO(files[f"{BASE}.dbf"]), encoding="cp932")


def test_the_zip_holds_a_point_shapefile_in_jgd2011_with_cp932_attributes_and_the_field_table(survey):
    files = unpacked(survey_shapefile_zip(survey, BASE))
    assert set(files) == {f"{BASE}.{ext}" for ext in ("shp", "shx", "dbf", "prj", "cpg")} | {"属性名一覧.csv"}
    assert files[f"{BASE}.prj"].decode("ascii") == PRJ_JGD2011
    assert 'DATUM["D_JGD_2011"' in PRJ_JGD2011 and "6378137.0,298.257222101" in PRJ_JGD2011
    assert files[f"{BASE}.cpg"] == b"CP932"
    shp = reader(files)
    assert shp.shapeType == shapefile.POINT and len(shp) == len(survey.rows)
    names = [f[0] for f in shp.fields[1:]]
    assert all(len(name.encode("cp932")) <= 10 for name in names)
    assert len(set(names)) == len(names)
    for record, shape, row in zip(shp.records(), shp.shapes(), survey.rows):
        assert shape.points[0] == pytest.approx((row.property.lon, row.property.lat), abs=1e-6)
        assert record["整理番号"] == row.ref and record["所在地"] == row.property.address
        assert record["空家可能性"] == row.likelihood
        assert record["調査日"] == row.surveyed_at.date()
        assert record["不良度下限"] == row.statutory.min and record["不良度判定"] == row.statutory.verdict
    # The raw .dbf holds CP932 bytes (not UTF-8): the address of the first house as Shift_JIS.
    assert survey.rows[0].property.address.encode("cp932") in files[f"{BASE}.dbf"]


def test_the_field_table_names_every_attribute_with_the_csv_column_and_its_meaning(survey):
    files = unpacked(survey_shapefile_zip(survey, BASE))
    table = list(csv.DictReader(io.StringIO(files["属性名一覧.csv"].decode("utf-8-sig"), newline="")))
    names = [f[0] for f in reader(files).fields[1:]]
    assert [row["属性名"] for row in table[:-1]] == names
    by_name = {row["属性名"]: row for row in table}
    assert by_name["空家可能性"]["CSVの列名"] == "現況・空き家の可能性"
    assert "別表第1" in by_name["不良度下限"]["意味"]
    assert "EPSG:6668" in table[-1]["意味"]
    assert "活用可能性" not in names  # this sample's form has no 利活用判定: no empty columns for it


def test_a_house_without_coordinates_keeps_its_record_with_a_null_shape(survey):
    row = msgspec.structs.replace(survey.rows[0], property=Property(address="宮城県東松島市矢本字不明"))
    shp = reader(unpacked(survey_shapefile_zip(msgspec.structs.replace(survey, rows=[row, *survey.rows[1:]]), BASE)))
    assert shp.shape(0).shapeType == shapefile.NULL and shp.record(0)["所在地"] == "宮城県東松島市矢本字不明"
    assert shp.record(0)["緯度"] is None


def test_a_long_comment_is_cut_to_the_field_with_a_mark_and_a_character_outside_cp932_is_refused(survey):
    long = msgspec.structs.replace(survey.rows[0], property=msgspec.structs.replace(
        survey.rows[0].property, address="宮城県東松島市" + "長" * 200))
    record = reader(unpacked(survey_shapefile_zip(msgspec.structs.replace(survey, rows=[long]), BASE))).record(0)
    assert record["所在地"].endswith("…") and len(record["所在地"].encode("cp932")) <= TEXT_BYTES
    odd = msgspec.structs.replace(survey.rows[2], surveyed_by="𠮷田")
    with pytest.raises(ShapefileEncodingError) as refused:
        survey_shapefile_zip(msgspec.structs.replace(survey, rows=[odd]), BASE)
    assert "整理番号 0003「調査員」の「𠮷」" in str(refused.value) and "GeoJSON" in str(refused.value)


def test_gdal_reads_the_crs_as_epsg_6668_and_the_attributes_as_japanese(survey, tmp_path):
    for name, data in unpacked(survey_shapefile_zip(survey, BASE)).items():
        (tmp_path / name).write_bytes(data)
    info = subprocess.run(["ogrinfo", "-ro", "-al", str(tmp_path / f"{BASE}.shp")], capture_output=True,
                          text=True, check=True).stdout
    assert 'ID["EPSG",6668]' in info and 'GEOGCRS["JGD2011"' in info
    assert f"Feature Count: {len(survey.rows)}" in info
    assert "整理番号: String" in info and "調査日: Date" in info
    assert f"所在地 (String) = {survey.rows[0].property.address}" in info
