"""区域 Region: one province, city or county, and every measure, unit and project touching it."""

import streamlit as st

from geo.analysis import filters, hierarchy
from geo.app import ui
from geo.core.i18n import t
from geo.present import project_view, region_view
from geo.render import page_maps
from geo.render.safe import md, md_rows

ds, lang = ui.page_start()
PICKERS = ("region_l1", "region_l2", "region_l3")  # province, then one and two levels down
PARAMS = [
    ui.Param(
        "region",
        "region_code",
        ui.parse_choice(list(ds.region_table.index), ui.region_label(ds)),
        lambda v: None if v in (None, region_view.DEFAULT_REGION) else v,
    )
]
ui.use_params(PARAMS)


def go_to(code: str) -> None:
    """Point the pickers at ``code`` (a map click, a breadcrumb, a deep link)."""
    if code not in ds.region_table.index:
        return
    path = hierarchy.region_path(ds, code)
    st.session_state["region_code"] = code
    for i, key in enumerate(PICKERS):
        st.session_state[key] = path[i] if i < len(path) else None


if st.session_state.get("region_l1") is None:  # first run, or back from another page
    go_to(st.session_state.get("region_code") or region_view.DEFAULT_REGION)

with st.sidebar:
    st.header(t("pick_region", lang))
    code = ui.region_pickers(ds, PICKERS)
st.session_state["region_code"] = code
ui.sync_params(PARAMS)

path = hierarchy.region_path(ds, code)
st.title(md(ds.region_name(code, lang)))
with st.container(horizontal=True, vertical_alignment="center", gap="small"):
    for up in path[:-1]:
        st.button(
            md(ds.region_name(up, lang)),
            key=f"region_up_{up}",
            type="tertiary",
            on_click=go_to,
            args=(up,),
        )
        st.markdown("›")
    st.markdown(f"**{md(ds.region_name(code, lang))}** · {region_view.level_name(ds, code, lang)}")

links = region_view.measure_links(ds, code)
tables = region_view.measure_link_tables(ds, code, lang)
crossing = filters.filter_projects(ds, region=code)
units = region_view.region_units(ds, code, lang)
cols = st.columns(4)
cols[0].metric(t("measures_touching_region", lang), len(region_view.touching_measures(links)))
cols[1].metric(t("projects_touching_region", lang), len(crossing))
cols[2].metric(t("units", lang), len(units))
cols[3].metric(t("only_larger_short", lang), len(tables["larger"]), help=t("only_larger", lang))

ui.map_with_project_card(page_maps.region, code, ui.map_options(), key="region_map", on_click=go_to)
st.caption(t("click_to_go", lang))

st.subheader(t("measures_touching_region", lang))
st.caption(t("count_note", lang))
for key, title in (
    ("text", "by_text"),
    ("unit", "by_unit"),
    ("project", "by_geometry"),
    ("larger", "only_larger"),
):
    n = tables[key][t("measure", lang)].nunique()
    st.markdown(f"**{t(title, lang)}** · {t('n_measures_count', lang, n=n)}")
    if len(tables[key]):
        st.markdown(md_rows(tables[key].to_dict("records")))
    else:
        st.caption(t("none_found", lang))

st.subheader(t("units", lang))
if len(units):
    st.dataframe(units, hide_index=True, width="stretch")
else:
    st.caption(t("no_units", lang))

st.subheader(t("projects_touching_region", lang))
if len(crossing):
    st.dataframe(project_view.projects_table(ds, crossing, lang), hide_index=True, width="stretch")
else:
    st.caption(t("none_found", lang))
