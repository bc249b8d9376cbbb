from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.reliability.records import build_world_with_carriers
from tests.support.client import Session
from tests.support.live_server import LiveServer


def _serve_one_carrier_world(root: Path) -> Iterator[LiveServer]:
    """The real server process on a loopback port, with the test world and one extra carrier."""
    build_world_with_carriers(root / "akiya.sqlite3", 1)
    with LiveServer(root / "akiya.sqlite3", root / "data") as server:
        yield server


@pytest.fixture
def live(tmp_path):
    yield from _serve_one_carrier_world(tmp_path)


@pytest.fixture
def carrier(live) -> Session:
    return live.session("carrier01")


@pytest.fixture(scope="module")
def module_live(tmp_path_factory):
    """The same, shared by the tests of one module (each adds its own records and reads only those)."""
    yield from _serve_one_carrier_world(tmp_path_factory.mktemp("live"))


@pytest.fixture(scope="module")
def module_carrier(module_live) -> Session:
    return module_live.session("carrier01")
