"""汇报 Briefing: the named map views as slides, a big map, and exports for meetings."""

import streamlit as st

from geo.analysis import filters, views
from geo.app import ui
from geo.core import constants
from geo.core.i18n import t, term
from geo.render import exports, page_maps
from geo.render.fonts import MissingFontError
from geo.render.safe import md

ds, lang = ui.page_start()
NAMES = [*views.view_names(), views.CURRENT]
sections = filters.section_options(ds)
kinds = sorted(set(ds.projects["kind"]))
PARAMS = [
    ui.Param("view", "briefing_view", ui.parse_choice(NAMES)),
    ui.Param(
        "section",
        "briefing_sections",
        ui.parse_list(sections, int, lambda n, lg: ds.section_title(n, lg)),
        ui.dump_list,
    ),
    ui.Param(
        "kind",
        "briefing_kinds",
        ui.parse_list(kinds, label=lambda k, lg: term("kind", k, lg)),
        ui.dump_list,
    ),
    ui.Param(
        "region",
        "briefing_region",
        ui.parse_choice([None, *ds.region_table.index], ui.region_label(ds)),
    ),
    ui.Param(
        "level",
        "briefing_level",
        ui.parse_choice(constants.LEVELS, lambda v, lg: t(f"level_{v}", lg)),
        lambda v: None if v in (None, "city") else str(v),
    ),
    ui.Param(
        "colour",
        "briefing_colour",
        ui.parse_choice(constants.COLOUR_BY, lambda c, lg: t(c, lg)),
        lambda v: None if v in (None, "kind") else str(v),
    ),
]
# Coming from the measures page, "the view I have now" starts from its filters.
for mine, theirs in (
    ("briefing_sections", "measures_sections"),
    ("briefing_region", "measures_region"),
    ("briefing_level", "measures_level"),
):
    if mine not in st.session_state and st.session_state.get(theirs):
        st.session_state[mine] = st.session_state[theirs]
st.session_state.setdefault("briefing_level", "city")
st.session_state.setdefault("briefing_colour", "kind")
ui.use_params(PARAMS)


def step(delta: int) -> None:
    """Previous/next slide through the named views (wrapping round)."""
    names = views.view_names()
    current = st.session_state.get("briefing_view", names[0])
    index = names.index(current) if current in names else -1
    st.session_state["briefing_view"] = names[(index + delta) % len(names)]


def prepare(fmt: str) -> None:
    """Mark an export of the view now shown to be made (the view as of this click: a button
    drawn by the run before a view change must not prepare the old view)."""
    spec, spec_lang = st.session_state["briefing_spec"]
    st.session_state.setdefault("briefing_ready", set()).add((spec, spec_lang, fmt))


@st.cache_data(show_spinner=False, max_entries=64)
def make_export(spec: str, fmt: str, lang: str, data_token: str) -> tuple[bytes, str, str]:
    """An export's bytes, file name and MIME type, cached by plain strings."""
    result = exports.export_view(ui.dataset(), views.view_from_key(spec), fmt, lang)
    return result.data, result.filename, result.mime


with st.sidebar:
    st.header(t("filters", lang))
    name = ui.selectbox(
        t("briefing_view", lang),
        NAMES,
        key="briefing_view",
        format_func=lambda n: (
            t("view_current", lang) if n == views.CURRENT else views.get_view(n).title(lang)
        ),
    )
    with st.expander(t("view_current", lang), expanded=name == views.CURRENT):
        st.caption(t("view_current_help", lang))
        chosen_sections = ui.multiselect(
            t("section", lang),
            sections,
            key="briefing_sections",
            format_func=lambda n: f"{n}. {ds.section_title(n, lang)}",
        )
        chosen_kinds = ui.multiselect(
            t("kind", lang),
            kinds,
            key="briefing_kinds",
            format_func=lambda k: term("kind", k, lang),
        )
        region = ui.selectbox(
            t("region", lang),
            [None, *ds.region_table.index],
            key="briefing_region",
            format_func=lambda c: t("all", lang) if c is None else ds.region_name(c, lang),
        )
        level = ui.radio(
            t("level", lang),
            constants.LEVELS,
            key="briefing_level",
            horizontal=True,
            format_func=lambda v: t(f"level_{v}", lang),
        )
        colour_by = ui.radio(
            t("colour_by", lang),
            constants.COLOUR_BY,
            key="briefing_colour",
            horizontal=True,
            format_func=lambda v: t("kind" if v == "kind" else "status", lang),
        )
ui.sync_params(PARAMS)

if name == views.CURRENT:
    view = views.view_from_filters(
        ds,
        sections=chosen_sections,
        kinds=chosen_kinds,
        region=region,
        level=level,
        colour_by=colour_by,
    )
else:
    view = views.get_view(name)
layers = views.view_layers(ds, view)
spec = views.view_key(view)
st.session_state["briefing_spec"] = (spec, lang)  # before the slow map: see prepare()

named = views.view_names()
prev_col, counter_col, next_col = st.columns([2, 5, 2], vertical_alignment="center")
prev_col.button(
    t("briefing_prev", lang),
    key="briefing_prev",
    on_click=step,
    args=(-1,),
    icon=":material/chevron_left:",
    width="stretch",
)
next_col.button(
    t("briefing_next", lang),
    key="briefing_next",
    on_click=step,
    args=(1,),
    icon=":material/chevron_right:",
    width="stretch",
)
if name in named:
    counter_col.caption(t("briefing_page", lang, i=named.index(name) + 1, n=len(named)))
st.title(md(view.title(lang)))  # "the view I have now" names sections and regions
st.caption(
    " · ".join(
        md(part)
        for part in (
            view.subtitle(lang),
            t(
                "briefing_selection",
                lang,
                m=len(layers.selection.measures),
                p=len(layers.selection.projects),
                mapped=len(layers.projects),
            ),
        )
        if part
    )
)
ui.map_widget(page_maps.briefing, view, ui.map_options(), key="briefing_map", height=700)

st.subheader(t("export", lang))
token = f"{ds.root}:{id(ds)}"
ready = st.session_state.get("briefing_ready", set())
columns = [*st.columns(3), *st.columns(3)]
for column, fmt in zip(columns, exports.FORMATS, strict=True):
    label = exports.format_label(fmt, lang)
    key = (spec, lang, fmt)
    if key not in ready:
        column.button(
            label,
            key=f"briefing_prepare_{fmt}",
            on_click=prepare,
            args=(fmt,),
            icon=":material/build:",
            width="stretch",
            help=t("export_prepare", lang, what=label),
        )
        continue
    try:
        with st.spinner(label):
            data, filename, mime = make_export(spec, fmt, lang, token)
    except MissingFontError as exc:
        column.error(f"{t('export_font_missing', lang)} {exc}")
        continue
    column.download_button(
        label,
        data,
        file_name=filename,
        mime=mime,
        key=f"briefing_download_{fmt}",
        on_click="ignore",
        type="primary",
        icon=":material/download:",
        width="stretch",
    )
