"""Every user-facing string of Chỉ số, in Vietnamese and English, from one place.

    t("page.rankings.title", "vi")                      -> "Xếp hạng"
    t("label.derived_from", "en", n=3)                  -> "Derived from 3 former units"

``STRINGS[key]`` holds ``{"vi": ..., "en": ...}`` and, optionally, ``"en_one"`` / ``"vi_one"`` used when
the keyword argument ``n`` equals 1 (English singular). Placeholders are ``str.format`` fields and must be
the same in both languages (a test checks). A missing key, language or placeholder raises ``KeyError``.

Key prefixes: ``app.`` product chrome · ``page.<id>.`` page titles, help and intros · ``picker.`` widget
labels · ``level.`` / ``scope.`` / ``vintage.`` vocabularies · ``label.`` short labels on cards, tables
and charts · ``col.`` column headers of tables and downloads · ``chart.`` chart texts and alt text ·
``export.`` / ``download.`` export and download buttons · ``notice.`` boxes on pages ·
``error.`` refusals and errors · ``meta.`` header block of downloaded files.
"""

from __future__ import annotations

import string

LANGS = ("vi", "en")
DEFAULT_LANG = "vi"
LANG_NAMES = {"vi": "Tiếng Việt", "en": "English"}

STRINGS: dict[str, dict[str, str]] = {
    # ------------------------------------------------------------------ app chrome
    "app.name": {"vi": "Chỉ số", "en": "Chỉ số"},
    "app.tagline": {
        "vi": "So sánh các địa phương Việt Nam về cải cách hành chính và chính quyền số",
        "en": "Comparing Vietnamese localities on administrative reform and digital government",
    },
    "app.footer": {"vi": "Chỉ số · {date}", "en": "Chỉ số · {date}"},
    "app.home_locality": {"vi": "Địa phương của tôi", "en": "Home locality"},
    "app.presentation_view": {"vi": "Chế độ trình chiếu", "en": "Presentation view"},
    "app.presentation_help": {
        "vi": "Ẩn các bộ chọn và khung trang để chụp màn hình gọn gàng.",
        "en": "Hides pickers and page chrome for clean screenshots.",
    },
    "app.share_link": {"vi": "Sao chép liên kết tới trang này", "en": "Copy a link to this view"},
    "app.share_help": {
        "vi": "Liên kết giữ nguyên mọi lựa chọn, kể cả ngôn ngữ.",
        "en": "The link keeps every choice, including the language.",
    },
    "app.loading": {"vi": "Đang tải dữ liệu…", "en": "Loading data…"},
    # ------------------------------------------------------------------ pages
    "page.overview.title": {"vi": "Tổng quan", "en": "Overview"},
    "page.overview.help": {
        "vi": "Địa phương của bạn trong mười giây: điểm số, thứ hạng, thay đổi và bản đồ cả nước.",
        "en": "Your locality in ten seconds: score, rank, change and the national map.",
    },
    "page.overview.top_n": {"vi": "{n} địa phương dẫn đầu", "en": "Top {n}"},
    "page.overview.bottom_n": {"vi": "{n} địa phương cuối bảng", "en": "Bottom {n}"},
    "page.overview.findings": {"vi": "Nhận định chính", "en": "Key findings"},
    "page.rankings.title": {"vi": "Xếp hạng", "en": "Rankings"},
    "page.rankings.help": {
        "vi": "Bảng xếp hạng đầy đủ của một cấp, có lọc, sắp xếp, thay đổi thứ hạng và nhóm xếp loại.",
        "en": "The full ranking of a level, with filters, sorting, rank changes and bands.",
    },
    "page.profile.title": {"vi": "Hồ sơ địa phương", "en": "Locality profile"},
    "page.profile.help": {
        "vi": "Một địa phương qua mọi chỉ số và mọi năm: giá trị, thứ hạng, thành phần và nguồn.",
        "en": "One locality across every indicator and year: values, ranks, components and sources.",
    },
    "page.profile.components": {"vi": "Các chỉ số thành phần", "en": "Components"},
    "page.profile.children": {"vi": "Đơn vị trực thuộc", "en": "Units within"},
    "page.compare.title": {"vi": "So sánh", "en": "Compare"},
    "page.compare.help": {
        "vi": "So sánh từ 2 đến 8 địa phương cùng cấp trên cùng một chỉ số.",
        "en": "Compare 2 to 8 localities of the same level on one indicator.",
    },
    "page.within.title": {"vi": "Trong tỉnh", "en": "Within a province"},
    "page.within.help": {
        "vi": "Các thành phố, thị xã, huyện và xã, phường của một tỉnh: xếp hạng, bản đồ và xu hướng.",
        "en": "The cities, towns, districts, wards and communes of a province: ranking, map and trends.",
    },
    "page.reorg.title": {"vi": "Sắp xếp 2025", "en": "The 2025 reorganisation"},
    "page.reorg.help": {
        "vi": "Đơn vị cũ và mới song song: tỉnh, xã nào hợp thành đơn vị mới; số liệu cũ quy về đơn vị mới.",
        "en": "Old and new units side by side: which provinces and communes form each new unit; "
        "legacy data viewed on the new units.",
    },
    "page.reorg.old_units": {"vi": "Trước ngày 1/7/2025", "en": "Before 1 Jul 2025"},
    "page.reorg.new_units": {"vi": "Từ ngày 1/7/2025", "en": "From 1 Jul 2025"},
    "page.data.title": {"vi": "Dữ liệu & nguồn", "en": "Data and sources"},
    "page.data.help": {
        "vi": "Định nghĩa chỉ số, ghi chú phương pháp, điểm gãy chuỗi, nguồn, mức độ phủ và tải dữ liệu.",
        "en": "Indicator definitions, method notes, series breaks, sources, coverage and downloads.",
    },
    "page.data.coverage": {"vi": "Mức độ phủ dữ liệu", "en": "Data coverage"},
    "page.data.coverage_full": {"vi": "Đầy đủ", "en": "Full"},
    "page.data.coverage_partial": {"vi": "Một phần", "en": "Partial"},
    "page.data.coverage_none": {"vi": "Không có", "en": "None"},
    "page.data.rank_check": {
        "vi": "Đối chiếu thứ hạng công bố và thứ hạng tính lại",
        "en": "Published versus computed ranks",
    },
    "page.import.title": {"vi": "Nhập dữ liệu", "en": "Import data"},
    "page.import.help": {
        "vi": "Tải lên bảng số liệu mới; hệ thống kiểm tra tên địa phương, năm và chỉ số trước khi nhập.",
        "en": "Upload a new table of figures; names, years and indicators are checked before import.",
    },
    # ------------------------------------------------------------------ pickers
    "picker.language": {"vi": "Ngôn ngữ", "en": "Language"},
    "picker.locality": {"vi": "Địa phương", "en": "Locality"},
    "picker.localities": {"vi": "Các địa phương", "en": "Localities"},
    "picker.home_locality": {"vi": "Địa phương của tôi", "en": "Home locality"},
    "picker.indicator": {"vi": "Chỉ số", "en": "Indicator"},
    "picker.component": {"vi": "Chỉ số thành phần", "en": "Component"},
    "picker.year": {"vi": "Năm", "en": "Year"},
    "picker.years": {"vi": "Giai đoạn", "en": "Years"},
    "picker.level": {"vi": "Cấp", "en": "Level"},
    "picker.region": {"vi": "Vùng", "en": "Region"},
    "picker.scope": {"vi": "Phạm vi so sánh", "en": "Compared with"},
    "picker.province": {"vi": "Tỉnh, thành phố", "en": "Province"},
    "picker.unit_type": {"vi": "Loại đơn vị", "en": "Unit type"},
    "picker.measure": {"vi": "Hiển thị", "en": "Show"},
    "picker.sort": {"vi": "Sắp xếp theo", "en": "Sort by"},
    "picker.vintage": {"vi": "Danh mục đơn vị", "en": "Unit list"},
    "picker.search": {"vi": "Tìm địa phương", "en": "Find a locality"},
    "picker.all": {"vi": "Tất cả", "en": "All"},
    "picker.help.locality": {
        "vi": "Gõ tên địa phương, có hoặc không có dấu.",
        "en": "Type a locality name, with or without diacritics.",
    },
    "picker.help.compare": {"vi": "Chọn từ 2 đến 8 địa phương cùng cấp.", "en": "Pick 2 to 8 localities of one level."},
    "measure.value": {"vi": "Giá trị", "en": "Value"},
    "measure.rank": {"vi": "Thứ hạng", "en": "Rank"},
    "measure.both": {"vi": "Giá trị và thứ hạng", "en": "Value and rank"},
    # ------------------------------------------------------------------ vocabularies
    "level.province": {"vi": "Tỉnh, thành phố", "en": "Provinces"},
    "level.district": {"vi": "Cấp huyện", "en": "Districts"},
    "level.commune": {"vi": "Cấp xã", "en": "Communes and wards"},
    "level.agency": {"vi": "Sở, ngành", "en": "Provincial departments"},
    "level_one.province": {"vi": "tỉnh, thành phố", "en": "province"},
    "level_one.district": {"vi": "đơn vị cấp huyện", "en": "district"},
    "level_one.commune": {"vi": "xã, phường", "en": "commune or ward"},
    "level_one.agency": {"vi": "sở, ngành", "en": "department"},
    "scope.national": {"vi": "Toàn quốc", "en": "National"},
    "scope.region": {"vi": "Trong vùng", "en": "Within the region"},
    "scope.parent": {"vi": "Trong tỉnh", "en": "Within the province"},
    "vintage.legacy": {"vi": "Trước sắp xếp (63 tỉnh)", "en": "Before the reorganisation (63 provinces)"},
    "vintage.2025": {"vi": "Sau sắp xếp (34 tỉnh)", "en": "After the reorganisation (34 provinces)"},
    # ------------------------------------------------------------------ labels
    "label.rank": {"vi": "Thứ hạng", "en": "Rank"},
    "label.rank_of": {"vi": "Hạng {rank}/{of}", "en": "Rank {rank} of {of}"},
    "label.value": {"vi": "Giá trị", "en": "Value"},
    "label.score": {"vi": "Điểm", "en": "Score"},
    "label.change": {"vi": "Thay đổi", "en": "Change"},
    "label.rank_change": {"vi": "Thay đổi thứ hạng", "en": "Change in rank"},
    "label.value_change": {"vi": "Thay đổi điểm", "en": "Change in score"},
    "label.since_year": {"vi": "so với {year}", "en": "since {year}"},
    "label.band": {"vi": "Nhóm", "en": "Band"},
    "label.no_data": {"vi": "Không có số liệu", "en": "No data"},
    "label.no_rank": {"vi": "Không xếp hạng", "en": "Not ranked"},
    "label.not_comparable": {"vi": "Không so sánh được", "en": "Not comparable"},
    "label.not_comparable_help": {
        "vi": "Phương pháp thay đổi: không so sánh giá trị trước và sau điểm gãy.",
        "en": "The method changed: values before and after the break are not comparable.",
    },
    "label.published_rank": {"vi": "Thứ hạng công bố", "en": "Published rank"},
    "label.computed_rank": {"vi": "Thứ hạng tính lại", "en": "Computed rank"},
    "label.computed_rank_note": {
        "vi": "* thứ hạng do Chỉ số tính từ điểm công bố",
        "en": "* rank computed by Chỉ số from the published scores",
    },
    "label.listing_order": {"vi": "Theo thứ tự công bố", "en": "Order of publication"},
    "label.derived_from": {
        "vi": "Quy đổi từ {n} đơn vị cũ",
        "en": "Derived from {n} former units",
        "en_one": "Derived from {n} former unit",
    },
    "label.derived": {"vi": "Số liệu quy đổi", "en": "Derived figure"},
    "label.approximate_boundaries": {"vi": "Ranh giới gần đúng", "en": "Approximate boundaries"},
    "label.source": {"vi": "Nguồn", "en": "Source"},
    "label.sources": {"vi": "Nguồn số liệu", "en": "Sources"},
    "label.source_line": {"vi": "Nguồn: {source}", "en": "Source: {source}"},
    "label.publisher": {"vi": "Cơ quan công bố", "en": "Publisher"},
    "label.method_notes": {"vi": "Ghi chú phương pháp", "en": "Method notes"},
    "label.definition": {"vi": "Định nghĩa", "en": "Definition"},
    "label.unit": {"vi": "Đơn vị tính", "en": "Unit"},
    "label.direction_higher": {"vi": "Càng cao càng tốt", "en": "Higher is better"},
    "label.direction_lower": {"vi": "Càng thấp càng tốt", "en": "Lower is better"},
    "label.series_break": {"vi": "Gãy chuỗi", "en": "Series break"},
    "label.series_break_year": {"vi": "Gãy chuỗi {year}", "en": "Series break {year}"},
    "label.national_average": {"vi": "Trung bình cả nước", "en": "National average"},
    "label.region_average": {"vi": "Trung bình vùng", "en": "Region average"},
    "label.parent_average": {"vi": "Trung bình trong tỉnh", "en": "Province average"},
    "label.comparator_value": {"vi": "{label}: {value}", "en": "{label}: {value}"},
    "label.leader": {"vi": "Dẫn đầu", "en": "Leader"},
    "label.leader_named": {"vi": "Dẫn đầu: {name}", "en": "Leader: {name}"},
    "label.gap_to_leader": {"vi": "Cách dẫn đầu", "en": "Gap to the leader"},
    "label.home": {"vi": "Địa phương của tôi", "en": "Home locality"},
    "label.selected": {"vi": "Đang chọn", "en": "Selected"},
    "label.others": {"vi": "Các địa phương khác", "en": "Other localities"},
    "label.year": {"vi": "Năm", "en": "Year"},
    "label.name": {"vi": "Tên", "en": "Name"},
    "label.locality": {"vi": "Địa phương", "en": "Locality"},
    "label.indicator": {"vi": "Chỉ số", "en": "Indicator"},
    "label.level": {"vi": "Cấp", "en": "Level"},
    "label.scope": {"vi": "Phạm vi", "en": "Scope"},
    "label.region": {"vi": "Vùng", "en": "Region"},
    "label.component": {"vi": "Thành phần", "en": "Component"},
    "label.status_alternative": {"vi": "Số liệu khác (đang đối chiếu)", "en": "Alternative figure (under review)"},
    "label.up": {"vi": "tăng", "en": "up"},
    "label.down": {"vi": "giảm", "en": "down"},
    "label.unchanged": {"vi": "không đổi", "en": "unchanged"},
    "label.table_view": {"vi": "Xem dạng bảng", "en": "Show as a table"},
    "label.chart_context": {"vi": "Về biểu đồ này", "en": "About this chart"},
    "label.link": {"vi": "Liên kết", "en": "Link"},
    "label.former_units": {"vi": "Đơn vị cũ", "en": "Former units"},
    "label.successor": {"vi": "Đơn vị kế thừa", "en": "Successor"},
    # ------------------------------------------------------------------ table columns / downloads
    "col.unit_id": {"vi": "Mã đơn vị", "en": "Unit ID"},
    "col.code": {"vi": "Mã hành chính", "en": "Administrative code"},
    "col.name": {"vi": "Địa phương", "en": "Locality"},
    "col.short_name": {"vi": "Tên ngắn", "en": "Short name"},
    "col.year": {"vi": "Năm", "en": "Year"},
    "col.value": {"vi": "Giá trị", "en": "Value"},
    "col.rank": {"vi": "Hạng", "en": "Rank"},
    "col.of": {"vi": "Trên tổng số", "en": "Out of"},
    "col.official_rank": {"vi": "Hạng công bố", "en": "Published rank"},
    "col.official_of": {"vi": "Tổng số (công bố)", "en": "Out of (published)"},
    "col.display_rank": {"vi": "Hạng", "en": "Rank"},
    "col.display_of": {"vi": "Trên tổng số", "en": "Out of"},
    "col.rank_source": {"vi": "Nguồn thứ hạng", "en": "Rank source"},
    "col.band": {"vi": "Nhóm", "en": "Band"},
    "col.rank_change": {"vi": "Thay đổi hạng", "en": "Change in rank"},
    "col.value_change": {"vi": "Thay đổi giá trị", "en": "Change in value"},
    "col.comparable": {"vi": "So sánh được", "en": "Comparable"},
    "col.component_id": {"vi": "Mã thành phần", "en": "Component ID"},
    "col.national_mean": {"vi": "Trung bình cả nước", "en": "National average"},
    "col.leader_value": {"vi": "Giá trị dẫn đầu", "en": "Leader's value"},
    "col.gap_to_leader": {"vi": "Cách dẫn đầu", "en": "Gap to the leader"},
    "col.indicator_id": {"vi": "Mã chỉ số", "en": "Indicator ID"},
    "col.locality_in_source": {"vi": "Tên trong nguồn", "en": "Name in the source"},
    "col.source_url": {"vi": "Đường dẫn nguồn", "en": "Source URL"},
    "col.publisher": {"vi": "Cơ quan công bố", "en": "Publisher"},
    "col.note": {"vi": "Ghi chú", "en": "Note"},
    "col.status": {"vi": "Trạng thái", "en": "Status"},
    "col.rank_basis": {"vi": "Cơ sở thứ hạng", "en": "Rank basis"},
    "col.level": {"vi": "Cấp", "en": "Level"},
    "col.region_id": {"vi": "Vùng", "en": "Region"},
    "col.parent_id": {"vi": "Đơn vị cấp trên", "en": "Parent unit"},
    "col.n": {"vi": "Số đơn vị", "en": "Units"},
    "rank_source.published": {"vi": "Công bố", "en": "Published"},
    "rank_source.computed": {"vi": "Tính lại", "en": "Computed"},
    "bool.yes": {"vi": "Có", "en": "Yes"},
    "bool.no": {"vi": "Không", "en": "No"},
    "meta.title": {"vi": "Tiêu đề", "en": "Title"},
    "meta.indicator": {"vi": "Chỉ số", "en": "Indicator"},
    "meta.level": {"vi": "Cấp", "en": "Level"},
    "meta.scope": {"vi": "Phạm vi", "en": "Scope"},
    "meta.year": {"vi": "Năm", "en": "Year"},
    "meta.unit": {"vi": "Đơn vị tính", "en": "Unit"},
    "meta.source": {"vi": "Nguồn", "en": "Source"},
    "meta.source_url": {"vi": "Đường dẫn", "en": "Link"},
    "meta.notes": {"vi": "Ghi chú", "en": "Notes"},
    "meta.generated": {"vi": "Ngày tạo", "en": "Generated"},
    "meta.product": {"vi": "Sản phẩm", "en": "Product"},
    "meta.sheet_data": {"vi": "Dữ liệu", "en": "Data"},
    # ------------------------------------------------------------------ downloads and export
    "download.csv": {"vi": "Tải CSV", "en": "Download CSV"},
    "download.xlsx": {"vi": "Tải Excel (XLSX)", "en": "Download Excel (XLSX)"},
    "download.png": {"vi": "Tải ảnh PNG", "en": "Download PNG"},
    "download.svg": {"vi": "Tải ảnh SVG", "en": "Download SVG"},
    "download.all": {"vi": "Tải toàn bộ dữ liệu", "en": "Download all data"},
    "download.help_csv": {
        "vi": "CSV mã UTF-8 có BOM để Excel hiển thị đúng tiếng Việt.",
        "en": "UTF-8 CSV with a BOM so Excel shows Vietnamese correctly.",
    },
    "export.title": {"vi": "Xuất ảnh cho báo chí", "en": "Export for the press"},
    "export.preset": {"vi": "Khổ ảnh", "en": "Format"},
    "export.preset_wide": {"vi": "Ngang 1920×1080", "en": "Wide 1920×1080"},
    "export.preset_square": {"vi": "Vuông 1080×1080", "en": "Square 1080×1080"},
    "export.preparing": {"vi": "Đang tạo ảnh…", "en": "Preparing the image…"},
    "export.failed": {
        "vi": "Không tạo được ảnh: {reason}",
        "en": "The image could not be created: {reason}",
    },
    # ------------------------------------------------------------------ chart texts
    "chart.axis_rank": {"vi": "Thứ hạng (1 = cao nhất)", "en": "Rank (1 = best)"},
    "chart.axis_value": {"vi": "Giá trị", "en": "Value"},
    "chart.axis_year": {"vi": "Năm", "en": "Year"},
    "chart.no_data_marker": {"vi": "Không có số liệu", "en": "No data"},
    "chart.rank_label": {"vi": "hạng {rank}", "en": "rank {rank}"},
    "chart.strip_others": {"vi": "Các địa phương khác", "en": "All other localities"},
    "chart.alt.ranking_bar": {
        "vi": "Biểu đồ thanh ngang: {title}. {n} địa phương xếp theo giá trị. "
        "Cao nhất: {top}. Thấp nhất: {bottom}.{highlight}{missing}",
        "en": "Horizontal bar chart: {title}. {n} localities sorted by value. "
        "Highest: {top}. Lowest: {bottom}.{highlight}{missing}",
    },
    "chart.alt.highlight": {"vi": " {name}: {value}, hạng {rank}.", "en": " {name}: {value}, rank {rank}."},
    "chart.alt.missing": {
        "vi": " {n} địa phương không có số liệu: {names}.",
        "en": " {n} localities have no data: {names}.",
        "en_one": " {n} locality has no data: {names}.",
    },
    "chart.alt.trend": {
        "vi": "Biểu đồ đường: {title}, {first}–{last}. {series}{breaks}",
        "en": "Line chart: {title}, {first}–{last}. {series}{breaks}",
    },
    "chart.alt.trend_series": {
        "vi": "{name}: {start} ({first}) đến {end} ({last}). ",
        "en": "{name}: {start} in {first} to {end} in {last}. ",
    },
    "chart.alt.breaks": {"vi": "Gãy chuỗi: {years}.", "en": "Series breaks: {years}."},
    "chart.alt.small_multiples": {
        "vi": "Nhóm biểu đồ nhỏ: {title}, mỗi ô một địa phương ({names}).",
        "en": "Small multiples: {title}, one panel per locality ({names}).",
    },
    "chart.alt.components": {
        "vi": "Biểu đồ thanh các chỉ số thành phần của {name}: {title}. So với trung bình cả nước "
        "và địa phương dẫn đầu. {details}",
        "en": "Bar chart of the components for {name}: {title}. Compared with the national average "
        "and the leader. {details}",
    },
    "chart.alt.strip": {
        "vi": "Biểu đồ vị trí: {title}. {n} địa phương từ {low} đến {high}.{highlight}",
        "en": "Position chart: {title}. {n} localities from {low} to {high}.{highlight}",
    },
    # ------------------------------------------------------------------ notices
    "notice.unit_ended": {
        "vi": "{name} đã kết thúc hoạt động ngày 30/6/2025 theo Nghị quyết sắp xếp đơn vị hành chính; "
        "đơn vị kế thừa: {successor}.",
        "en": "{name} ceased to exist on 30 June 2025 under the reorganisation of administrative units; "
        "its successor is {successor}.",
    },
    "notice.unit_ended_split": {
        "vi": "{name} đã kết thúc hoạt động ngày 30/6/2025; địa bàn được chia cho: {successors}.",
        "en": "{name} ceased to exist on 30 June 2025; its area was divided between {successors}.",
    },
    "notice.unit_new": {
        "vi": "{name} được thành lập từ ngày 1/7/2025 trên cơ sở: {former}.",
        "en": "{name} was formed on 1 July 2025 from {former}.",
    },
    "notice.derived_data": {
        "vi": "Số liệu trước năm 2025 của đơn vị mới được quy đổi từ các đơn vị cũ, chỉ để tham khảo.",
        "en": "Figures before 2025 for a new unit are derived from its former units and are indicative only.",
    },
    "notice.no_data_year": {
        "vi": "Chưa có số liệu {indicator} năm {year} cho {name}.",
        "en": "There is no {indicator} figure for {name} in {year}.",
    },
    "notice.not_published": {
        "vi": "{name} chưa công bố kết quả này.",
        "en": "{name} has not published this result.",
    },
    "notice.series_break": {
        "vi": "Từ năm {year}, phương pháp tính thay đổi: {note}",
        "en": "From {year} the method changed: {note}",
    },
    "notice.computed_rank": {
        "vi": "Nguồn không công bố thứ hạng; thứ hạng được tính từ điểm số công bố.",
        "en": "The source publishes no rank; ranks are computed from the published scores.",
    },
    "notice.rank_mismatch": {
        "vi": "Thứ hạng công bố ({published}) khác thứ hạng tính lại ({computed}).",
        "en": "The published rank ({published}) differs from the computed rank ({computed}).",
    },
    "notice.alternative_figure": {
        "vi": "Có số liệu khác cho cùng chỉ số và năm: {value} ({source}).",
        "en": "Another figure exists for the same indicator and year: {value} ({source}).",
    },
    "notice.approximate_boundaries": {
        "vi": "Ranh giới trên bản đồ là gần đúng, không có giá trị pháp lý.",
        "en": "Boundaries on the map are approximate and have no legal standing.",
    },
    # ------------------------------------------------------------------ errors
    "error.mixed_levels": {
        "vi": "Không thể so sánh các địa phương khác cấp. Hãy chọn các đơn vị cùng cấp.",
        "en": "Localities of different levels cannot be compared. Pick units of one level.",
    },
    "error.compare_count": {
        "vi": "Hãy chọn từ {min} đến {max} địa phương.",
        "en": "Pick between {min} and {max} localities.",
    },
    "error.unknown_locality": {
        "vi": "Không tìm thấy địa phương “{name}”.",
        "en": "No locality called “{name}” was found.",
    },
    "error.did_you_mean": {"vi": "Có phải bạn muốn tìm: {candidates}?", "en": "Did you mean: {candidates}?"},
    "error.no_indicator_data": {
        "vi": "Chưa có số liệu cho chỉ số này.",
        "en": "There are no figures for this indicator yet.",
    },
    "error.import_failed": {
        "vi": "Không nhập được tệp: {reason}",
        "en": "The file could not be imported: {reason}",
    },
    # ------------------------------------------------------------------ dashboard (pages, issue 5)
    "app.error_unexpected": {
        "vi": "Đã có lỗi khi hiển thị phần này. Hãy tải lại trang hoặc chọn lại; nếu lỗi còn, xin báo cho nhóm Chỉ số.",
        "en": "Something went wrong while showing this part. Reload the page or change a choice; "
        "if it persists, please tell the Chỉ số team.",
    },
    "app.no_database": {
        "vi": "Chưa có cơ sở dữ liệu. Hãy chạy lệnh `chiso build` rồi tải lại trang.",
        "en": "The database is missing. Run `chiso build`, then reload the page.",
    },
    "app.settings": {"vi": "Lựa chọn", "en": "Settings"},
    "app.page_settings": {"vi": "Lựa chọn của trang", "en": "Choices on this page"},
    "app.presentation_note": {
        "vi": "Chế độ trình chiếu: các bộ chọn đã ẩn. Bỏ tham số presentation khỏi liên kết để hiện lại.",
        "en": "Presentation view: pickers are hidden. Remove the presentation parameter from the link to show them.",
    },
    "app.data_as_of": {"vi": "Dữ liệu cập nhật {date}", "en": "Data as of {date}"},
    "app.vintage_2025_suffix": {"vi": "từ 1/7/2025", "en": "from 1 Jul 2025"},
    "label.rank_kind_published": {"vi": "thứ hạng công bố", "en": "published rank"},
    "label.rank_kind_computed": {"vi": "thứ hạng tính lại từ điểm công bố", "en": "rank computed from published scores"},
    "label.rank_kind_listing": {"vi": "theo thứ tự công bố", "en": "by listing order"},
    "label.rank_of_year": {"vi": "trên {n} {units} năm {year}", "en": "out of {n} {units} in {year}"},
    "label.score_change_beside": {"vi": "Điểm {change} so với {year}", "en": "Score {change} since {year}"},
    "label.rank_change_beside": {"vi": "Hạng {change} so với {year}", "en": "Rank {change} since {year}"},
    "label.no_previous": {"vi": "Chưa có năm trước để so sánh", "en": "No earlier year to compare with"},
    "label.with_data": {"vi": "{n}/{of} địa phương có số liệu", "en": "{n}/{of} localities with data"},
    "label.computed_average": {
        "vi": "Trung bình tính từ {n} địa phương có số liệu",
        "en": "Average computed over the {n} localities with data",
    },
    "label.published_average": {"vi": "Trung bình do nguồn công bố", "en": "Average stated by the source"},
    "label.kind": {"vi": "Loại số liệu", "en": "Kind of figure"},
    "label.kind_published": {"vi": "Công bố", "en": "Published"},
    "label.kind_computed": {"vi": "Tính lại", "en": "Computed"},
    "label.conflict": {"vi": "Có số liệu khác nhau giữa các nguồn", "en": "Sources disagree on this figure"},
    "label.conflict_values": {"vi": "Xem các số liệu khác nhau", "en": "Show the differing figures"},
    "label.open_profile": {"vi": "Mở hồ sơ {name}", "en": "Open the profile of {name}"},
    "label.quartile": {"vi": "Nhóm tứ phân vị", "en": "Quartile"},
    "label.quartile_n": {"vi": "Tứ phân vị {q}", "en": "Quartile {q}"},
    "label.all_years": {"vi": "Mọi năm", "en": "All years"},
    "label.latest_year": {"vi": "Năm gần nhất có số liệu: {year}", "en": "Latest year with data: {year}"},
    "label.indicators_for": {"vi": "Các chỉ số của {name}", "en": "Indicators for {name}"},
    "label.summary": {"vi": "Tóm tắt", "en": "Summary"},
    "label.export_png_wide": {"vi": "PNG ngang 1920×1080", "en": "PNG wide 1920×1080"},
    "label.export_png_square": {"vi": "PNG vuông 1080×1080", "en": "PNG square 1080×1080"},
    "label.export_svg": {"vi": "SVG (in ấn)", "en": "SVG (print)"},
    "label.downloads": {"vi": "Tải xuống", "en": "Downloads"},
    "label.region_averages": {"vi": "Trung bình theo vùng", "en": "Averages by region"},
    "label.benchmarks": {"vi": "So sánh với mức chung", "en": "Benchmarks"},
    "label.n_units": {"vi": "Số địa phương có số liệu", "en": "Localities with data"},
    "label.unit_type": {"vi": "Loại đơn vị", "en": "Unit type"},
    "label.vintage": {"vi": "Danh mục", "en": "Unit list"},
    "label.valid_to": {"vi": "Hoạt động đến", "en": "Existed until"},
    "label.valid_from": {"vi": "Thành lập từ", "en": "Formed on"},
    "label.relation": {"vi": "Quan hệ", "en": "Relation"},
    "label.derived_note": {
        "vi": "Quy đổi từ các đơn vị cũ (trung bình theo diện tích, hoặc trung bình giản đơn; chỉ khi mọi đơn vị cũ "
        "có số liệu); không phải số liệu công bố.",
        "en": "Derived from the former units (area-weighted or simple mean, only when every former unit has a "
        "figure); not a published figure.",
    },
    "label.n_former": {"vi": "Số đơn vị cũ", "en": "Former units"},
    "label.n_former_with_data": {"vi": "Đơn vị cũ có số liệu", "en": "Former units with data"},
    "label.coverage_cell": {"vi": "{n}/{of}", "en": "{n}/{of}"},
    "label.rank_check_ok": {
        "vi": "Mọi thứ hạng công bố khớp với thứ hạng tính lại trên các bảng đầy đủ.",
        "en": "Every published rank matches the computed rank on complete tables.",
    },
    "label.computed_vs_published": {"vi": "Tính lại / công bố", "en": "Computed / published"},
    "label.sort_rank": {"vi": "Thứ hạng", "en": "Rank"},
    "label.sort_name": {"vi": "Tên (A–Z)", "en": "Name (A–Z)"},
    "label.sort_change": {"vi": "Thay đổi thứ hạng", "en": "Change in rank"},
    "label.sort_value": {"vi": "Giá trị", "en": "Value"},
    "label.show_missing": {"vi": "Hiện cả địa phương không có số liệu", "en": "Show localities without data"},
    "label.children_none": {"vi": "Không có đơn vị trực thuộc trong danh mục.", "en": "No units within it in the registry."},
    "label.components_none": {
        "vi": "Nguồn không công bố chỉ số thành phần của {name} năm {year}.",
        "en": "The source publishes no components for {name} in {year}.",
    },
    "label.findings_none": {"vi": "Chưa có nhận định cho lựa chọn này.", "en": "No findings for this choice yet."},
    "label.map_pending": {
        "vi": "Bản đồ sẽ hiển thị ở đây khi lớp ranh giới sẵn sàng.",
        "en": "The map will appear here once the boundary layers are ready.",
    },
    "label.comparators": {"vi": "Mức so sánh", "en": "Comparators"},
    "label.new_unit": {"vi": "Đơn vị mới", "en": "New unit"},
    "label.old_unit": {"vi": "Đơn vị cũ", "en": "Former unit"},
    "label.legacy_values": {"vi": "Số liệu cũ quy về đơn vị mới", "en": "Legacy figures on the new units"},
    "label.year_range": {"vi": "{first}–{last}", "en": "{first}–{last}"},
    "label.dataset": {"vi": "Bộ dữ liệu", "en": "Data set"},
    "label.rows": {"vi": "{n} dòng", "en": "{n} rows", "en_one": "{n} row"},
    "label.home_marker": {"vi": "(địa phương của tôi)", "en": "(home)"},
    "page.overview.intro": {
        "vi": "{indicator} năm {year}: {name} và {n} {units} được xếp hạng.",
        "en": "{indicator} {year}: {name} and the {n} {units} ranked.",
    },
    "page.overview.home_card": {"vi": "{name} · {indicator} {year}", "en": "{name} · {indicator} {year}"},
    "page.overview.distribution": {"vi": "Vị trí giữa các địa phương", "en": "Where it stands"},
    "page.overview.map": {"vi": "Bản đồ", "en": "Map"},
    "page.rankings.table": {"vi": "Bảng xếp hạng", "en": "Ranking table"},
    "page.rankings.chart": {"vi": "Biểu đồ theo giá trị", "en": "Chart by value"},
    "page.rankings.within": {"vi": "Trong {name}", "en": "Within {name}"},
    "page.profile.trends": {"vi": "Giá trị và thứ hạng qua các năm", "en": "Value and rank over the years"},
    "page.profile.all_indicators": {"vi": "Mọi chỉ số, năm gần nhất", "en": "Every indicator, latest year"},
    "page.profile.sources": {"vi": "Nguồn của các số liệu trên trang", "en": "Sources of the figures on this page"},
    "page.compare.lines": {"vi": "Đường xu hướng", "en": "Lines"},
    "page.compare.small_multiples": {"vi": "Từng địa phương", "en": "One panel per locality"},
    "page.compare.components": {"vi": "Chỉ số thành phần", "en": "Components"},
    "page.compare.table": {"vi": "Bảng so sánh", "en": "Comparison table"},
    "page.within.no_province_data": {
        "vi": "{name} chưa công bố kết quả {indicator} cho các đơn vị trực thuộc.",
        "en": "{name} has not published {indicator} results for the units within it.",
    },
    "page.within.indicators_none": {
        "vi": "Chưa có chỉ số cấp huyện hoặc cấp xã nào cho {name}. Hiện có số liệu cho: {others}.",
        "en": "There is no district- or commune-level index for {name} yet. Figures exist for: {others}.",
    },
    "page.reorg.intro": {
        "vi": "Từ ngày 1/7/2025, 63 tỉnh, thành phố được sắp xếp thành 34; cấp huyện kết thúc; 10.035 xã, phường còn 3.321.",
        "en": "From 1 July 2025 the 63 provinces became 34, the district level ended, and 10,035 communes "
        "became 3,321.",
    },
    "page.reorg.pick_new": {"vi": "Đơn vị mới", "en": "New unit"},
    "page.reorg.unchanged": {"vi": "{name} giữ nguyên, không sáp nhập.", "en": "{name} was not merged."},
    "page.reorg.formed_from": {"vi": "Hợp thành từ", "en": "Formed from"},
    "page.reorg.communes": {"vi": "Xã, phường mới và đơn vị cũ", "en": "New communes and their former units"},
    "page.reorg.all_provinces": {"vi": "34 tỉnh, thành phố mới", "en": "The 34 new provinces"},
    "page.data.indicators": {"vi": "Các chỉ số", "en": "Indicators"},
    "page.data.downloads": {"vi": "Tải toàn bộ dữ liệu", "en": "Download everything"},
    "page.data.all_observations": {"vi": "Mọi số liệu (tất cả chỉ số)", "en": "Every figure (all indicators)"},
    "page.data.editions": {"vi": "Các kỳ công bố", "en": "Editions"},
    "page.data.published_date": {"vi": "Ngày công bố", "en": "Published"},
    "page.data.n_ranked": {"vi": "Số đơn vị xếp hạng", "en": "Units ranked"},
    "page.data.published_top": {"vi": "Chỉ công bố nhóm đầu", "en": "Only the top published"},
    "page.data.agreement": {"vi": "Mức khớp thứ hạng", "en": "Rank agreement"},
    "col.n_values": {"vi": "Số giá trị", "en": "Values"},
    "col.n_ranks": {"vi": "Số thứ hạng công bố", "en": "Published ranks"},
    "col.n_ranked": {"vi": "Số đơn vị xếp hạng", "en": "Units ranked"},
    "col.coverage": {"vi": "Mức độ phủ", "en": "Coverage"},
    "col.computed_rank": {"vi": "Hạng tính lại", "en": "Computed rank"},
    "col.published_rank": {"vi": "Hạng công bố", "en": "Published rank"},
    "col.region": {"vi": "Vùng", "en": "Region"},
    "col.average": {"vi": "Trung bình", "en": "Average"},
    "col.kind": {"vi": "Loại", "en": "Kind"},
    "col.former_units": {"vi": "Đơn vị cũ", "en": "Former units"},
    "col.successor": {"vi": "Đơn vị kế thừa", "en": "Successor"},
    "col.type": {"vi": "Loại đơn vị", "en": "Unit type"},
    "col.indicator": {"vi": "Chỉ số", "en": "Indicator"},
    "col.quartile": {"vi": "Tứ phân vị", "en": "Quartile"},
    "col.percentile": {"vi": "Bách phân vị", "en": "Percentile"},
    "col.prev_year": {"vi": "Năm so sánh", "en": "Compared with"},
    "col.has_conflict": {"vi": "Nguồn khác nhau", "en": "Sources disagree"},
    "col.value_url": {"vi": "Nguồn giá trị", "en": "Value source"},
    "col.rank_url": {"vi": "Nguồn thứ hạng", "en": "Rank source link"},
    "col.derived_value": {"vi": "Giá trị quy đổi", "en": "Derived value"},
    "col.n_with_data": {"vi": "Có số liệu", "en": "With data"},
    "col.n_former": {"vi": "Số đơn vị cũ", "en": "Former units"},
    "relation.merged": {"vi": "Sáp nhập", "en": "Merged"},
    "relation.split": {"vi": "Chia tách", "en": "Split"},
    "relation.level_abolished": {"vi": "Bỏ cấp huyện", "en": "District level abolished"},
    "relation.renamed_or_kept": {"vi": "Giữ nguyên hoặc đổi tên", "en": "Kept or renamed"},
    "label.changes_since": {"vi": "Thay đổi so với năm {year}", "en": "Changes since {year}"},
    "label.ranks_only": {"vi": "hạng", "en": "ranks"},
    "page.data.coverage_legend": {
        "vi": "n/N: số địa phương có giá trị trên số đơn vị được xếp hạng; (hạng): chỉ có thứ hạng công bố, không có điểm.",
        "en": "n/N: localities with a value out of the units ranked; (ranks): only published ranks, no scores.",
    },
    "col.n_published": {"vi": "Số hạng công bố", "en": "Published ranks"},
    "col.n_agree": {"vi": "Khớp", "en": "Agree"},
    "col.n_disagree": {"vi": "Không khớp", "en": "Disagree"},
    "col.locality": {"vi": "Địa phương", "en": "Locality"},
    "col.published_top": {"vi": "Chỉ công bố nhóm đầu", "en": "Only the top published"},
    "label.national_median": {"vi": "Trung vị cả nước", "en": "National median"},
    "label.last_place": {"vi": "Cuối bảng", "en": "Last place"},
    "label.partial_table": {
        "vi": "Chỉ {n}/{of} địa phương có số liệu: trung bình tính lại chỉ mang tính tham khảo và không dùng làm mức so sánh.",
        "en": "Only {n} of {of} localities have data: a computed average is indicative only and is not used as a benchmark.",
    },
    # ---- new strings: figures
    "meta.filter": {"vi": "Lọc", "en": "Filter"},
    "meta.sheet_about": {"vi": "Thông tin", "en": "About"},
    "meta.file": {"vi": "Tệp", "en": "File"},
    "meta.columns": {"vi": "Các cột", "en": "Columns"},
    "rank_basis.published": {"vi": "Hạng công bố", "en": "Published rank"},
    "rank_basis.listing_order": {"vi": "Thứ tự trong danh sách công bố", "en": "Order of the published list"},
    "status.primary": {"vi": "Số liệu chính", "en": "Primary figure"},
    "status.alternative": {"vi": "Số liệu khác (nguồn mâu thuẫn)", "en": "Alternative figure (sources disagree)"},
    "download.csv_zip": {"vi": "CSV kèm mô tả (.zip)", "en": "CSV with description (.zip)"},
    "filter.region": {"vi": "Vùng: {name}", "en": "Region: {name}"},
    "filter.unit_type": {"vi": "Loại đơn vị: {name}", "en": "Unit type: {name}"},
}


def _placeholders(template: str) -> set[str]:
    return {name for _, name, _, _ in string.Formatter().parse(template) if name}


def t(key: str, lang: str, **kwargs) -> str:
    """Return the string ``key`` in ``lang`` with ``kwargs`` filled in.

    Raises KeyError for an unknown key, an unknown language or a missing placeholder value.
    When ``n=1`` is passed and a ``"<lang>_one"`` variant exists, the singular variant is used.
    """
    entry = STRINGS[key]
    if lang not in LANGS:
        raise KeyError(f"unsupported language {lang!r}")
    template = entry[lang]
    if kwargs.get("n") == 1 and f"{lang}_one" in entry:
        template = entry[f"{lang}_one"]
    return template.format(**kwargs) if kwargs or _placeholders(template) else template


def has(key: str) -> bool:
    return key in STRINGS


def t_or(key: str, lang: str, default: str, **kwargs) -> str:
    """Like :func:`t` but return ``default`` for an unknown key (used for optional column headers)."""
    if key not in STRINGS:
        return default
    return t(key, lang, **kwargs)


def other_lang(lang: str) -> str:
    return "en" if lang == "vi" else "vi"


# ------------------------------------------------------------------ editors: sign-in and the import page (issue 6)
STRINGS.update({
    "auth.editor_sign_in": {"vi": "Đăng nhập biên tập viên", "en": "Editor sign-in"},
    "auth.your_name": {"vi": "Họ tên", "en": "Your name"},
    "auth.your_name_help": {
        "vi": "Ghi vào nhật ký nhập dữ liệu cùng mỗi lần nhập hoặc hoàn tác.",
        "en": "Recorded in the import log with every import or undo.",
    },
    "auth.password": {"vi": "Mật khẩu biên tập", "en": "Editor password"},
    "auth.sign_in": {"vi": "Đăng nhập", "en": "Sign in"},
    "auth.sign_in_oidc": {"vi": "Đăng nhập biên tập viên", "en": "Editor sign-in"},
    "auth.sign_out": {"vi": "Đăng xuất", "en": "Sign out"},
    "auth.signed_in_as": {"vi": "Biên tập viên: {name}", "en": "Editor: {name}"},
    "auth.not_an_editor": {
        "vi": "Đã đăng nhập: {name} — tài khoản này không có quyền biên tập.",
        "en": "Signed in as {name} — this account is not an editor.",
    },
    "auth.wrong_password": {"vi": "Sai mật khẩu.", "en": "Wrong password."},
    "auth.name_required": {"vi": "Hãy nhập họ tên.", "en": "Please enter your name."},
    "auth.locked": {
        "vi": "Quá nhiều lần thử. Hãy thử lại sau {seconds} giây.",
        "en": "Too many attempts. Try again in {seconds} s.",
    },
    "auth.editors_only": {
        "vi": "Trang này chỉ dành cho biên tập viên đã đăng nhập.",
        "en": "This page is for signed-in editors only.",
    },
    "page.import.intro": {
        "vi": "Tải lên một tệp CSV hoặc Excel (.xlsx): bảng dài (mỗi dòng một số liệu) hoặc bảng chính thức "
        "(mỗi dòng một địa phương, có cột điểm và xếp hạng). Hệ thống kiểm tra từng dòng và không ghi gì "
        "cho đến khi bạn bấm **Nhập**. Mọi lần nhập đều được ghi nhật ký và có thể hoàn tác.",
        "en": "Upload a CSV or Excel (.xlsx) file: a long table (one figure per row) or an official table (one "
        "row per locality with score and rank columns). Every row is checked and nothing is written until you "
        "press **Import**. Every import is logged and can be undone.",
    },
    "page.import.file": {"vi": "Tệp số liệu", "en": "Data file"},
    "page.import.file_help": {
        "vi": "CSV (UTF-8, UTF-16 hoặc Windows-1258; dấu phân cách , ; hoặc Tab) hoặc Excel .xlsx.",
        "en": "CSV (UTF-8, UTF-16 or Windows-1258; separated by , ; or Tab) or an Excel .xlsx workbook.",
    },
    "page.import.limits": {
        "vi": "Giới hạn: tối đa {mb} MB, {rows} dòng, {cols} cột.",
        "en": "Limits: at most {mb} MB, {rows} rows, {cols} columns.",
    },
    "page.import.too_big": {
        "vi": "Tệp lớn hơn {mb} MB nên không được nhận. Hãy tách thành nhiều tệp nhỏ hơn.",
        "en": "The file is larger than {mb} MB and was refused. Split it into smaller files.",
    },
    "page.import.options": {"vi": "Tùy chọn (bảng chính thức)", "en": "Options (official tables)"},
    "page.import.options_help": {
        "vi": "Chỉ cần khi tệp không tự cho biết chỉ số, năm hoặc tỉnh (ví dụ bảng chính thức không có tiêu đề rõ).",
        "en": "Only needed when the file does not say its indicator, year or province (e.g. an official table "
        "without a clear title).",
    },
    "page.import.auto": {"vi": "Tự nhận biết", "en": "Detect"},
    "page.import.indicator": {"vi": "Chỉ số", "en": "Indicator"},
    "page.import.year": {"vi": "Năm", "en": "Year"},
    "page.import.within": {"vi": "Trong tỉnh", "en": "Within province"},
    "page.import.within_help": {
        "vi": "Với chỉ số cấp huyện/xã/sở của một tỉnh: tỉnh công bố bảng.",
        "en": "For a district, ward or department index of one province: the province that published it.",
    },
    "page.import.source_url": {"vi": "Nguồn (liên kết)", "en": "Source (link)"},
    "page.import.source_url_help": {
        "vi": "Địa chỉ trang công bố, dùng khi tệp không có cột nguồn.",
        "en": "The address of the publication, used when the file has no source column.",
    },
    "page.import.replace": {"vi": "Thay thế số liệu đã có", "en": "Replace existing figures"},
    "page.import.replace_help": {
        "vi": "Khi bật, số liệu khác với cơ sở dữ liệu sẽ thay thế số liệu cũ (có thể hoàn tác). Khi tắt, đó là lỗi.",
        "en": "When on, figures that differ from the database replace them (can be undone). When off, that is "
        "an error.",
    },
    "page.import.sheet": {"vi": "Trang tính", "en": "Sheet"},
    "page.import.sheet_help": {
        "vi": "Tệp Excel có nhiều trang tính: chọn trang chứa bảng.",
        "en": "The workbook has several sheets: choose the one with the table.",
    },
    "page.import.checking": {"vi": "Đang kiểm tra tệp…", "en": "Checking the file…"},
    "page.import.confirm_names": {"vi": "Xác nhận tên địa phương", "en": "Confirm locality names"},
    "page.import.confirm_help": {
        "vi": "Các tên sau không khớp chính xác; hệ thống đề xuất đơn vị gần nhất. Đánh dấu từng tên nếu đúng; "
        "nếu sai, hãy sửa tên trong tệp.",
        "en": "These names do not match exactly; the closest unit is proposed. Tick each one that is right; if "
        "one is wrong, correct the name in the file.",
    },
    "page.import.confirm_one": {
        "vi": "“{name}” là **{unit}** ({unit_id}) — dòng {rows}",
        "en": "“{name}” is **{unit}** ({unit_id}) — rows {rows}",
    },
    "page.import.confirm_first": {
        "vi": "Còn {n} tên địa phương cần xác nhận trước khi nhập.",
        "en": "{n} locality names still need your confirmation before importing.",
        "en_one": "{n} locality name still needs your confirmation before importing.",
    },
    "page.import.preview": {"vi": "Xem trước và kiểm tra", "en": "Preview and checks"},
    "page.import.f_file": {"vi": "Tệp", "en": "File"},
    "page.import.f_sha": {"vi": "SHA-256", "en": "SHA-256"},
    "page.import.f_format": {"vi": "Định dạng", "en": "Format"},
    "page.import.f_sheet": {"vi": "Trang tính", "en": "Sheet"},
    "page.import.f_header": {"vi": "Dòng tiêu đề", "en": "Header row"},
    "page.import.f_table": {"vi": "Chỉ số · năm của bảng", "en": "Table indicator · year"},
    "page.import.m_rows": {"vi": "Dòng số liệu", "en": "Figures"},
    "page.import.m_new": {"vi": "Mới", "en": "New"},
    "page.import.m_replace": {"vi": "Thay thế", "en": "Replacing"},
    "page.import.m_unchanged": {"vi": "Đã có, giữ nguyên", "en": "Already there"},
    "page.import.n_errors": {
        "vi": "Có {n} lỗi: chưa thể nhập. Hãy sửa tệp theo cột “Cách sửa” rồi tải lên lại.",
        "en": "{n} problems: the file cannot be imported yet. Fix the file as the “Fix” column says and upload "
        "it again.",
        "en_one": "{n} problem: the file cannot be imported yet. Fix the file as the “Fix” column says and upload "
        "it again.",
    },
    "page.import.valid": {"vi": "Tệp hợp lệ.", "en": "The file is valid."},
    "page.import.n_warnings": {"vi": "{n} lưu ý (không chặn việc nhập).", "en": "{n} notes (they do not block the import).",
                               "en_one": "{n} note (it does not block the import)."},
    "page.import.names": {"vi": "Cách nhận diện {n} tên địa phương", "en": "How {n} locality names were matched",
                          "en_one": "How {n} locality name was matched"},
    "page.import.nothing_to_do": {
        "vi": "{file}: mọi số liệu trong tệp đã có trong cơ sở dữ liệu; không có gì để nhập.",
        "en": "{file}: every figure in the file is already in the database; nothing to import.",
    },
    "page.import.commit": {"vi": "Nhập {n} dòng", "en": "Import {n} rows", "en_one": "Import {n} row"},
    "page.import.committing": {"vi": "Đang nhập…", "en": "Importing…"},
    "page.import.commit_refused": {
        "vi": "Chưa nhập: cơ sở dữ liệu đã thay đổi từ lúc kiểm tra. Không có gì bị ghi.",
        "en": "Not imported: the database changed since the check. Nothing was written.",
    },
    "page.import.commit_failed": {
        "vi": "Thao tác không thành công; dữ liệu hiện có không thay đổi. Hãy thử lại hoặc báo cho nhóm Chỉ số.",
        "en": "The operation failed; the existing data is unchanged. Try again or tell the Chỉ số team.",
    },
    "page.import.done": {
        "vi": "Đã nhập: {added} dòng mới, {replaced} dòng được thay thế (mã nhập {id}).",
        "en": "Imported: {added} rows added, {replaced} replaced (import {id}).",
    },
    "page.import.history": {"vi": "Lịch sử nhập dữ liệu", "en": "Import history"},
    "page.import.no_history": {"vi": "Chưa có lần nhập nào.", "en": "No imports yet."},
    "page.import.status_committed": {"vi": "Đang hiệu lực", "en": "In effect"},
    "page.import.status_reverted": {"vi": "Đã hoàn tác", "en": "Reverted"},
    "page.import.status_pending": {"vi": "Dở dang", "en": "Pending"},
    "page.import.status_abandoned": {"vi": "Bị bỏ dở", "en": "Abandoned"},
    "page.import.revert_help": {
        "vi": "Hoàn tác một lần nhập sẽ khôi phục chính xác số liệu trước đó. Hoàn tác lần mới nhất trước.",
        "en": "Undoing an import restores exactly the figures it replaced. Undo the newest first.",
    },
    "page.import.revert": {"vi": "Hoàn tác", "en": "Revert"},
    "page.import.revert_confirm": {
        "vi": "Hoàn tác lần nhập {id}? {added} dòng sẽ bị xóa và {replaced} dòng cũ được khôi phục.",
        "en": "Revert import {id}? {added} rows will be removed and {replaced} earlier rows restored.",
    },
    "page.import.revert_yes": {"vi": "Có, hoàn tác", "en": "Yes, revert"},
    "page.import.revert_no": {"vi": "Không", "en": "Cancel"},
    "page.import.reverting": {"vi": "Đang hoàn tác…", "en": "Reverting…"},
    "page.import.reverted": {
        "vi": "Đã hoàn tác {id}: xóa {removed} dòng, khôi phục {restored} dòng.",
        "en": "Reverted {id}: {removed} rows removed, {restored} restored.",
    },
    "page.import.revert_refused": {"vi": "Không hoàn tác được: {reason}", "en": "Cannot revert: {reason}"},
    "col.import_severity": {"vi": "Mức", "en": "Severity"},
    "page.import.severity_error": {"vi": "Lỗi", "en": "Error"},
    "page.import.severity_warning": {"vi": "Lưu ý", "en": "Note"},
    "page.import.severity_confirm": {"vi": "Cần xác nhận", "en": "To confirm"},
    "col.import_row": {"vi": "Dòng", "en": "Row"},
    "col.import_column": {"vi": "Cột", "en": "Column"},
    "col.import_value": {"vi": "Giá trị", "en": "Value"},
    "col.import_problem": {"vi": "Vấn đề", "en": "Problem"},
    "col.import_fix": {"vi": "Cách sửa", "en": "Fix"},
    "col.import_field": {"vi": "Mục", "en": "Item"},
    "col.import_who": {"vi": "Người nhập", "en": "Who"},
    "col.import_when": {"vi": "Thời điểm", "en": "When"},
    "col.import_file": {"vi": "Tệp", "en": "File"},
    "col.import_sha256": {"vi": "SHA-256", "en": "SHA-256"},
    "col.import_added": {"vi": "Dòng thêm", "en": "Rows added"},
    "col.import_replaced": {"vi": "Dòng thay thế", "en": "Rows replaced"},
    "col.import_id": {"vi": "Mã nhập", "en": "Import id"},
    "col.import_status": {"vi": "Trạng thái", "en": "Status"},
    "col.import_reverted": {"vi": "Hoàn tác lúc · bởi", "en": "Reverted at · by"},
    "col.import_in_file": {"vi": "Tên trong tệp", "en": "Name in the file"},
    "col.import_unit": {"vi": "Đơn vị", "en": "Unit"},
    "col.import_unit_id": {"vi": "Mã đơn vị", "en": "Unit id"},
    "col.import_method": {"vi": "Cách khớp", "en": "Matched by"},
    "col.import_rows": {"vi": "Dòng", "en": "Rows"},
    "label.mirror_source": {
        "vi": "Bản sao không chính thức của {original} ({host}); xem ghi chú của số liệu",
        "en": "Unofficial copy of {original} ({host}); see the figure's note",
    },
})
