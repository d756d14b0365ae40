"""The command line on the shipped data and on broken copies of it."""

import json
import shutil

import pytest

from geo.__main__ import main
from geo.core import paths

DATA = paths.DEFAULT_DATA_DIR


def run(capsys, *argv):
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def test_measures_json(capsys):
    code, out, _ = run(capsys, "measures", "--format", "json")
    assert code == 0
    measures = json.loads(out)
    assert [m["number"] for m in measures] == list(range(1, 29))
    m7 = measures[6]
    assert {
        "number",
        "section",
        "section_title",
        "title",
        "text",
        "units",
        "places",
        "projects",
    } <= set(m7)
    assert m7["section"] == 4 and m7["section_title"] == "加快基础设施互联互通"
    assert m7["units"][0] == "省发改委"
    assert {"ganshen_hsr", "anjiu_hsr", "xingquan_rail", "ganjiang_new_area"} <= set(m7["projects"])
    m18 = measures[17]
    assert m18["units"][-2:] == ["南昌市政府", "九江市政府"]
    places = {p["name"]: p for p in measures[15]["places"]}
    assert places["广东"]["adcode"] == "440000" and places["广东"]["level"] == "province"
    assert places["东盟"]["adcode"] is None and places["东盟"]["level"] == "foreign"
    pprd = places["泛珠三角区域"]
    assert pprd["level"] == "group" and len(pprd["adcodes"]) == 11
    m20 = {p["name"]: p for p in measures[19]["places"]}
    assert m20["景德镇"] == {**m20["景德镇"], "adcode": "360200", "level": "city"}


def test_projects_geojson(capsys):
    code, out, _ = run(capsys, "projects", "--format", "geojson")
    assert code == 0
    fc = json.loads(out)
    assert fc["type"] == "FeatureCollection" and len(fc["features"]) >= 38
    props = {f["properties"]["id"]: f["properties"] for f in fc["features"]}
    need = {
        "id",
        "name_zh",
        "name_en",
        "kind",
        "measures",
        "plan_stage",
        "status",
        "status_date",
        "confidence",
        "precision",
        "length_km",
        "regions",
    }
    assert all(need <= set(p) for p in props.values())
    gs = props["ganshen_hsr"]
    assert gs["status"] == "open" and gs["status_date"] == "2021-12-10"
    assert {"360000", "440000", "360700", "440300"} <= set(gs["regions"])
    assert 400 < gs["length_km"] < 520
    assert props["xinyu_ningbo_sea_rail"]["status"] == "unknown"
    assert props["xinyu_ningbo_sea_rail"]["status_date"] == ""
    geoms = {f["properties"]["id"]: f["geometry"] for f in fc["features"]}
    assert geoms["ganshen_hsr"]["type"] == "LineString"
    assert geoms["china_asean_fta_upgrade"] is None


@pytest.mark.parametrize(("level", "count"), [("province", 34), ("city", 370)])
def test_regions_geojson(capsys, level, count):
    code, out, _ = run(capsys, "regions", "--level", level, "--format", "geojson")
    assert code == 0
    fc = json.loads(out)
    assert len(fc["features"]) == count
    assert {"adcode", "name_zh", "name_en"} <= set(fc["features"][0]["properties"])


def test_validate_passes_on_shipped_data(capsys):
    code, out, err = run(capsys, "validate")
    assert code == 0, err
    assert out.strip().splitlines()[-1].startswith("ok:")


@pytest.fixture
def data_copy(tmp_path):
    target = tmp_path / "data"
    shutil.copytree(DATA, target)
    return target


def snapshot(root):
    return {p.relative_to(root): p.read_bytes() for p in root.rglob("*") if p.is_file()}


def edit(root, name, old, new, count=1):
    path = root / name
    text = path.read_text(encoding="utf-8")
    assert old in text, old
    path.write_text(text.replace(old, new, count), encoding="utf-8")
    return text[: text.index(old)].count("\n") + 1  # the 1-based line edited


@pytest.mark.parametrize(
    ("name", "old", "new", "words"),
    [
        (
            "projects.csv",
            "anjiu_hsr,安九客专",
            "ganshen_hsr,安九客专",
            "duplicate id 'ganshen_hsr'",
        ),
        ("gazetteer.csv", "赣南,group,360700", "赣南,group,369999", "unknown adcode 369999"),
        (
            "units.csv",
            "南昌市政府,Nanchang Municipal Government,city_government,360100",
            "南昌市政府,Nanchang Municipal Government,city_government,360199",
            "unknown adcode 360199",
        ),
        (
            "projects.csv",
            "Xiushui–Pingjiang expressway,expressway,expressway,高速公路,7,",
            "Xiushui–Pingjiang expressway,expressway,expressway,高速公路,29,",
            "29",
        ),
    ],
)
def test_validate_names_file_and_row(capsys, data_copy, name, old, new, words):
    line = edit(data_copy, name, old, new)
    before = snapshot(data_copy)
    code, _, err = run(capsys, "--data-dir", str(data_copy), "validate")
    assert code == 1
    assert f"{name}, row {line}" in err, err
    assert words in err
    assert snapshot(data_copy) == before


def test_validate_missing_and_truncated_files(capsys, data_copy):
    (data_copy / "units.csv").unlink()
    geo = data_copy / "boundaries" / "counties.geojson"
    geo.write_bytes(geo.read_bytes()[:5000])
    code, _, err = run(capsys, "--data-dir", str(data_copy), "validate")
    assert code == 1
    assert "units.csv: file not found" in err
    assert "counties.geojson" in err


def test_commands_fail_cleanly_on_broken_data(capsys, data_copy, tmp_path):
    edit(data_copy, "projects.csv", "anjiu_hsr,安九客专", "ganshen_hsr,安九客专")
    out_file = tmp_path / "measures.json"
    out_file.write_text("previous", encoding="utf-8")
    code, _, err = run(capsys, "--data-dir", str(data_copy), "measures", "--out", str(out_file))
    assert code == 1 and "duplicate id" in err and "Traceback" not in err
    assert out_file.read_text(encoding="utf-8") == "previous"


def test_out_writes_atomically(capsys, tmp_path):
    target = tmp_path / "projects.csv"
    code, _, _ = run(capsys, "projects", "--format", "csv", "--out", str(target))
    assert code == 0
    raw = target.read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")  # BOM: Excel opens the Chinese correctly
    assert raw.decode("utf-8-sig").splitlines()[0].startswith("id,name_plan")
    assert [p.name for p in tmp_path.iterdir()] == ["projects.csv"]


def test_bad_arguments_exit_non_zero():
    with pytest.raises(SystemExit) as exc:
        main(["regions", "--level", "village"])
    assert exc.value.code == 2
