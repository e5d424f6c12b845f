"""Layers point one way: analytics never reaches up to figures/ui/pages/Streamlit, figures never
to ui/Streamlit, geo never to ui/figures. Read from the source (every import, also function-local
ones), so a lazy import cannot hide a wrong-way dependency."""

import ast
import importlib
import pkgutil

import pytest

from analytics.paths import ROOT

FORBIDDEN = {
    "analytics": ("ui", "figures", "pages", "app_pages", "streamlit", "benchmarks", "deploy"),
    "figures": ("ui", "pages", "app_pages", "streamlit", "benchmarks", "deploy"),
    "geo": ("ui", "figures", "pages", "app_pages", "streamlit", "benchmarks", "deploy"),
}


def _imported_modules(path):
    tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            for alias in node.names:
                yield node.lineno, alias.name
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            yield node.lineno, node.module


@pytest.mark.parametrize("package", sorted(FORBIDDEN))
def test_layer_never_imports_upwards(package):
    wrong = []
    for path in sorted((ROOT / package).rglob("*.py")):
        for lineno, module in _imported_modules(path):
            if module.split(".")[0] in FORBIDDEN[package]:
                wrong.append(f"{path.relative_to(ROOT)}:{lineno} imports {module}")
    assert not wrong, "\n".join(wrong)


def test_the_rule_is_checked_on_real_files():
    # guards the walk itself: an empty package list would make the test above vacuous
    for package in FORBIDDEN:
        assert len(list((ROOT / package).rglob("*.py"))) > 3, package


@pytest.mark.parametrize("package", ["analytics", "geo", "figures", "ui"])
def test_every_module_imports_on_its_own(package):
    # importing each module first-hand surfaces an import cycle as an ImportError
    root = importlib.import_module(package)
    for info in pkgutil.walk_packages(root.__path__, prefix=f"{package}."):
        importlib.import_module(info.name)
