#!/usr/bin/env python3
"""Make sure Debian's Chromium (browser tests, PDF edition), poppler-utils (reading the PDF in
tests: pdftotext, pdftoppm) and Node.js (the compiled formulas' parity tests) are installed;
install them when root.

The tests must run, not skip: when a tool is missing and cannot be installed, this exits
non-zero and `make test` stops.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys

CHROMIUM = "/usr/bin/chromium"
# Debian package -> the file it must provide.
NEEDED = {"chromium": CHROMIUM, "poppler-utils": "/usr/bin/pdftotext", "nodejs": "/usr/bin/node"}


def main() -> int:
    missing = [pkg for pkg, path in NEEDED.items() if not os.path.exists(path)]
    if not missing:
        return 0
    if os.geteuid() != 0 or not shutil.which("apt-get"):
        print(
            f"error: missing {', '.join(NEEDED[p] for p in missing)}; install Debian's {' '.join(missing)} (apt-get install)",
            file=sys.stderr,
        )
        return 1
    print(f"installing Debian's {' '.join(missing)} for the tests ...", file=sys.stderr)
    env = {**os.environ, "DEBIAN_FRONTEND": "noninteractive"}
    for cmd in (
        ["apt-get", "update", "-qq"],
        ["apt-get", "install", "-y", "-qq", "--no-install-recommends", *missing],
    ):
        if subprocess.run(cmd, env=env, stdout=subprocess.DEVNULL).returncode != 0:
            print(f"error: {' '.join(cmd)} failed", file=sys.stderr)
            return 1
    return 0 if all(os.path.exists(path) for path in NEEDED.values()) else 1


if __name__ == "__main__":
    sys.exit(main())
