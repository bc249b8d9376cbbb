"""Reading rubric files: one TOML file per rubric version, `<id>.v<version>.toml`."""

import tomllib
from pathlib import Path

from pydantic import ValidationError

from .checks import reference_problems, structure_problems
from .model import Rubric

SHIPPED_DIR = Path(__file__).resolve().parents[2] / "rubrics"


class RubricFileError(ValueError):
    """A rubric file that cannot be used; `errors` lists every problem, one line each."""

    def __init__(self, errors: list[str]):
        super().__init__("\n".join(errors))
        self.errors = errors


def load_rubric_file(path) -> Rubric:
    path = Path(path)
    name = path.name
    try:
        raw = tomllib.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError) as exc:
        raise RubricFileError([f"{name}: cannot read the file: {exc} / ファイルを読めません"]) from None
    errors: list[str] = []
    rubric = None
    try:
        rubric = Rubric.model_validate(raw)
    except ValidationError as exc:
        errors += structure_problems(name, raw, exc)
    errors += reference_problems(name, raw)
    if errors:
        raise RubricFileError(errors)
    return rubric


def check_rubric_files(paths) -> list[str]:
    """Every problem of every file, and of the set (two files with the same id and version)."""
    return _load_files(paths)[1]


def _load_files(paths) -> tuple[list[Rubric], list[str]]:
    """The rubrics of the files that are sound, and every problem of the others and of the set."""
    rubrics: list[Rubric] = []
    errors: list[str] = []
    seen: dict[tuple[str, int], str] = {}
    for path in paths:
        try:
            rubric = load_rubric_file(path)
        except RubricFileError as exc:
            errors += exc.errors
            continue
        ident = (rubric.id, rubric.version)
        if ident in seen:
            errors.append(f"{Path(path).name}: {rubric.id} v{rubric.version} is also defined in {seen[ident]}"
                          f" / 同じ id・version が {seen[ident]} にもあります")
        seen.setdefault(ident, Path(path).name)
        rubrics.append(rubric)
    return rubrics, errors


class RubricRegistry:
    """All versions of all rubrics found in one directory (its *.toml files, not subfolders)."""

    def __init__(self, rubrics: list[Rubric]):
        self._by_id: dict[str, dict[int, Rubric]] = {}
        for rubric in rubrics:
            self._by_id.setdefault(rubric.id, {})[rubric.version] = rubric

    @classmethod
    def load_dir(cls, path=SHIPPED_DIR) -> "RubricRegistry":
        rubrics, errors = _load_files(sorted(Path(path).glob("*.toml")))
        if errors:
            raise RubricFileError(errors)
        return cls(rubrics)

    def get(self, rubric_id: str, version: int) -> Rubric | None:
        return self._by_id.get(rubric_id, {}).get(version)

    def latest(self, rubric_id: str) -> Rubric | None:
        versions = self._by_id.get(rubric_id)
        return versions[max(versions)] if versions else None

    def all(self) -> list[Rubric]:
        return [self._by_id[i][v] for i in sorted(self._by_id) for v in sorted(self._by_id[i])]
