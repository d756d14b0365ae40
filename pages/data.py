"""数据 Data: the tables behind the pages, downloads, sources, licences, data-quality report."""

import streamlit as st

from geo.app import ui
from geo.core.constants import LEVELS
from geo.core.i18n import t, term
from geo.present import records

ds, lang = ui.page_start()
PARAMS = [
    ui.Param(
        "table",
        "data_table",
        ui.parse_choice(records.DATA_TABLES, lambda n, lg: term("data_table", n, lg)),
        lambda v: None if v in (None, records.DATA_TABLES[0]) else v,
    )
]
ui.use_params(PARAMS)

st.title(t("page_data", lang))
st.caption(t("data_intro", lang))

st.header(t("downloads", lang))
name = ui.radio(
    t("data_table", lang),
    records.DATA_TABLES,
    key="data_table",
    horizontal=True,
    format_func=lambda n: term("data_table", n, lang),
)
ui.sync_params(PARAMS)
frame = records.data_table(ds, name)
st.caption(t("n_rows", lang, n=len(frame)) + " · " + t("csv_note", lang))
st.dataframe(records.with_column_labels(frame, lang), hide_index=True, width="stretch", height=320)
cols = st.columns(4)
cols[0].download_button(
    t("download_csv", lang),
    records.csv_bytes(frame),
    file_name=f"pprd_{name}.csv",
    mime="text/csv",
    on_click="ignore",
    icon=":material/download:",
    key="data_csv",
)
if name == "projects":
    cols[1].download_button(
        t("download_geojson", lang),
        records.projects_geojson_bytes(ds),
        file_name="pprd_projects.geojson",
        mime="application/geo+json",
        on_click="ignore",
        icon=":material/download:",
        key="data_geojson",
    )

st.subheader(t("boundaries", lang))
st.caption(t("boundaries_note", lang))
cols = st.columns(len(LEVELS))
for col, level in zip(cols, LEVELS, strict=True):
    light = records.display_boundaries_bytes(ds, level)
    file_name, size, read = records.boundary_file(ds, level)
    col.markdown(f"**{t(f'level_{level}', lang)}**")
    col.caption(t("boundary_extent", lang, what=t(f"extent_{level}", lang)))
    col.download_button(
        t("boundary_light", lang, size=records.human_size(len(light))),
        light,
        file_name=f"pprd_{level}_display.geojson",
        mime="application/geo+json",
        on_click="ignore",
        key=f"data_light_{level}",
    )
    col.download_button(
        t("boundary_full", lang, size=records.human_size(size)),
        read,
        file_name=file_name,
        mime="application/geo+json",
        on_click="ignore",
        key=f"data_full_{level}",
    )

st.header(t("sources_licences", lang))
st.text(
    t(
        "plan_citation",
        lang,
        title=ds.meta["title_en" if lang == "en" else "title_zh"],
        date=ds.meta["date"],
    )
)
st.dataframe(records.sources_table(ds, lang), hide_index=True, width="stretch")  # no markdown
with st.expander(t("project_sources", lang)):
    st.dataframe(records.project_sources_table(ds, lang), hide_index=True, width="stretch")

st.header(t("quality_report", lang))
problems, notes = records.validation(ds)
if problems:
    st.error(t("problems_found", lang, n=len(problems)))
    st.code("\n".join(problems), language=None)
else:
    st.success(t("problems_none", lang))
with st.expander(t("quality_notes", lang, n=len(notes))):
    st.code("\n".join(notes) or "—", language=None)
counts = records.quality_counts(ds, lang)
left, right = st.columns(2)
left.subheader(t("by_confidence", lang))
left.dataframe(counts["confidence"], hide_index=True, width="stretch")
right.subheader(t("places_by_precision", lang))
right.dataframe(counts["precision"], hide_index=True, width="stretch")
st.subheader(t("status_unknown_list", lang, n=len(counts["unknown_status"])))
st.dataframe(counts["unknown_status"], hide_index=True, width="stretch")
st.subheader(t("unmapped_places", lang, n=len(counts["unmapped"])))
st.dataframe(counts["unmapped"], hide_index=True, width="stretch")
