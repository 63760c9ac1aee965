"""figures.figure: a chart's fingerprint covers its own module and the shared ones it imports, nothing else."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from figures import charts, figure

CHARTS = [chart.__name__ for chart in charts.CHARTS]


@pytest.fixture
def package(tmp_path: Path) -> Path:
    """A copy of the figures package to edit."""
    dest = tmp_path / "figures"
    shutil.copytree(figure.PACKAGE, dest, ignore=shutil.ignore_patterns("__pycache__"))
    return dest


def prints(package: Path) -> dict[str, str]:
    figure.fingerprint.cache_clear()
    return {name: figure.fingerprint(name, package) for name in CHARTS}


def append(path: Path, text: str) -> None:
    path.write_text(path.read_text(encoding="utf-8") + text, encoding="utf-8")


def test_every_chart_has_its_own_fingerprint(package):
    assert len(set(prints(package).values())) == len(CHARTS) == 11


def test_editing_one_chart_module_changes_only_its_fingerprint(package):
    before = prints(package)
    append(package / "isoflop.py", "# an edit\n")
    after = prints(package)
    assert {name for name in CHARTS if after[name] != before[name]} == {"figures.isoflop"}


def test_editing_a_shared_module_changes_every_chart_that_imports_it(package):
    before = prints(package)
    append(package / "style.py", "# an edit\n")
    assert all(prints(package)[name] != before[name] for name in CHARTS)


def test_editing_the_registry_changes_no_chart(package):
    before = prints(package)
    append(package / "__init__.py", "# an edit\n")
    assert prints(package) == before


def test_the_shared_modules_of_a_chart(package):
    names = {p.name for p in figure.shared_modules("figures.isoflop", package)}
    # isoflop imports drawing, common, figure, said and style; drawing imports style
    assert names == {"isoflop.py", "common.py", "drawing.py", "figure.py", "said.py", "style.py"}
    assert "__init__.py" not in {p.name for name in CHARTS for p in figure.shared_modules(name, package)}


def test_the_installed_matplotlib_is_part_of_it(package, monkeypatch):
    before = prints(package)
    monkeypatch.setattr(figure, "matplotlib_version", lambda: "matplotlib-0.0.dist-info")
    assert all(prints(package)[name] != before[name] for name in CHARTS)
    figure.fingerprint.cache_clear()


def test_the_import_forms_that_count(package):
    module = package / "new_chart.py"
    module.write_text(
        "from __future__ import annotations\n"
        "from macros import format as fmt\n"
        "from . import drawing as d, style  # two of them\n"
        "from .common import known\n"
        "from figures.figure import Figure\n"
        "from . import (\n    isoflop,  # a chart\n    missing,\n)\n"
        "    from .loss_curves import plan  # inside a function: counted too\n"
    )
    assert figure.package_imports(module, package) == {"drawing", "style", "common", "figure", "isoflop", "loss_curves"}
