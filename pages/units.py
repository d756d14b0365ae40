"""单位 Units: which responsible unit leads which measures, and where they reach."""

import streamlit as st

from geo.analysis import units
from geo.app import ui
from geo.core.constants import LINK_KINDS
from geo.core.i18n import t
from geo.present import units as unit_tables
from geo.render import page_maps
from geo.render.safe import md, md_rows

ds, lang = ui.page_start()
summary = units.unit_summary(ds)
options = list(summary["name_zh"])
PARAMS = [
    ui.Param("unit", "units_unit", ui.parse_choice(options, ds.unit_name)),
    ui.Param(
        "links",
        "units_links",
        ui.parse_list(LINK_KINDS, label=lambda k, lg: t(f"link_{k}", lg)),
        lambda v: None if v is None or list(v) == list(LINK_KINDS) else ui.dump_list(v),
    ),
]
ui.use_params(PARAMS)

with st.sidebar:
    st.header(t("filters", lang))
    unit = ui.selectbox(
        t("pick_unit", lang),
        options,
        key="units_unit",
        format_func=lambda u: f"{ds.unit_name(u, lang)} ({summary.at[u, 'n_measures']})",
    )
    kinds = ui.multiselect(
        t("link_kinds", lang),
        LINK_KINDS,
        default=list(LINK_KINDS),
        key="units_links",
        format_func=lambda k: t(f"link_{k}", lang),
    )
ui.sync_params(PARAMS)

st.title(t("page_units", lang))
st.caption(t("units_intro", lang, n=len(summary), m=len(ds.plan.measures)))

numbers = units.unit_measures(ds, unit)
row = summary.loc[unit]
st.header(md(ds.unit_name(unit, lang)))
cols = st.columns(3)
cols[0].metric(t("n_led", lang), int(row["n_measures"]))
cols[1].metric(t("sections", lang), len(row["sections"]))
cols[2].metric(
    t("own_city", lang), md(ds.region_name(row["adcode"], lang)) if row["adcode"] else "—"
)

st.caption(t("units_map_caption", lang))
ui.map_widget(page_maps.unit_reach, unit, tuple(kinds), ui.map_options(), key="units_map")

st.subheader(t("unit_measures", lang, unit=md(ds.unit_name(unit, lang)), n=len(numbers)))
st.markdown(md_rows(unit_tables.unit_measures_table(ds, unit, lang).to_dict("records")))

st.header(t("all_units", lang))
table = unit_tables.unit_table(ds, lang)
st.dataframe(table, hide_index=True, width="stretch", height=35 * (len(table) + 1) + 3)
