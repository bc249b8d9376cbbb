from __future__ import annotations

from collections.abc import Iterator

import pytest

from tests.reliability.records import build_world_with_carriers
from tests.support.backends import Backend
from tests.support.client import Session
from tests.support.live_server import LiveServer


def _serve_one_carrier_world(backend: Backend) -> Iterator[LiveServer]:
    """The real server process on a loopback port, with the test world and one extra carrier."""
    build_world_with_carriers(backend.db, 1)
    with backend.live_server() as server:
        yield server


@pytest.fixture
def live(backend):
    yield from _serve_one_carrier_world(backend)


@pytest.fixture
def carrier(live) -> Session:
    return live.session("carrier01")


@pytest.fixture(scope="module")
def module_live(module_backend):
    """The same, shared by the tests of one module (each adds its own records and reads only those)."""
    yield from _serve_one_carrier_world(module_backend)


@pytest.fixture(scope="module")
def module_carrier(module_live) -> Session:
    return module_live.session("carrier01")
