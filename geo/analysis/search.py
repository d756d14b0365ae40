"""Free-text search over the measures, in Chinese and in English.

A measure matches a query when

- its text, in either language, contains the whole query; or
- the query names a place of the gazetteer (赣州, Ganzhou, 港澳, Hong Kong …) and the measure's
  text names that place or another place covering the same regions (港澳 finds 赣港 and 赣澳,
  which name 香港 and 澳门); or
- every word of the query occurs somewhere in what is searched.

What is searched, per measure: the title and the full text (the plan's Chinese and our English
translation), the responsible units (both languages), and the places and projects it names (their
Chinese and English names). Matching ignores case and spacing.
"""

from __future__ import annotations

import re

from geo.core.dataset import Dataset

# Spellings a reader may use for a name the data spells otherwise.
SYNONYMS = {"macao": "macau"}
_SPACES = re.compile(r"\s+")


def normalise(text: str) -> str:
    """Casefolded, single-spaced, with the synonyms of :data:`SYNONYMS` replaced."""
    text = _SPACES.sub(" ", text.casefold()).strip()
    for other, ours in SYNONYMS.items():
        text = text.replace(other, ours)
    return text


def _haystack(ds: Dataset, number: int) -> str:
    m = ds.plan.measure(number)
    places = ds.place_links.loc[ds.place_links["measure"] == number, "name"]
    by_name = {p.name: p for p in ds.gazetteer}
    named = ds.measure_projects.loc[ds.measure_projects["measure"] == number, "project_id"]
    projects = ds.projects[ds.projects["id"].isin(set(named))]
    parts = [
        m.title,
        m.text,
        ds.measure_title(number, "en"),
        ds.measure_text(number, "en"),
        *m.units,
        *(ds.unit_name(u, "en") for u in m.units),
        *(f"{p} {by_name[p].name_en}" for p in dict.fromkeys(places) if p in by_name),
        *(
            " ".join(str(row.get(c) or "") for c in ("name_plan", "label_zh", "name_zh", "name_en"))
            for row in projects.to_dict("records")
        ),
    ]
    return normalise(" \n ".join(parts))


def haystacks(ds: Dataset) -> dict[int, str]:
    """Measure number → everything searched for it, normalised (built once per dataset)."""
    return ds.memo(
        ("search", "haystacks"),
        lambda: {m.number: _haystack(ds, m.number) for m in ds.plan.measures},
    )


def places_named(ds: Dataset, query: str) -> set[str]:
    """Adcodes of the gazetteer places the whole query names, in Chinese or English."""
    q = normalise(query)
    codes: set[str] = set()
    for place in ds.gazetteer:
        if q and q in (normalise(place.name), normalise(place.name_en)):
            codes.update(place.adcodes)
    return codes


def search_measures(ds: Dataset, query: str) -> list[int]:
    """The numbers of the measures matching ``query`` (all for an empty query), in plan order."""
    q = normalise(query)
    if not q:
        return [m.number for m in ds.plan.measures]
    texts = haystacks(ds)
    codes = places_named(ds, query)
    links = ds.region_links
    by_place = set(links.loc[(links["link"] == "text") & links["adcode"].isin(codes), "measure"])
    words = q.split(" ")
    return [
        n
        for n, text in texts.items()
        if q in text or n in by_place or all(w in text for w in words)
    ]
