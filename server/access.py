"""Who may see what, as SQL conditions: one place for the isolation rules every query applies.

- carrier: inspections they made; properties of their tasks and those they reported
- office: everything of properties their post office covers
- municipality: survey results of properties in their municipality — never owners or watch data
- owner: their own properties' watch and post-disaster records
- admin: everything
Forbidden and nonexistent look the same: callers answer 404 either way.
"""

from __future__ import annotations

from server.users.queries import User


def inspection_condition(user: User, i: str = "i", p: str = "p") -> tuple[str, tuple]:
    """WHERE condition over inspections `i` joined with their property `p`."""
    if user.role == "admin":
        return "1", ()
    if user.role == "carrier":
        return f"{i}.carrier_id = ?", (user.id,)
    if user.role == "office":
        return f"{p}.office_code = ?", (user.office_code,)
    if user.role == "municipality":
        return f"{p}.municipality_code = ? AND {i}.kind = 'survey'", (user.municipality_code,)
    if user.role == "owner":
        return (f"{i}.kind IN ('watch', 'disaster') AND {p}.id IN "
                f"(SELECT property_id FROM watch_subscriptions WHERE owner_id = ?)", (user.owner_id,))
    return "0", ()


def property_condition(user: User, p: str = "p") -> tuple[str, tuple]:
    """WHERE condition over properties `p`."""
    if user.role == "admin":
        return "1", ()
    if user.role == "carrier":
        return (f"({p}.reported_by = ? OR {p}.id IN (SELECT property_id FROM tasks WHERE assignee_id = ?))",
                (user.id, user.id))
    if user.role == "office":
        return f"{p}.office_code = ?", (user.office_code,)
    if user.role == "municipality":
        return f"{p}.municipality_code = ?", (user.municipality_code,)
    if user.role == "owner":
        return f"{p}.id IN (SELECT property_id FROM watch_subscriptions WHERE owner_id = ?)", (user.owner_id,)
    return "0", ()
