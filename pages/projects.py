"""项目 Projects: routes, sites and zones on the map, filters, a year slider, every project."""

import streamlit as st

from geo.analysis import filters
from geo.app import ui
from geo.core import constants
from geo.core.i18n import t, term
from geo.present import labels, project_view
from geo.render import page_maps
from geo.render.safe import md, md_table

ds, lang = ui.page_start()
ids = list(ds.projects["id"])
kinds, statuses = project_view.kind_options(ds), project_view.status_options(ds)
stages, measures = filters.stage_options(ds), project_view.measure_options(ds)
regions = project_view.region_filter_options(ds)
region_labels = project_view.region_filter_labels(ds, lang)
years = project_view.year_range()
PARAMS = [
    ui.Param("project", "projects_selected", ui.parse_choice(ids, labels.project_name_of(ds))),
    ui.Param(
        "kind",
        "projects_kinds",
        ui.parse_list(kinds, label=lambda k, lg: term("kind", k, lg)),
        ui.dump_list,
    ),
    ui.Param(
        "status",
        "projects_statuses",
        ui.parse_list(statuses, label=lambda s, lg: term("status", s, lg)),
        ui.dump_list,
    ),
    ui.Param(
        "stage",
        "projects_stages",
        ui.parse_list(stages, label=lambda w, lg: term("plan_stage", w, lg)),
        ui.dump_list,
    ),
    ui.Param("measure", "projects_measures", ui.parse_list(measures, int), ui.dump_list),
    ui.Param("region", "projects_region", ui.parse_choice([None, *regions], ui.region_label(ds))),
    ui.Param(
        "year",
        "projects_year",
        ui.parse_int_in(years),
        lambda v: None if v in (None, years[-1]) else str(v),
    ),
    ui.Param("open", "projects_open_only", ui.parse_flag, lambda v: "1" if v else None),
    ui.Param(
        "colour",
        "projects_colour",
        ui.parse_choice(constants.COLOUR_BY, lambda c, lg: t(c, lg)),
        lambda v: None if v in (None, "kind") else v,
    ),
]
ui.use_params(PARAMS)
st.session_state.setdefault("projects_year", years[-1])


def select_region(code: str) -> None:
    if code in regions:
        st.session_state["projects_region"] = code


def select_project(project_id: str) -> None:
    if project_id in ids:
        st.session_state["projects_selected"] = project_id


with st.sidebar:
    st.header(t("filters", lang))
    chosen_kinds = ui.multiselect(
        t("kind", lang),
        kinds,
        key="projects_kinds",
        format_func=lambda k: term("kind", k, lang),
    )
    chosen_statuses = ui.multiselect(
        t("status", lang),
        statuses,
        key="projects_statuses",
        format_func=lambda s: term("status", s, lang),
    )
    chosen_stages = ui.multiselect(
        t("plan_stage", lang),
        stages,
        key="projects_stages",
        format_func=lambda w: term("plan_stage", w, lang),
    )
    chosen_measures = ui.multiselect(
        t("measure", lang),
        measures,
        key="projects_measures",
        format_func=lambda n: f"{labels.measure_label(n, lang)} {ds.measure_title(n, lang)}",
    )
    region = ui.selectbox(
        t("region_crossed", lang),
        [None, *regions],
        key="projects_region",
        format_func=lambda c: t("all", lang) if c is None else region_labels[c],
    )
    year = st.slider(
        t("year", lang), years[0], years[-1], key="projects_year", help=t("year_help", lang)
    )
    open_only = st.toggle(t("open_only", lang), key="projects_open_only")
    colour_by = ui.radio(
        t("colour_by", lang),
        constants.COLOUR_BY,
        key="projects_colour",
        horizontal=True,
        format_func=lambda c: t(c, lang),
    )
ui.sync_params(PARAMS)

chosen = project_view.ProjectFilters(
    chosen_kinds, chosen_statuses, chosen_stages, chosen_measures, region, year, open_only
)
view = project_view.projects_view(ds, chosen)
shown, on_map = view.shown, view.on_map
st.title(t("page_projects", lang))
st.caption(
    t(
        "projects_shown",
        lang,
        shown=len(shown),
        total=len(ds.projects),
        mapped=len(on_map),
        unmapped=len(shown) - len(on_map),
    )
    + " · "
    + t("click_to_filter", lang)
)
st.caption(
    t(
        "year_line_open_only" if open_only else "year_line",
        lang,
        year=year,
        open=len(on_map) - view.faded,
        not_yet=view.faded,
        hidden=view.hidden,
    )
)
names = labels.project_names(ds, lang)
selected = ui.selectbox(
    t("pick_project", lang),
    [None, *ids],
    key="projects_selected",
    format_func=lambda i: t("none_selected", lang) if i is None else names[i],
)

ui.map_widget(
    page_maps.projects,
    chosen,
    colour_by,
    selected,
    ui.map_options(legend_position="topleft"),
    key="projects_map",
    height=620,
    on_click=select_region,
    on_project=select_project,
)
ui.project_card(ds, selected, link=False)  # the project clicked, right under the map

st.subheader(t("project_list", lang))
st.dataframe(
    project_view.projects_table(ds, shown, lang), hide_index=True, width="stretch", height="content"
)
unmapped = project_view.unmapped_table(ds, shown, lang)
if len(unmapped):
    st.subheader(t("unmapped_heading", lang, n=len(unmapped)))
    st.dataframe(unmapped, hide_index=True, width="stretch")

if selected:
    detail = project_view.project_detail(ds, selected, lang)
    st.subheader(t("all_details_of", lang, name=md(detail["name"])))
    if selected not in set(shown["id"]):
        st.caption(t("selected_filtered_out", lang))
    st.table(md_table(detail["fields"].set_index(t("field", lang))))
    st.markdown(f"**{t('waypoints', lang)}**")
    if len(detail["waypoints"]):
        st.dataframe(detail["waypoints"], hide_index=True, width="stretch")
    else:
        st.caption(t("no_waypoints", lang))
    st.markdown(f"**{t('measures_naming', lang)}**")
    st.table(md_table(detail["measures"].set_index(t("measure", lang))))
    st.markdown(f"**{t('regions_crossed', lang)}**")
    for level, crossed in detail["regions"].items():
        joined = ("、" if lang == "zh" else ", ").join(crossed) or "—"
        st.text(f"{t(f'level_{level}', lang)} ({len(crossed)}): {joined}")
    if detail["indicative"]:
        joined = ("、" if lang == "zh" else ", ").join(detail["indicative"])
        st.caption(t("indicative_crossings", lang, regions=joined))
