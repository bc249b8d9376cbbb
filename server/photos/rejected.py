"""Why an upload is not accepted as a photo: one catalogue of stable codes and Japanese messages."""


class PhotoRejected(Exception):
    """An upload that cannot become a photo. `status` is the HTTP status the route should send."""

    def __init__(self, status: int, code: str, message: str, *, sent_format: str | None = None) -> None:
        super().__init__(message)
        self.status = status
        self.code = code
        self.message = message
        self.sent_format = sent_format

    @classmethod
    def empty(cls) -> "PhotoRejected":
        return cls(422, "empty", "写真のデータが空でした。もう一度撮影して送ってください。")

    @classmethod
    def not_jpeg(cls, sent_format: str | None) -> "PhotoRejected":
        if sent_format is None:
            sent = "JPEG形式の写真ではありませんでした。"
        else:
            sent = f"送られたファイルは{sent_format}形式でした。"
        advice = "JPEG形式（.jpg）の写真だけを受け付けます。アプリのカメラで撮影し直して送ってください。"
        if sent_format == "HEIC/HEIF":
            advice += "iPhoneの場合は「設定 > カメラ > フォーマット」で「互換性優先」を選ぶとJPEGで保存されます。"
        return cls(415, "not_jpeg", sent + advice, sent_format=sent_format)

    @classmethod
    def undecodable(cls) -> "PhotoRejected":
        return cls(
            422,
            "undecodable",
            "写真のデータが壊れていて読み取れませんでした。もう一度撮影して送ってください。",
        )

    @classmethod
    def truncated(cls) -> "PhotoRejected":
        return cls(
            422,
            "truncated",
            "写真のデータが途中で切れていました（送信が途中で止まった可能性があります）。"
            "電波の良い場所でもう一度送ってください。",
        )

    @classmethod
    def too_many_pixels(cls, limit: int, size: tuple[int, int] | None = None) -> "PhotoRejected":
        sent = f"{size[0]}×{size[1]}、" if size else ""
        return cls(
            422,
            "too_many_pixels",
            f"写真の画素数が多すぎます（{sent}上限は{limit // 10_000:,}万画素）。"
            "アプリから撮影して送るか、カメラの解像度を下げて撮影してください。",
        )
