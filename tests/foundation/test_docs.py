"""The README and the served OpenAPI stay true to the code."""

import argparse
import re
from pathlib import Path

from server.ops.cli import _parser
from server.core.settings import settings_help

README = (Path(__file__).resolve().parents[2] / "README.md").read_text(encoding="utf-8")


def test_the_readme_gives_the_two_commands():
    assert "make demo" in README and "make test" in README


def test_every_setting_is_documented_in_the_readme():
    missing = [name for name, _, _ in settings_help()
               if name not in README and name not in ("AKIYA_RUBRICS_DIR",)]
    assert missing == []


def test_every_cli_command_is_shown_in_the_readme():
    commands = next(a for a in _parser()._actions if isinstance(a, argparse._SubParsersAction)).choices
    assert [c for c in commands if not re.search(rf"akiya {c}\b", README)] == []


def test_the_openapi_schema_documents_every_api_route_and_its_errors(client):
    schema = client.get("/schema/openapi.json").json()
    paths = schema["paths"]
    for path in ("/api/v1/auth/login", "/api/v1/sync/pull", "/api/v1/sync/push", "/api/v1/photos/{photo_id}",
                 "/api/v1/inspections/{inspection_id}", "/api/v1/inspections/{inspection_id}/review"):
        assert path in paths, path
    assert "409" in paths["/api/v1/photos/{photo_id}"]["put"]["responses"]
    assert "401" in paths["/api/v1/sync/push"]["post"]["responses"]
    error = schema["components"]["schemas"]["ErrorBody"]
    assert set(error["required"]) >= {"code", "message"}
