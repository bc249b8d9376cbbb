from pathlib import Path

import pytest

from server.rubrics import RubricRegistry, load_rubric_file

RUBRICS_DIR = Path(__file__).resolve().parents[2] / "rubrics"


@pytest.fixture(scope="session")
def registry() -> RubricRegistry:
    """The shipped rubrics and the test-only ones the conformance vectors use."""
    shipped = RubricRegistry.load_dir(RUBRICS_DIR)
    test_only = [load_rubric_file(p) for p in sorted((RUBRICS_DIR / "conformance").glob("*.toml"))]
    return RubricRegistry(shipped.all() + test_only)
