"""泛珠合作地图: the frame. Page list, page config, the shared language switch, run."""

import streamlit as st

from geo.i18n import LANGS, t
from geo.ui import current_lang

st.set_page_config(page_title="泛珠合作地图", page_icon="🗺️", layout="wide")

if "lang" not in st.session_state:
    requested = st.query_params.get("lang", "zh")
    st.session_state["lang"] = requested if requested in LANGS else "zh"
    if requested not in LANGS:
        st.session_state.setdefault("_param_notes", []).append(("lang", requested[:40]))
with st.sidebar:
    st.radio(t("language", current_lang()), options=list(LANGS), key="lang", horizontal=True,
             format_func=lambda code: {"zh": "中文", "en": "English"}[code])
lang = current_lang()

PAGES = [
    ("pages/overview.py", "page_overview", ":material/map:", "", True),
    ("pages/measures.py", "page_measures", ":material/checklist:", "measures", False),
    ("pages/projects.py", "page_projects", ":material/train:", "projects", False),
    ("pages/region.py", "page_region", ":material/location_on:", "region", False),
    ("pages/partners.py", "page_partners", ":material/handshake:", "partners", False),
    ("pages/units.py", "page_units", ":material/account_balance:", "units", False),
    ("pages/briefing.py", "page_briefing", ":material/slideshow:", "briefing", False),
    ("pages/data.py", "page_data", ":material/table:", "data", False),
]
pages = [st.Page(path, title=t(key, lang), icon=icon, url_path=url or None, default=default)
         for path, key, icon, url, default in PAGES if __import__("os").path.exists(path)]
st.navigation(pages).run()
