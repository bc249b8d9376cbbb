"""Rewrite the rubrics embedded in rubrics/conformance/vectors.json from the TOML files.

    python -m server.rubrics.vectors          # rewrite
    python -m server.rubrics.vectors --check  # exit 1 when the embedded rubrics are stale

The cases are written by hand and kept as they are; only "rubrics" is regenerated (the
shipped rubrics and the test-only ones in rubrics/conformance/).
"""

import json
import sys
from pathlib import Path

from .client import rubric_to_client
from .loader import SHIPPED_DIR, load_rubric_file

VECTORS = SHIPPED_DIR / "conformance" / "vectors.json"


def vector_rubric_files() -> list[Path]:
    return sorted(SHIPPED_DIR.glob("*.toml")) + sorted((SHIPPED_DIR / "conformance").glob("*.toml"))


def embedded_rubrics() -> list[dict]:
    return [rubric_to_client(load_rubric_file(path)) for path in vector_rubric_files()]


def dumps(value, indent: str = "") -> str:
    """JSON with short arrays and objects on one line, longer ones one member per line."""
    flat = json.dumps(value, ensure_ascii=False)
    if len(flat) + len(indent) <= 110 or not isinstance(value, (dict, list)) or not value:
        return flat
    inner = indent + "  "
    if isinstance(value, dict):
        members = [f"{inner}{json.dumps(k, ensure_ascii=False)}: {dumps(v, inner).lstrip()}" for k, v in value.items()]
        return "{\n" + ",\n".join(members) + f"\n{indent}}}"
    return "[\n" + ",\n".join(inner + dumps(v, inner).lstrip() for v in value) + f"\n{indent}]"


def render(rubrics: list[dict], cases: list[dict]) -> str:
    return dumps({"rubrics": rubrics, "cases": cases}) + "\n"


def main(argv: list[str]) -> int:
    current = json.loads(VECTORS.read_text(encoding="utf-8"))
    text = render(embedded_rubrics(), current["cases"])
    if "--check" in argv:
        stale = text != VECTORS.read_text(encoding="utf-8")
        if stale:
            print(f"{VECTORS} is stale: run python -m server.rubrics.vectors", file=sys.stderr)
        return int(stale)
    VECTORS.write_text(text, encoding="utf-8")
    print(f"wrote {len(vector_rubric_files())} rubrics and {len(current['cases'])} cases to {VECTORS}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
