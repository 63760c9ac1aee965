"""Benchmark only (run inside a throwaway book): one in-process build; prints whether matplotlib got imported.

Usage: ``python bench_no_change_probe.py SITE_DIR`` from the book's folder.
"""

import sys

from mkdocs.commands.build import build
from mkdocs.config import load_config

cfg = load_config("mkdocs.yml", site_dir=sys.argv[1])
cfg.plugins.on_startup(command="build", dirty=False)
build(cfg)
cfg.plugins.on_shutdown()
print("matplotlib" in sys.modules)
