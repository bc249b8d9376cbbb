"""The sync wire format. A device may set only what is here; the server adds the rest
(score, flags, status, received times)."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Any, Literal

import msgspec
from msgspec import Meta

from server.core import problems
from server.core.control_chars import field_with_control_chars, shown
from server.core.errors import OpError
from server.core.limits import (
    ADDRESS_MAX, ANSWER_CHOICES_MAX, ANSWER_KEY_MAX, ANSWER_TEXT_MAX, ANSWERS_MAX, NOTES_MAX, PHOTOS_MAX, PUSH_MAX_BYTES,
    PUSH_MAX_OPS,
)

Uuid = Annotated[str, Meta(pattern=r"^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$",
                           description="lower-case UUID made by the client")]
Sha256 = Annotated[str, Meta(pattern=r"^[0-9a-f]{64}$", description="lower-case hex sha256 of the photo bytes")]
AwareDatetime = Annotated[datetime, Meta(tz=True, description="RFC 3339 with offset")]
Lat = Annotated[float, Meta(ge=-90, le=90)]
Lon = Annotated[float, Meta(ge=-180, le=180)]
ShortText = Annotated[str, Meta(max_length=NOTES_MAX)]
AnswerText = Annotated[str, Meta(max_length=ANSWER_TEXT_MAX)]
# What an answer can be (choice, multi, boolean, number, text); the rubric engine checks it fits the item.
AnswerValue = AnswerText | int | float | bool | None | Annotated[list[AnswerText], Meta(max_length=ANSWER_CHOICES_MAX)]
Answers = Annotated[dict[Annotated[str, Meta(max_length=ANSWER_KEY_MAX)], AnswerValue], Meta(
    max_length=ANSWERS_MAX, description=f"item key -> answer; at most {ANSWERS_MAX} keys")]


class Location(msgspec.Struct, forbid_unknown_fields=True):
    lat: Lat
    lon: Lon
    accuracy_m: Annotated[float, Meta(ge=0)] | None = None


class PhotoDeclaration(msgspec.Struct, forbid_unknown_fields=True):
    id: Uuid
    slot: Annotated[str, Meta(max_length=64)]
    sha256: Sha256
    device_lat: Lat | None = None  # the phone's own position when the photo was taken
    device_lon: Lon | None = None


class InspectionIn(msgspec.Struct, forbid_unknown_fields=True):
    id: Uuid
    property_id: Uuid
    rubric_id: Annotated[str, Meta(max_length=64)]
    rubric_version: Annotated[int, Meta(ge=1)]
    started_at: AwareDatetime
    finished_at: AwareDatetime
    answers: Answers
    task_id: Uuid | None = None
    location: Location | None = None
    photos: Annotated[list[PhotoDeclaration], Meta(max_length=PHOTOS_MAX)] = []
    notes: ShortText = ""
    supersedes: Uuid | None = None


class ReportedProperty(msgspec.Struct, forbid_unknown_fields=True):
    id: Uuid
    lat: Lat
    lon: Lon
    address_text: Annotated[str, Meta(min_length=1, max_length=ADDRESS_MAX)]
    notes: ShortText = ""
    reported_at: AwareDatetime | None = None  # the phone's clock at saving; the window of the report's photo


class ReportPhoto(msgspec.Struct, forbid_unknown_fields=True):
    """The one optional photo of a report without a survey; its bytes follow by PUT /api/v1/photos/{id}."""

    id: Uuid
    sha256: Sha256
    slot: Literal["report"] = "report"
    device_lat: Lat | None = None
    device_lon: Lon | None = None


class InspectionSubmit(msgspec.Struct, tag="inspection.submit", tag_field="type", forbid_unknown_fields=True):
    op_id: Uuid
    inspection: InspectionIn


class PropertyReport(msgspec.Struct, tag="property.report", tag_field="type", forbid_unknown_fields=True):
    """A house that looks vacant and is on no list; may carry one photo, or a first survey (task_id null)."""

    op_id: Uuid
    property: ReportedProperty
    inspection: InspectionIn | None = None
    photo: ReportPhoto | None = None


Op = InspectionSubmit | PropertyReport


class OpEnvelope(msgspec.Struct):
    """What every op has. The server then reads each op strictly as InspectionSubmit
    (`type: "inspection.submit"`, `inspection`) or PropertyReport (`type: "property.report"`,
    `property`, optional `inspection` and `photo`); an op that does not fit is rejected on its own."""

    op_id: str
    type: str
    inspection: dict[str, Any] | None = None
    property: dict[str, Any] | None = None
    photo: dict[str, Any] | None = None


class PushIn(msgspec.Struct):
    device_id: Annotated[str, Meta(min_length=1, max_length=100)]
    ops: Annotated[list[OpEnvelope], Meta(max_length=PUSH_MAX_OPS, description=(
        f"at most {PUSH_MAX_OPS} ops; the whole body at most {PUSH_MAX_BYTES:,} bytes (README: Input limits)"))]


class _PushRaw(msgspec.Struct):
    device_id: Annotated[str, Meta(min_length=1, max_length=100)]
    ops: Annotated[list[msgspec.Raw], Meta(max_length=PUSH_MAX_OPS)]


class OpResult(msgspec.Struct, omit_defaults=True):
    op_id: str
    status: Literal["applied", "duplicate", "rejected", "conflict"]
    error: OpError | None = None
    urgent: int = 0  # 至急 findings this op raised on the office's list (the phone says 「局に至急として届きました」)


class PushOut(msgspec.Struct):
    results: list[OpResult]


class Rejected(msgspec.Struct):
    """An op that could not even be read; it still gets its place in the results."""

    op_id: str
    error: OpError


class DeviceIdControlChars(ValueError):
    """The push's device_id holds a control character: the whole push is refused (400)."""


def decode_ops(body: bytes) -> tuple[str, list[Op | Rejected]]:
    """Strict decoding, op by op, so one malformed op does not sink the others; an op with a control
    character in any text (server/core/control_chars.py) is rejected on its own."""
    raw = msgspec.json.decode(body, type=_PushRaw)
    if field_with_control_chars(raw.device_id) is not None:
        raise DeviceIdControlChars("device_id")
    ops: list[Op | Rejected] = []
    for position, item in enumerate(raw.ops):
        try:
            op = msgspec.json.decode(item, type=Op)
        except msgspec.ValidationError as exc:
            ops.append(Rejected(_op_id_of(item, position), problems.INVALID_OP(details=str(exc)).error))
            continue
        field = field_with_control_chars(op)
        if field is not None:
            error = problems.CONTROL_CHARACTER_IN_RECORD(field=shown(field), details=[{"field": shown(field)}]).error
            ops.append(Rejected(_op_id_of(item, position), error))
            continue
        ops.append(op)
    return raw.device_id, ops


def _op_id_of(item: msgspec.Raw, position: int) -> str:
    try:
        value = msgspec.json.decode(item)
        if isinstance(value, dict) and isinstance(value.get("op_id"), str):
            return value["op_id"][:100]
    except msgspec.DecodeError:
        pass
    return f"#{position}"


def canonical_hash(value: msgspec.Struct) -> str:
    import hashlib

    return hashlib.sha256(msgspec.json.encode(value, order="sorted")).hexdigest()
