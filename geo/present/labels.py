"""How the interface names things, in one place: projects, measures, sections, regions.

Every page, map and export names a project through :func:`project_name`, so a project is called
the same everywhere in a language.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping

from geo.analysis.filters import split_stages
from geo.analysis.hierarchy import region_path
from geo.core.dataset import Dataset
from geo.core.i18n import t, term
from geo.core.plan import to_cn_numeral


def project_name(row: Mapping[str, object], lang: str) -> str:
    """A project's display name: its English name, or its Chinese label (plan name if none)."""
    if lang == "en":
        return str(row["name_en"])
    return str(row.get("label_zh") or row["name_plan"])


def project_names(ds: Dataset, lang: str) -> dict[str, str]:
    """Project id → display name (:func:`project_name`), in catalogue order."""
    return ds.memo(
        ("project_names", lang),
        lambda: {row["id"]: project_name(row, lang) for row in ds.projects.to_dict("records")},
    )


def project_name_of(ds: Dataset) -> Callable[[str, str], str]:
    """``(project id, lang) → display name``, for reading links that named a project."""
    names = {lang: project_names(ds, lang) for lang in ("zh", "en")}
    return lambda pid, lang: names[lang].get(pid, pid)


def stage_label(cell: str, lang: str) -> str:
    """The plan's stage words (``规划建设;为先导``) in ``lang`` (English: our gloss)."""
    sep = "; " if lang == "en" else ";"
    return sep.join(term("plan_stage", w, lang) for w in split_stages(cell))


def measure_label(number: int, lang: str) -> str:
    """A measure's number as the page writes it: ``(七)`` in Chinese, ``7`` in English."""
    return str(number) if lang == "en" else f"({to_cn_numeral(number)})"


def place_as_written(ds: Dataset, name: str, lang: str) -> str:
    """A place name as the plan writes it: as is in Chinese, ``Shenzhen (深圳)`` in English."""
    if lang != "en":
        return name
    english = {p.name: p.name_en for p in ds.gazetteer}.get(name)
    return f"{english} ({name})" if english else name


def section_heading(ds: Dataset, number: int, lang: str) -> str:
    """ "四、加快基础设施互联互通" / "Section 4: Connected infrastructure"."""
    if lang == "en":
        return f"{t('section', lang)} {number}: {ds.section_title(number, 'en')}"
    return f"{to_cn_numeral(number)}、{ds.section_title(number, 'zh')}"


def region_path_label(ds: Dataset, adcode: str, lang: str) -> str:
    """``江西省 › 赣州市 › 章贡区``: a region's name after its ancestors' (adcode if unknown)."""
    if adcode not in ds.region_table.index:
        return adcode
    return " › ".join(ds.region_name(code, lang) for code in region_path(ds, adcode))
