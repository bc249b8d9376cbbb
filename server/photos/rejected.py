"""Why an upload is not accepted as a photo: entries of the error catalogue (server/core/problems.py)."""

from server.core import problems
from server.core.errors import AppError


class PhotoRejected(Exception):
    """An upload that cannot become a photo. `error` is the response the route should send."""

    def __init__(self, error: AppError, *, sent_format: str | None = None) -> None:
        super().__init__(error.message)
        self.error = error
        self.status = error.status
        self.code = error.code
        self.message = error.message
        self.sent_format = sent_format

    @classmethod
    def empty(cls) -> "PhotoRejected":
        return cls(problems.EMPTY())

    @classmethod
    def not_jpeg(cls, sent_format: str | None) -> "PhotoRejected":
        if sent_format is None:
            return cls(problems.NOT_JPEG())
        if sent_format == "HEIC/HEIF":
            return cls(problems.NOT_JPEG("heic"), sent_format=sent_format)
        return cls(problems.NOT_JPEG("format", sent_format=sent_format), sent_format=sent_format)

    @classmethod
    def undecodable(cls) -> "PhotoRejected":
        return cls(problems.UNDECODABLE())

    @classmethod
    def truncated(cls) -> "PhotoRejected":
        return cls(problems.TRUNCATED())

    @classmethod
    def too_many_pixels(cls, limit: int, size: tuple[int, int] | None = None) -> "PhotoRejected":
        if size:
            return cls(problems.TOO_MANY_PIXELS("sized", width=size[0], height=size[1], man_pixels=limit // 10_000))
        return cls(problems.TOO_MANY_PIXELS(man_pixels=limit // 10_000))
