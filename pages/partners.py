"""伙伴 Partners: Jiangxi ↔ each 9+2 member: the measures, corridors and projects linking them."""

import streamlit as st

from geo.analysis import partners
from geo.app import ui
from geo.core.i18n import t
from geo.present import partners as partner_tables
from geo.render import page_maps
from geo.render.safe import md

ds, lang = ui.page_start()
options = partners.partner_options(ds)
PARAMS = [ui.Param("partner", "partners_partner", ui.parse_choice(options, ui.region_label(ds)))]
ui.use_params(PARAMS)


def select_partner(code: str) -> None:
    if code in options:  # a click on Jiangxi or outside the partners changes nothing
        st.session_state["partners_partner"] = code


with st.sidebar:
    st.header(t("filters", lang))
    partner = ui.selectbox(
        t("partner", lang),
        [None, *options],
        key="partners_partner",
        format_func=lambda c: t("all", lang) if c is None else ds.region_name(c, lang),
    )
ui.sync_params(PARAMS)

summary = partners.partner_summary(ds)
st.title(t("page_partners", lang))
st.caption(t("partners_intro", lang) + " · " + t("click_partner", lang))
ui.map_with_project_card(
    page_maps.partners, partner, ui.map_options(), key="partners_map", on_click=select_partner
)

if partner is not None:
    row = summary.loc[partner]
    st.header(t("jx_and", lang, name=md(ds.region_name(partner, lang))))
    cols = st.columns(4)
    cols[0].metric(t("n_links", lang), int(row["links"]))
    cols[1].metric(t("specific_measures", lang), int(row["specific_measures"]))
    cols[2].metric(t("corridor_projects", lang), int(row["corridors"]))
    cols[3].metric(t("other_projects", lang), int(row["other_projects"]))
    st.subheader(t("projects", lang))
    st.caption(t("partner_projects_note", lang))
    projects = partner_tables.partner_projects_table(ds, partner, lang)
    if projects.empty:
        st.text(t("none_found", lang))
    else:
        st.dataframe(projects, hide_index=True, width="stretch")
    st.subheader(t("specific_measures", lang))
    specific = partner_tables.partner_measures_table(ds, partner, lang, "text")
    if specific.empty:
        st.text(t("none_found", lang))
    else:
        st.dataframe(specific, hide_index=True, width="stretch")
    whole = partner_tables.partner_measures_table(ds, partner, lang, "whole")
    with st.expander(f"{t('whole_measures', lang)} ({len(whole)})"):
        st.caption(t("whole_note", lang))
        st.dataframe(whole, hide_index=True, width="stretch")

st.header(t("partners", lang))
st.dataframe(partner_tables.partner_table(ds, lang), hide_index=True, width="stretch")
st.subheader(t("link_strength", lang))
st.bar_chart(
    partner_tables.link_strength(ds, lang),
    horizontal=True,
    height=320,
    stack=True,
    sort=False,
    color=list(partners.LINK_STRENGTH_COLOURS),
)
