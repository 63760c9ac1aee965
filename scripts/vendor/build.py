"""Vendor the browser libraries into docs/assets/vendor/ from the pinned npm packages here.

    cd scripts/vendor && npm ci && cd ../.. && .venv/bin/python scripts/vendor/build.py

Observable Plot is bundled with the parts of d3 it uses (esbuild, minified, one IIFE defining
``window.Plot``); only the exports the site calls (``PLOT_EXPORTS``) are kept, which takes the file
from 385 KB to 245 KB; Tablesort's published files are copied as they are. ``VENDORED.json`` records
each file's version and sha256, and every bundled package's licence; ``LICENSES.txt`` holds
their licence texts. The site loads these files only; nothing comes from a CDN.
"""

from __future__ import annotations

import hashlib
import json
import re
import shutil
import subprocess
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
MODULES = HERE / "node_modules"
OUT = HERE.parent.parent / "docs" / "assets" / "vendor"
PLOT_EXPORTS = ("plot", "dot")  # what docs/assets/explorer.js calls


def version(package: str) -> str:
    return json.loads((MODULES / package / "package.json").read_text(encoding="utf-8"))["version"]


def licence_text(package: str) -> str:
    folder = MODULES / package
    for name in ("LICENSE", "LICENSE.md", "LICENSE.txt", "license", "LICENCE"):
        if (folder / name).exists():
            return (folder / name).read_text(encoding="utf-8")
    sys.exit(f"scripts/vendor: {package} ships no licence file")


def bundle_plot(folder: Path) -> list[str]:
    entry = HERE / ".plot-entry.js"
    entry.write_text(f'export {{{", ".join(PLOT_EXPORTS)}}} from "@observablehq/plot";\n', encoding="utf-8")
    meta = HERE / ".plot-meta.json"
    subprocess.run(
        [
            str(MODULES / ".bin" / "esbuild"),
            str(entry),
            "--bundle",
            "--minify",
            "--format=iife",
            "--global-name=Plot",
            "--legal-comments=eof",
            f"--metafile={meta}",
            f"--outfile={folder / 'plot.min.js'}",
        ],
        check=True,
        cwd=HERE,
    )
    inputs = json.loads(meta.read_text(encoding="utf-8"))["inputs"]
    entry.unlink()
    meta.unlink()
    found = {re.search(r"node_modules/((@[^/]+/)?[^/]+)/(?!.*node_modules)", i) for i in inputs}
    return sorted(m.group(1) for m in found if m)


def main() -> None:
    if not MODULES.exists():
        sys.exit("scripts/vendor: run `npm ci` in scripts/vendor first")
    shutil.rmtree(OUT, ignore_errors=True)
    plot_dir = OUT / f"plot-{version('@observablehq/plot')}"
    sort_dir = OUT / f"tablesort-{version('tablesort')}"
    plot_dir.mkdir(parents=True)
    sort_dir.mkdir(parents=True)
    bundled = {"plot": bundle_plot(plot_dir), "tablesort": ["tablesort"]}
    for name in ("tablesort.min.js", "sorts/tablesort.number.min.js"):
        shutil.copyfile(MODULES / "tablesort" / "dist" / name, sort_dir / Path(name).name)
    record, licences = {"note": __doc__.strip().splitlines()[0], "files": {}, "packages": {}}, []
    for path in sorted(OUT.rglob("*.js")):
        rel = path.relative_to(OUT).as_posix()
        record["files"][rel] = {"sha256": hashlib.sha256(path.read_bytes()).hexdigest(), "bytes": path.stat().st_size}
    for package in sorted({p for group in bundled.values() for p in group}):
        meta = json.loads((MODULES / package / "package.json").read_text(encoding="utf-8"))
        record["packages"][package] = {"version": meta["version"], "license": meta.get("license")}
        licences.append(
            f"== {package} {meta['version']} ({meta.get('license')}) ==\n\n{licence_text(package).strip()}\n"
        )
    (OUT / "VENDORED.json").write_text(json.dumps(record, indent=2) + "\n", encoding="utf-8")
    (OUT / "LICENSES.txt").write_text("\n".join(licences), encoding="utf-8")
    print(f"vendored {len(record['files'])} files from {len(record['packages'])} packages into {OUT}")


if __name__ == "__main__":
    main()
