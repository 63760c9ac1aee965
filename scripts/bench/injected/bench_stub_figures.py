"""Benchmark only (run inside a throwaway book): mark the charts as drawn for synthetic data.

The real SVGs are reused and the planner's hashes written to the index, so that a build redraws
nothing; build_figures itself then writes the CSVs and the index.
Usage: ``python bench_stub_figures.py RENDERED_FIGURES_DIR`` from the book's folder.
"""

import json
import shutil
import sys
from pathlib import Path

import build_figures as b
from figures.charts import plan
from macros.data import load

src, out = Path(sys.argv[1]), b.OUT
out.mkdir(parents=True, exist_ok=True)
book = load("data")
index = {}
for f in plan(book):
    for name in (f"{f.name}.svg", f"{f.name}-dark.svg"):
        if (src / name).exists():
            shutil.copy2(src / name, out / name)
    index[f.name] = {"hash": f.digest()}
(out / "index.json").write_text(json.dumps(index))
drawn = b.render_changed(book, jobs=1, quiet=True)
print(drawn)
