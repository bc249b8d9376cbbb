"""The app shell as the server sends it: every file precached, the service worker as
uncached JavaScript whose version follows the shell's content, the manifest installable."""

from pathlib import Path

from server.http.field_app import FIELD_APP_DIR, precached_files, shell_version
from tests.support.bundle import fresh_bundle

NOT_SHELL = {"sw.js", "tools", "js"}  # the worker itself; the icon script is for developers; js/ is in app.bundle.js


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


def test_the_page_loads_the_one_bundle_under_the_current_version_and_is_never_cached(client):
    response = client.get("/app/")
    version = shell_version()
    assert response.headers["cache-control"] == "no-cache"
    assert f'<script type="module" src="v/{version}/app.bundle.js"></script>' in response.text
    assert f'<link rel="stylesheet" href="v/{version}/css/app.css">' in response.text
    assert "__SHELL_VERSION__" not in response.text


def test_the_committed_bundle_is_what_esbuild_makes_of_field_app_js_now(tmp_path):
    """Run `make bundle` after changing field_app/js/ (the page runs the bundle, not the sources)."""
    assert fresh_bundle(tmp_path) == (FIELD_APP_DIR / "app.bundle.js").read_bytes(), "stale: run `make bundle`"


def test_a_versioned_file_is_cached_for_a_year_and_an_old_version_is_not_found(client):
    fresh = client.get(f"/app/v/{shell_version()}/app.bundle.js")
    assert fresh.status_code == 200
    assert fresh.headers["cache-control"] == "public, max-age=31536000, immutable"
    assert fresh.headers["content-type"].startswith("text/javascript")
    assert fresh.content == (FIELD_APP_DIR / "app.bundle.js").read_bytes()
    assert client.get("/app/v/0000000000000000/app.bundle.js").status_code == 404
    assert client.get(f"/app/v/{shell_version()}/js/no-such-module.js").status_code == 404
    assert client.get(f"/app/v/{shell_version()}/tools/make_icons.py").status_code == 404  # only the shell


def test_text_goes_out_gzipped_to_a_browser_that_takes_gzip(client):
    version = shell_version()
    for url in ("/app/", f"/app/v/{version}/app.bundle.js", f"/app/v/{version}/css/app.css"):
        zipped = client.get(url, headers={"Accept-Encoding": "gzip"})
        assert zipped.headers["content-encoding"] == "gzip", url
        assert "Accept-Encoding" in zipped.headers["vary"]
        plain = client.get(url, headers={"Accept-Encoding": "identity"})
        assert "content-encoding" not in plain.headers and zipped.content == plain.content  # httpx inflates
    icon = client.get(f"/app/v/{version}/icons/icon-192.png", headers={"Accept-Encoding": "gzip"})
    assert icon.status_code == 200 and "content-encoding" not in icon.headers  # a PNG is not compressed again
