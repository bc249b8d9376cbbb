"""The app shell as the server sends it: every file precached, the service worker as
uncached JavaScript whose version follows the shell's content, the manifest installable."""

from pathlib import Path

from server.http.field_app import FIELD_APP_DIR, precached_files, shell_version

NOT_SHELL = {"sw.js", "tools"}  # the worker itself; the icon script is for developers


def _shell_files() -> set[str]:
    found = set()
    for path in FIELD_APP_DIR.rglob("*"):
        relative = path.relative_to(FIELD_APP_DIR)
        if path.is_file() and relative.parts[0] not in NOT_SHELL and "__pycache__" not in relative.parts:
            found.add("./" if relative == Path("index.html") else relative.as_posix())
    return found


def test_every_shell_file_is_precached_and_every_precached_file_exists():
    assert sorted(precached_files()) == sorted(_shell_files())


def test_the_service_worker_goes_out_as_uncached_javascript_with_the_shell_version(client):
    response = client.get("/app/sw.js")
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("text/javascript")
    assert response.headers["cache-control"] == "no-cache"
    assert f'const VERSION = "{shell_version()}";' in response.text


def test_the_shell_version_changes_when_a_shell_file_changes(tmp_path):
    for name in ("sw.js", "index.html"):
        (tmp_path / name).write_text((FIELD_APP_DIR / name).read_text(encoding="utf-8"), encoding="utf-8")
    (tmp_path / "sw.js").write_text('const PRECACHE = [\n  "./",\n];\n', encoding="utf-8")
    before = shell_version(tmp_path)
    (tmp_path / "index.html").write_text("<!doctype html><title>changed</title>", encoding="utf-8")
    assert shell_version(tmp_path) != before


def test_the_manifest_is_served_as_a_web_app_manifest_with_its_icons(client):
    response = client.get("/app/manifest.webmanifest")
    assert response.headers["content-type"].startswith("application/manifest+json")
    manifest = response.json()
    assert manifest["start_url"] == "./" and manifest["display"] == "standalone" and manifest["lang"] == "ja"
    for icon in manifest["icons"]:
        assert client.get(f"/app/{icon['src']}").headers["content-type"] == "image/png"


def test_the_app_opens_at_slash_app(client):
    response = client.get("/app/")
    assert response.status_code == 200 and '<html lang="ja">' in response.text
