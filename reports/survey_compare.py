"""Each house against the municipality's earlier survey: 継続 / 解消 / 除却 / 新規.

- 新規: not in the earlier survey.
- 除却: now 更地・建替中, or the earlier house is recorded as removed (then it is not in this survey).
- 解消: in both, and now 居住中 or 空き家の可能性 低.
- 継続: in both, and still 空き家の可能性 高・中 (or 判断不能).
Houses of the earlier survey that are in neither list are left out and counted as 今回対象外.
"""

from dataclasses import dataclass

from reports.model import SurveyReport

OUTCOMES = ("継続", "解消", "除却", "新規")


@dataclass(frozen=True)
class Compared:
    ref: str  # this survey's 整理番号 ("" for a removed house)
    address: str
    earlier: str  # e.g. 高・B (or "―")
    now: str
    outcome: str


def compare_surveys(report: SurveyReport) -> tuple[list[Compared], dict[str, int], int]:
    """(one line per house, counts per outcome, earlier houses outside this survey)."""
    c = report.comparison
    if c is None:
        return [], {}, 0
    lines = []
    for row in report.rows:
        before = c.earlier.get(row.property.address)
        now = f"{row.likelihood}・{row.rank or '―'}"
        if before is None:
            outcome = "新規"
        elif row.likelihood == "更地・建替中":
            outcome = "除却"
        elif row.likelihood in ("居住中", "低"):
            outcome = "解消"
        else:
            outcome = "継続"
        earlier = f"{before.likelihood}・{before.rank or '―'}" if before else "―"
        lines.append(Compared(row.ref, row.property.address, earlier, now, outcome))
    surveyed = {row.property.address for row in report.rows}
    for address in c.removed:
        if address in c.earlier and address not in surveyed:
            before = c.earlier[address]
            lines.append(Compared("", address, f"{before.likelihood}・{before.rank or '―'}", "除却（建物なし）", "除却"))
    listed = {line.address for line in lines}
    outside = sum(1 for address in c.earlier if address not in listed)
    counts = {o: sum(1 for line in lines if line.outcome == o) for o in OUTCOMES}
    return lines, counts, outside
