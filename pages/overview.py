"""总览 Overview: the 9+2 region, Jiangxi's 11 cities, headline figures, a way into every page."""

import streamlit as st

from geo.app import ui
from geo.core import constants
from geo.core.i18n import t, term
from geo.render import page_maps
from geo.render.safe import md

ds, lang = ui.page_start()
ui.show_param_notes()

st.title(t("app_title", lang))
st.caption(f"{t('app_subtitle', lang)} · {md(ds.meta['date'])}")

statuses = ds.projects["status"].value_counts()
open_now = int(statuses.reindex(list(constants.OPEN_STATUSES)).fillna(0).sum())
cols = st.columns(4)
cols[0].metric(
    t("headline_measures", lang),
    len(ds.plan.measures),
    f"{len(ds.plan.sections)} {t('headline_sections', lang)}",
    delta_color="off",
    delta_arrow="off",
)
cols[1].metric(
    t("headline_projects", lang),
    len(ds.projects),
    f"{open_now} {t('open_by_now', lang)}",
    delta_color="off",
    delta_arrow="off",
)
cols[2].metric(t("headline_partners", lang), len(constants.PPRD_ADCODES) - 1)
cols[3].metric(t("headline_unknown", lang), int(statuses.get("unknown", 0)))


def open_region(code: str) -> None:
    st.session_state["overview_goto"] = code


ui.map_widget(page_maps.overview, ui.map_options(), key="overview_map", on_click=open_region)
if goto := st.session_state.pop("overview_goto", None):
    st.switch_page("pages/region.py", query_params={"region": goto})
st.caption(t("click_to_open_region", lang))

st.subheader(t("status", lang))
st.bar_chart(statuses.rename(lambda s: term("status", s, lang)), horizontal=True, height=260)

st.subheader(t("go_to", lang))
links = st.columns(4)
for i, page in enumerate(ui.PAGES[1:]):
    links[i % 4].page_link(page.path, label=t(page.title_key, lang), icon=page.icon)
