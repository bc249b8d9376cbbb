"""One app per configuration in a test process, started anew on each test's database and data folder.

Building the routes (Litestar's registration: signatures, copies of every handler) costs ~0.2 s, more
than most tests; the app itself keeps nothing of a run between starts: each start reads
`app.state.settings` (server/app.py) and opens its own database, storage, PDF service and background
work. Settings that shape what is built (rubrics, headers, cookies) are part of the key; the per-test
ones (database, data folder, storage prefix) are not.
"""

from __future__ import annotations

from litestar import Litestar

from server.app import create_app
from server.core.settings import Settings
from server.documents.render import PdfRenderer

PER_TEST = {"db", "data_dir", "storage_url"}
_built: dict[tuple, Litestar] = {}


def app_for(settings: Settings, pdf_renderer: PdfRenderer) -> Litestar:
    """The app built for settings like these, holding `settings` for its next start."""
    key = tuple((name, repr(value)) for name, value in sorted(settings.model_dump(exclude=PER_TEST).items()))
    app = _built.get(key)
    if app is None:
        app = _built[key] = create_app(settings, pdf_renderer=pdf_renderer)
    app.state.settings = settings
    return app
