"""The pages of the app (file, id for titles and help in analytics.i18n, icon, URL path, default), in menu order.

Data, not code: app.py builds the navigation from it, and the benchmark loads every page by its URL path."""

PAGES = [
    ("pages/overview.py", "overview", ":material/dashboard:", "", True),
    ("pages/rankings.py", "rankings", ":material/leaderboard:", "xep-hang", False),
    ("pages/profile.py", "profile", ":material/location_city:", "ho-so", False),
    ("pages/compare.py", "compare", ":material/compare_arrows:", "so-sanh", False),
    ("pages/within.py", "within", ":material/account_tree:", "trong-tinh", False),
    ("pages/reorganisation.py", "reorg", ":material/merge:", "sap-xep-2025", False),
    ("pages/data_sources.py", "data", ":material/database:", "du-lieu", False),
    ("pages/coverage.py", "coverage", ":material/grid_on:", "do-phu", False),
]
