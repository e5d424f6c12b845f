"""The pages of the app, defined once, in menu order: app.py builds the navigation from it, page links
(ui/notices.py) find a page's file by its id, and the tests and the benchmark load every page from it.

Data, not code: file, id for titles and help in analytics.i18n, icon, URL path, default."""

from __future__ import annotations

from typing import NamedTuple


class PageDef(NamedTuple):
    path: str
    id: str
    icon: str
    url_path: str
    default: bool


PAGES = [
    PageDef("pages/overview.py", "overview", ":material/dashboard:", "", True),
    PageDef("pages/rankings.py", "rankings", ":material/leaderboard:", "xep-hang", False),
    PageDef("pages/profile.py", "profile", ":material/location_city:", "ho-so", False),
    PageDef("pages/compare.py", "compare", ":material/compare_arrows:", "so-sanh", False),
    PageDef("pages/within.py", "within", ":material/account_tree:", "trong-tinh", False),
    PageDef("pages/reorganisation.py", "reorg", ":material/merge:", "sap-xep-2025", False),
    PageDef("pages/data_sources.py", "data", ":material/database:", "du-lieu", False),
    PageDef("pages/coverage.py", "coverage", ":material/grid_on:", "do-phu", False),
]

PAGE_PATH = {p.id: p.path for p in PAGES}  # page id → script file, for st.page_link
PAGE_FILES = [p.path for p in PAGES]
PAGE_URL = {p.id: "/" + p.url_path for p in PAGES}  # page id → URL path ("/" for the default page)
