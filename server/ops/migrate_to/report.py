"""What a migration copied and verified, and its table for the terminal (Japanese / English)."""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass, field

from server.ops.migrate_to.blobs import BlobCheck
from server.ops.migrate_to.digest import Digest


def _width(text: str) -> int:
    """Columns the text takes in a terminal: Japanese characters take two."""
    return sum(2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in text)


def _left(text: str, width: int) -> str:
    return text + " " * max(0, width - _width(text))


def _right(text: str, width: int) -> str:
    return " " * max(0, width - _width(text)) + text


@dataclass(frozen=True)
class TableCheck:
    name: str
    source: Digest
    target: Digest

    @property
    def ok(self) -> bool:
        return self.source == self.target


@dataclass
class Report:
    source: str
    target: str  # password shown as ***
    storage: str | None  # None: photos stay in the data directory
    tables: list[TableCheck] = field(default_factory=list)
    blobs: BlobCheck | None = None  # None when photos were not copied
    not_copied: dict[str, str] = field(default_factory=dict)  # table → why
    sequences: dict[str, int] = field(default_factory=dict)  # table.column → next value

    @property
    def ok(self) -> bool:
        return all(t.ok for t in self.tables) and (self.blobs is None or self.blobs.ok)

    @property
    def mismatched(self) -> list[str]:
        return [t.name for t in self.tables if not t.ok]

    def render(self) -> str:
        lines = [f"移行元 / source:  {self.source}", f"移行先 / target:  {self.target}", ""]
        width = max([len(t.name) for t in self.tables] + [20])
        lines.append(f"{_left('表 / table', width)}  {_right('移行元 / source', 16)}  {_right('移行先 / target', 16)}  "
                     "sha256")
        for t in self.tables:
            mark = "一致 / OK" if t.ok else "不一致 / MISMATCH"
            sha = t.source.sha256[:12] if t.ok else f"{t.source.sha256[:12]} ≠ {t.target.sha256[:12]}"
            lines.append(f"{_left(t.name, width)}  {t.source.rows:>16,}  {t.target.rows:>16,}  {sha}  {mark}")
        for name, why in self.not_copied.items():
            lines.append(f"{_left(name, width)}  コピーしません / not copied: {why}")
        if self.sequences:
            pull = self.sequences.get("change_log.seq")
            lines.append(f"連番 / sequences: {len(self.sequences)} 個を最大値の次へ / moved past the ids"
                         + (f"（change_log.seq の次は {pull:,}: 端末の同期位置はそのまま使えます / phones' cursors stay valid）"
                            if pull else ""))
        lines.append("")
        if self.blobs is None:
            lines.append("写真・報告書 / photos, reports: コピーしていません。今の場所に残ります（新しいサーバーも同じ "
                         "AKIYA_DATA_DIR・AKIYA_STORAGE_URL を使ってください。データフォルダーからオブジェクトストレージへ移すには "
                         "--storage-url s3://…） / not copied: they stay where they are")
        else:
            lines.append(f"写真・報告書 / photos, reports → {self.storage}: {self.blobs.objects:,} 個 / objects, "
                         f"{self.blobs.bytes:,} bytes, sha256 一致 / match; 写真 {self.blobs.photos:,} 枚の原本が記録の sha256 と一致"
                         f" / photo originals match their rows")
            if self.blobs.put is not None and self.blobs.put < self.blobs.objects:
                lines.append(f"  うち {self.blobs.put:,} 個を送りました（ほかは移行先に既にありました） / "
                             f"{self.blobs.put:,} sent, the others were there already")
            for problem in self.blobs.problems:
                lines.append(f"  ✗ {problem}")
            if self.blobs.more_problems:
                lines.append(f"  … ほか {self.blobs.more_problems} 件 / and {self.blobs.more_problems} more")
            lines.append("アップロード途中の写真（photos/partial）、作業用フォルダー（photos/tmp）、キャッシュ（photos/cache）は"
                         "コピーしません / upload partials, scratch and cache are not copied")
        lines.append("")
        if self.ok:
            lines.append("検証済み: すべての件数と sha256 が一致しました。 / verified: every count and hash matches.")
        else:
            what = self.mismatched + (["photos/reports"] if self.blobs is not None and not self.blobs.ok else [])
            lines.append(f"検証に失敗しました / verification FAILED: {', '.join(what)}")
        return "\n".join(lines)
