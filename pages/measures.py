"""措施 Measures: a choropleth of how many measures touch each region, filters, every measure."""

import streamlit as st

from geo.analysis import filters
from geo.app import ui
from geo.core.constants import LEVELS, LINK_KINDS
from geo.core.i18n import t
from geo.present import labels, records
from geo.render import page_maps
from geo.render.safe import md, md_rows

ds, lang = ui.page_start()
sections = filters.section_options(ds)
units = list(ds.units["name_zh"])
PARAMS = [
    ui.Param("level", "measures_level", ui.parse_choice(LEVELS, lambda v, lg: t(f"level_{v}", lg))),
    ui.Param(
        "section",
        "measures_sections",
        ui.parse_list(sections, int, lambda n, lg: ds.section_title(n, lg)),
        ui.dump_list,
    ),
    ui.Param("unit", "measures_units", ui.parse_list(units, label=ds.unit_name), ui.dump_list),
    ui.Param(
        "region",
        "measures_region",
        ui.parse_choice([None, *ds.region_table.index], ui.region_label(ds)),
    ),
    ui.Param("q", "measures_query", lambda raw: raw[:100]),
    ui.Param("measure", "measures_open", ui.parse_int_in(range(1, len(ds.plan.measures) + 1))),
]
ui.use_params(PARAMS)


def select_region(code: str) -> None:
    st.session_state["measures_region"] = code


def clear_search() -> None:
    st.session_state["measures_query"] = ""


with st.sidebar:
    st.header(t("filters", lang))
    level = ui.radio(
        t("level", lang),
        LEVELS,
        key="measures_level",
        horizontal=True,
        format_func=lambda v: t(f"level_{v}", lang),
    )
    chosen_sections = ui.multiselect(
        t("section", lang),
        sections,
        key="measures_sections",
        format_func=lambda n: f"{n}. {ds.section_title(n, lang)}",
    )
    chosen_units = ui.multiselect(
        t("unit", lang),
        units,
        key="measures_units",
        format_func=lambda u: ds.unit_name(u, lang),
    )
    region = ui.selectbox(
        t("region", lang),
        [None, *ds.region_table.index],
        key="measures_region",
        format_func=lambda c: t("all", lang) if c is None else ds.region_name(c, lang),
    )
    query = st.text_input(t("search", lang), key="measures_query", help=t("search_help", lang))
    kinds = ui.multiselect(
        t("link_kinds", lang),
        LINK_KINDS,
        default=list(LINK_KINDS),
        key="measures_links",
        format_func=lambda k: t(f"link_{k}", lang),
    )
ui.sync_params(PARAMS)

numbers = filters.filter_measures(
    ds, sections=chosen_sections, units=chosen_units, region=region, query=query, link_kinds=kinds
)
st.title(t("page_measures", lang))
st.caption(
    t("shown_of", lang, shown=len(numbers), total=len(ds.plan.measures))
    + " · "
    + t("click_to_filter", lang)
    + " · "
    + t("count_note", lang)
)

ui.map_widget(
    page_maps.measures,
    level,
    tuple(numbers),
    tuple(kinds),
    region,
    ui.map_options(),
    key="measures_map",
    on_click=select_region,
)

if query and not numbers:
    st.info(t("no_match", lang, query=md(query)), icon=":material/search_off:")
    st.button(t("clear_search", lang), key="measures_clear", on_click=clear_search)
if lang == "en":
    st.caption(t("unofficial_translation", lang))
opened = st.session_state.get("measures_open")
# A measure opened by a link (from the region page, a shared address) comes first, open.
listed = [opened, *(n for n in numbers if n != opened)] if opened else numbers
for rec in sorted(records.measure_records(ds, listed), key=lambda r: listed.index(r["number"])):
    number = labels.measure_label(rec["number"], lang) + ("." if lang == "en" else "")
    title = ds.measure_title(rec["number"], lang)
    # the number is ours (no markdown in it); the title is data
    with st.expander(f"{number} {md(title)}", expanded=rec["number"] == opened):
        st.caption(md(labels.section_heading(ds, rec["section"], lang)))
        st.text(ds.measure_text(rec["number"], lang))
        st.markdown(f"**{t('units', lang)}**")
        st.text(("; " if lang == "en" else "、").join(ds.unit_name(u, lang) for u in rec["units"]))
        places, projects = records.measure_link_rows(ds, rec, lang)
        if places:
            st.markdown(f"**{t('places', lang)}**")
            st.markdown(md_rows(places))
        if projects:
            st.markdown(f"**{t('projects_named', lang)}**")
            st.markdown(md_rows(projects))
