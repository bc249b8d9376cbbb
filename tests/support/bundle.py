"""The field app's bundle as esbuild makes it now (package.json's "bundle" script, written to a
temporary file): the committed field_app/app.bundle.js must be the same bytes."""

from __future__ import annotations

import json
import shlex
import subprocess
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
ESBUILD = ROOT / "node_modules" / ".bin" / "esbuild"


def fresh_bundle(tmp: Path) -> bytes:
    script = json.loads((ROOT / "package.json").read_text(encoding="utf-8"))["scripts"]["bundle"]
    command, *args = shlex.split(script)
    assert command == "esbuild" and ESBUILD.exists(), "esbuild is missing: run `make install-test` (npm ci)"
    out = tmp / "app.bundle.js"
    args = [a for a in args if not a.startswith("--outfile=")] + [f"--outfile={out}", "--log-level=warning"]
    subprocess.run([str(ESBUILD), *args], cwd=ROOT, check=True, timeout=60)
    return out.read_bytes()
