from __future__ import annotations

import pytest

from tests.reliability.live_server import Api, LiveServer
from tests.reliability.records import build_world_with_carriers
from tests.support.world import PASSWORD


@pytest.fixture
def live(tmp_path):
    """The real server process on a loopback port, with the test world and one extra carrier."""
    build_world_with_carriers(tmp_path / "akiya.sqlite3", 1)
    with LiveServer(tmp_path / "akiya.sqlite3", tmp_path / "data") as server:
        yield server


@pytest.fixture
def carrier(live) -> Api:
    return Api.login(live.port, "carrier01", PASSWORD)
