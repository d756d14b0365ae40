"""泛珠合作地图: the frame. Page list, page config, the shared language and basemap choices, run."""

import streamlit as st

from geo.app import ui
from geo.app.ui import current_lang
from geo.core.i18n import LANGS, t

st.set_page_config(page_title="泛珠合作地图", page_icon="🗺️", layout="wide")

if "lang" not in st.session_state:
    requested = st.query_params.get("lang", "zh")
    st.session_state["lang"] = requested if requested in LANGS else "zh"
    if requested not in LANGS:
        ui.note_bad_param("lang", requested)
with st.sidebar:
    st.radio(
        t("language", current_lang()),
        options=list(LANGS),
        key="lang",
        horizontal=True,
        format_func=lambda code: {"zh": "中文", "en": "English"}[code],
    )
    ui.basemap_selector()
lang = current_lang()

pages = [
    st.Page(
        p.path,
        title=t(p.title_key, lang),
        icon=p.icon,
        url_path=p.url_path or None,
        default=not p.url_path,
    )
    for p in ui.PAGES
]
page = st.navigation(pages)
ui.mark_page(page.url_path)
ui.run_page(page)
