"""Escaping data text for each place it becomes markup (geo.render.safe) and for spreadsheets."""

from __future__ import annotations

import io
import re

import pandas as pd
import pytest
from hostile import PAYLOADS

from geo.present import records
from geo.render.safe import esc, isolate_bidi, md, md_cell, md_rows, md_table

RLO, FSI, PDI = "\u202e", "\u2068", "\u2069"


@pytest.mark.parametrize("payload", PAYLOADS, ids=range(len(PAYLOADS)))
def test_esc_leaves_no_markup_and_no_template_syntax(payload: str) -> None:
    out = esc(payload)
    assert "<" not in out and ">" not in out and '"' not in out and "'" not in out
    assert "`" not in out and "${" not in out and "\\" not in out  # folium template literals
    assert esc(None) == "" and esc(float("nan")) == ""


def test_esc_round_trips_through_an_html_parser() -> None:
    from html import unescape

    for payload in PAYLOADS:
        assert unescape(esc(payload)) == isolate_bidi(payload)


@pytest.mark.parametrize("payload", PAYLOADS, ids=range(len(PAYLOADS)))
def test_md_escapes_every_markdown_special(payload: str) -> None:
    out = md(payload)
    unescaped = re.sub(r"\\.", "", out)  # what is left once every escaped character is gone
    assert not set(unescaped) & set("\\`*_{}[]()<>#+-.!|~:$=")
    assert "\n" not in out


def test_md_examples() -> None:
    assert md("**bold**") == r"\*\*bold\*\*"
    assert md("[a](javascript:x)") == r"\[a\]\(javascript\:x\)"
    assert md(":red[x] $x$") == r"\:red\[x\] \$x\$"
    assert md("# h\nnext") == r"\# h next"


def test_bidi_controls_are_isolated_so_they_cannot_reverse_the_interface() -> None:
    assert isolate_bidi("赣州市") == "赣州市"  # ordinary text unchanged
    assert isolate_bidi(f"{RLO}RTL") == f"{FSI}{RLO}RTL{PDI}"
    # a PDI in the data would close the isolate early: dropped
    assert isolate_bidi(f"a{PDI}{RLO}b") == f"{FSI}a{RLO}b{PDI}"
    assert md(f"{RLO}x").startswith(FSI) and esc(f"{RLO}x").endswith(PDI)


def test_md_cell_keeps_web_addresses_as_links_and_nothing_else() -> None:
    cell = md_cell("open: http://en.people.cn/a/b-1.html (Xinhua, 2021-12-10); https://x.cn/p?q=1.")
    assert "<http://en.people.cn/a/b-1.html>" in cell
    assert "<https://x.cn/p?q=1>" in cell and cell.endswith(r"\.")
    assert md_cell("[click](javascript:alert(1))") == md("[click](javascript:alert(1))")
    assert md_cell("javascript:alert(1)") == md("javascript:alert(1)")
    assert "<" not in md_cell("<img src=x onerror=alert(1)>").replace("\\<", "")


def test_md_table_escapes_cells_and_index_but_not_numbers() -> None:
    frame = pd.DataFrame({"v": ["**b**", 3]}, index=["`x`", "y"])
    safe = md_table(frame)
    assert list(safe["v"]) == [r"\*\*b\*\*", 3]
    assert list(safe.index) == [r"\`x\`", "y"]
    assert list(frame["v"]) == ["**b**", 3]  # the input is not changed


def test_md_rows_is_a_markdown_table_whose_cells_cannot_break_out() -> None:
    table = md_rows([{"名称": "a|b", "n": 3}, {"名称": "<img src=x onerror=alert(1)>", "n": None}])
    lines = table.splitlines()
    assert lines[:2] == ["| 名称 | n |", "|---|---|"]
    assert lines[2] == r"| a\|b | 3 |"  # a pipe in data cannot open a new column
    assert lines[3] == r"| \<img src\=x onerror\=alert\(1\)\> |  |"
    assert md_rows([]) == ""


def test_csv_cells_that_start_like_formulas_are_written_as_text() -> None:
    frame = pd.DataFrame(
        {
            "text": ['=HYPERLINK("http://x","y")', "@SUM(1)", "+1", "-1", "\tx", "ok", "a=b", None],
            "number": [-1.5, 2, 3, 4, 5, 6, 7, 8],
        }
    )
    data = records.csv_bytes(frame)
    back = pd.read_csv(io.BytesIO(data), encoding="utf-8-sig", keep_default_na=False)
    assert list(back["text"]) == [
        '\'=HYPERLINK("http://x","y")',
        "'@SUM(1)",
        "'+1",
        "'-1",
        "'\tx",
        "ok",
        "a=b",
        "",
    ]
    assert list(back["number"]) == [-1.5, 2, 3, 4, 5, 6, 7, 8]  # numbers untouched
