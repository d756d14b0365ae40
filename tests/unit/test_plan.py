"""The plan parser: structure, titles, units and its errors on malformed text."""

from pathlib import Path

import pytest

from geo.core import paths
from geo.core.errors import DataError
from geo.core.plan import (
    cn_numeral,
    expand_units,
    load_plan,
    load_plan_titles_en,
    parse_plan,
    to_cn_numeral,
)

PLAN_PATH = paths.data_path(paths.PLAN_FILE, paths.DEFAULT_DATA_DIR)


@pytest.fixture(scope="module")
def plan():
    return load_plan(PLAN_PATH)


def test_plan_copy_is_the_shared_original():
    shared = paths.REPO_DIR.parent / "shared" / "plan" / "000_aa64f1191192c952.txt"
    if shared.exists():  # beside the repo in CI and on developer machines
        assert PLAN_PATH.read_bytes() == shared.read_bytes()


def test_ten_sections_with_headings(plan):
    assert [s.number for s in plan.sections] == list(range(1, 11))
    assert plan.sections[0].heading == "总体要求"
    assert plan.sections[3].heading == "加快基础设施互联互通"
    assert plan.sections[8].heading == "深化与港澳合作"
    assert plan.sections[0].intro.startswith("全面贯彻党的十八大")


def test_twenty_eight_measures_numbered_across_sections(plan):
    assert [m.number for m in plan.measures] == list(range(1, 29))
    per_section = {}
    for m in plan.measures:
        per_section.setdefault(m.section, []).append(m.number)
    assert per_section == {
        2: [1, 2, 3],
        3: [4, 5, 6],
        4: [7, 8, 9],
        5: [10, 11],
        6: [12, 13, 14, 15],
        7: [16, 17, 18],
        8: [19, 20, 21, 22],
        9: [23, 24, 25],
        10: [26, 27, 28],
    }


def test_titles_are_the_phrase_before_the_first_full_stop(plan):
    assert plan.measure(1).title == "培育先进产业集群"
    assert plan.measure(7).title == "建设综合立体交通运输体系"
    assert plan.measure(16).title == "深入推进“一带一路”建设"
    m7 = plan.measure(7)
    assert m7.text.startswith("建设综合立体交通运输体系。")
    assert "赣深客专" in m7.text and "责任单位" not in m7.text
    assert m7.text.endswith("立体交通枢纽。")


def test_units_are_a_clean_expanded_list(plan):
    assert plan.measure(1).units == ("省工信委", "省国防科工办", "省发改委", "省商务厅", "省农业厅")
    assert plan.measure(2).units == (
        "萍乡市政府",
        "新余市政府",
        "赣州市政府",
        "宜春市政府",
        "吉安市政府",
        "抚州市政府",
        "省发改委",
        "省商务厅",
    )
    assert plan.measure(18).units[-2:] == ("南昌市政府", "九江市政府")
    assert plan.measure(26).units == ("省发改委", "有关设区市政府", "省直部门")
    assert all(u and "、" not in u and "," not in u for m in plan.measures for u in m.units)


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("南昌市、九江市政府", ["南昌市政府", "九江市政府"]),
        (
            "省商务厅、南昌海关,南昌市、九江市政府",
            ["省商务厅", "南昌海关", "南昌市政府", "九江市政府"],
        ),
        ("修水县、武宁县人民政府", ["修水县人民政府", "武宁县人民政府"]),
        ("省发改委、有关设区市政府和省直部门", ["省发改委", "有关设区市政府", "省直部门"]),
        ("省发改委、省发改委", ["省发改委"]),
    ],
)
def test_expand_units_shared_suffix(raw, expected):
    assert expand_units(raw) == expected


@pytest.mark.parametrize(
    ("text", "number"),
    [("一", 1), ("十", 10), ("十六", 16), ("二十", 20), ("二十八", 28), ("九十九", 99)],
)
def test_cn_numerals_round_trip(text, number):
    assert cn_numeral(text) == number
    assert to_cn_numeral(number) == text


@pytest.mark.parametrize("bad", ["", "十十", "二二", "零", "一百"])
def test_bad_numerals_raise(bad):
    with pytest.raises(ValueError):
        cn_numeral(bad)


GOOD = """标题
一、总体要求
总体要求正文。
二、产业
(一)第一项。正文。 (责任单位:省发改委)
(二)第二项。正文。 (责任单位:南昌市、九江市政府)
三、市场
(三)第三项。正文。 (责任单位:省商务厅)
"""


def test_small_plan_parses():
    plan = parse_plan(GOOD, "good.txt")
    assert [m.number for m in plan.measures] == [1, 2, 3]
    assert plan.measure(2).units == ("南昌市政府", "九江市政府")
    assert plan.measure(3).section == 3


@pytest.mark.parametrize(
    ("text", "line", "words"),
    [
        (GOOD.replace("(二)第二项", "(四)第二项"), 6, "measure (四) found where measure (二)"),
        (GOOD.replace(" (责任单位:南昌市、九江市政府)", ""), 6, "no (责任单位:…) clause"),
        (GOOD.replace("三、市场", "四、市场"), 7, "section 四 found where section 三"),
        (GOOD.replace("(一)第一项。正文。", "(一)第一项正文"), 5, "no title ending in 。"),
        (GOOD.replace("(责任单位:省商务厅)", "(责任单位:)"), 8, "empty 责任单位"),
        (GOOD + "多余的一段。\n", 9, "unexpected text after a measure"),
        (
            GOOD.replace("一、总体要求\n", "(一)早。 (责任单位:省发改委)\n一、总体要求\n"),
            2,
            "before the first section",
        ),
    ],
)
def test_malformed_plan_names_the_line(text, line, words):
    with pytest.raises(DataError) as err:
        parse_plan(text, "bad_plan.txt")
    assert f"bad_plan.txt, line {line}:" in str(err.value)
    assert words in str(err.value)


def test_no_measures_is_an_error():
    with pytest.raises(DataError, match="no numbered measures"):
        parse_plan("一、总体要求\n正文。\n", "empty.txt")


def test_load_plan_missing_and_not_utf8(tmp_path):
    with pytest.raises(DataError, match="file not found"):
        load_plan(tmp_path / "nope.txt")
    bad = tmp_path / "gbk.txt"
    bad.write_bytes(GOOD.encode("gbk"))
    with pytest.raises(DataError, match="not UTF-8"):
        load_plan(bad)


def test_english_titles_cover_and_match_the_plan(plan):
    titles = load_plan_titles_en(plan)
    assert len(titles) == 38
    assert titles[("measure", 7)] == "An integrated multi-modal transport system"
    assert titles[("section", 9)] == "Deeper cooperation with Hong Kong and Macau"


def test_english_titles_mismatch_names_row(plan, tmp_path: Path):
    src = paths.data_path(paths.PLAN_EN_FILE, paths.DEFAULT_DATA_DIR).read_text(encoding="utf-8")
    (tmp_path / "plan").mkdir()
    target = tmp_path / "plan" / "plan_en.csv"
    target.write_text(
        src.replace("measure,7,建设综合立体交通运输体系", "measure,7,交通"), encoding="utf-8"
    )
    with pytest.raises(DataError, match=r"plan_en.csv, row 18: title_zh '交通' does not match"):
        load_plan_titles_en(plan, tmp_path)
    target.write_text("\n".join(src.splitlines()[:-1]) + "\n", encoding="utf-8")
    with pytest.raises(DataError, match="no English title for measure 28"):
        load_plan_titles_en(plan, tmp_path)
