"""An acknowledged push or upload survives the server being SIGKILLed straight after the answer.

WAL with synchronous=NORMAL: COMMIT returns once the transaction is written to the WAL file
(in the OS page cache). A killed process loses nothing the OS already holds, so every commit
acknowledged before the kill is in the database when it is opened again. On PostgreSQL the
commit is the database server's before the answer goes out, so the same holds (and is checked).
"""

import hashlib

from server.storage import photo_key
from tests.reliability.records import base_photo, survey_records


def test_acknowledged_push_survives_sigkill_right_after_the_answer(live, carrier):
    records = survey_records(5, base_photo(1), "d-")
    for record in records:
        assert carrier.push([record.op])[0]["status"] == "applied"
    live.kill()
    live.start()
    for record in records:
        shown = carrier.get(f"/api/v1/inspections/{record.inspection_id}")
        assert shown.status_code == 200, shown.text
        assert shown.json()["status"] == "awaiting_photos"
    assert carrier.push([records[0].op])[0]["status"] == "duplicate"


def test_acknowledged_photo_survives_sigkill_right_after_the_answer(live, carrier, backend):
    record = survey_records(1, base_photo(2), "p-")[0]
    assert carrier.push([record.op])[0]["status"] == "applied"
    for photo_id, data in record.photos.items():
        stored = carrier.put_photo(photo_id, data)
        assert stored.status_code == 201, stored.text
        live.kill()
        live.start()
    shown = carrier.get(f"/api/v1/inspections/{record.inspection_id}")
    assert shown.status_code == 200 and shown.json()["status"] == "submitted", shown.text
    received = dict(live.rows("SELECT id, sha256 FROM photos WHERE received_at IS NOT NULL"))
    assert received == {pid: hashlib.sha256(data).hexdigest() for pid, data in record.photos.items()}
    for photo_id, data in record.photos.items():
        assert backend.blob(photo_key("original", photo_id)) == data
        assert carrier.put_photo(photo_id, data).status_code == 200  # an identical resend, not a second photo
