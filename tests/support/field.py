"""What a carrier's phone sends: inspections with photos, built from the shipped rubrics."""

from __future__ import annotations

import hashlib
import uuid
from datetime import datetime, timedelta, timezone

from server.core import clock
from server.demo.photos import house_photo
from server.rubrics import RubricRegistry, check_photos
from server.core.settings import Settings
from tests.support.answers import minimal_answers, required_slots

JST = timezone(timedelta(hours=9))
RUBRICS = RubricRegistry.load_dir(Settings().rubrics_dir)


def new_id() -> str:
    return str(uuid.uuid4())


def photo_bytes(seed: int, lat: float | None = 35.6870, lon: float | None = 139.7400,
                taken_at: datetime | None = None, size=(640, 480)) -> bytes:
    taken_at = taken_at or clock.now().astimezone(JST) - timedelta(minutes=5)
    return house_photo(seed, lat=lat, lon=lon, taken_at=taken_at, size=size)


# The survey form the tests were written for: survey v3 (利活用判定) is asked for by name (rubric_version=3),
# so a new form version does not silently change what every other test pushes.
WRITTEN_FOR = {"municipal_survey": 2}


class Visit:
    """One inspection as the phone would push it, with the photo bytes it will upload."""

    def __init__(self, *, property_id: str, rubric_id: str, task_id: str | None = None, options=(),
                 overrides: dict | None = None, slots: list[str] | None = None, photo_seed: int = 1,
                 lat: float = 35.6870, lon: float = 139.7400, supersedes: str | None = None,
                 finished: datetime | None = None, rubric_version: int | None = None):
        rubric = RUBRICS.get(rubric_id, rubric_version or WRITTEN_FOR.get(rubric_id) or RUBRICS.latest(rubric_id).version)
        finished = finished or clock.now().astimezone(JST).replace(microsecond=0)
        self.id = new_id()
        self.op_id = new_id()
        self.photos: dict[str, bytes] = {}
        declared = []
        self._photo = (photo_seed, lat, lon, finished - timedelta(minutes=3))
        for slot in required_slots(rubric) if slots is None else slots:
            declared.append(self._new_photo(slot))
        self.inspection = {
            "id": self.id, "task_id": task_id, "property_id": property_id, "rubric_id": rubric.id,
            "rubric_version": rubric.version, "started_at": (finished - timedelta(minutes=10)).isoformat(),
            "finished_at": finished.isoformat(), "location": {"lat": lat, "lon": lon, "accuracy_m": 8.0},
            "answers": minimal_answers(rubric, options, overrides), "photos": declared, "notes": "",
            "supersedes": supersedes,
        }
        if slots is None:  # a careful carrier: the routine photos and each one a finding calls for
            self.add_photos_the_answers_need(options)

    def _new_photo(self, slot: str) -> dict:
        seed, lat, lon, taken_at = self._photo
        data = photo_bytes(seed * 100 + len(self.photos), lat=lat, lon=lon, taken_at=taken_at)
        photo_id = new_id()
        self.photos[photo_id] = data
        return {"id": photo_id, "slot": slot, "sha256": hashlib.sha256(data).hexdigest()}

    def add_photo(self, slot: str) -> "Visit":
        """One more photo, in `slot` (the owner's requested spot, a second damage photo ...)."""
        self.inspection["photos"].append(self._new_photo(slot))
        return self

    def add_photos_the_answers_need(self, options=()) -> "Visit":
        """A photo in each slot the answers call for and the visit lacks (a finding's damage photo),
        as a carrier takes one after recording the finding."""
        rubric = RUBRICS.get(self.inspection["rubric_id"], self.inspection["rubric_version"])
        declared = self.inspection["photos"]
        for error in check_photos(rubric, [p["slot"] for p in declared], self.inspection["answers"], options):
            if error.code == "photo_for_abnormal" and error.item not in {p["slot"] for p in declared}:
                declared.append(self._new_photo(error.item))
        return self

    def op(self) -> dict:
        return {"op_id": self.op_id, "type": "inspection.submit", "inspection": self.inspection}

    def upload_all(self, session) -> list[int]:
        return [session.put(f"/api/v1/photos/{pid}", content=data).status_code for pid, data in self.photos.items()]


def watch_visit(world, **kw) -> Visit:
    return Visit(property_id=world.properties["watched"], rubric_id="watch_basic", task_id=world.tasks["watch"],
                 options=["airing"], **kw)


def survey_visit(world, **kw) -> Visit:
    return Visit(property_id=world.properties["surveyed"], rubric_id="municipal_survey",
                 task_id=world.tasks["survey"], lat=35.6880, lon=139.7380, **kw)
