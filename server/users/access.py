"""Who may see what, as SQL conditions: one place for the isolation rules every query applies.

- carrier: inspections they made; properties of their tasks and those they reported
- office: everything of properties their post office covers
- municipality: approved survey results of properties in their municipality — never owners or watch data
- owner: their own properties' approved watch and post-disaster records, made within their own
  subscription's period (a house that changes hands: each owner sees only their own months)
- admin: everything
- owners of survey candidates (課税台帳: personal data): admin, the municipal officers of that town, and
  the staff of the contract's post office whom an admin let see them (users.sees_owner_letters); carriers
  and owners never
Owners and municipal officers see approved records only, and never the clerk's review comment.
Forbidden and nonexistent look the same: callers answer 404 either way. Writes follow the same rule
for what one may not see; for what one may see but not change, 403 with a message saying who may.
Which roles may use a route at all is decided by `may`, through the guards in server/http/guards.py; the
queries take their conditions from here and never look at a role themselves.
"""

from __future__ import annotations

from server.users.queries import User

# Owners and municipal officers read what a clerk approved, nothing before.
READERS_OF_APPROVED = ("owner", "municipality")


def may(user: User, roles: tuple[str, ...]) -> bool:
    """Whether a user may use a door open to these roles (server/http/guards.py); an admin may do whatever a clerk may."""
    return user.role in roles or (user.role == "admin" and "office" in roles)


def acts_for_every_office(user: User) -> bool:
    """An admin acts for every post office: chooses the office of a contract, schedules for all."""
    return user.role == "admin"


def acting_office(user: User) -> str | None:
    """The post office a clerk acts for; None for an admin, who acts for every office (or chooses one)."""
    return None if acts_for_every_office(user) else user.office_code


def may_open_house_pages(user: User) -> bool:
    """Whether a page may link to the office's house pages (/office/properties/...): the office's
    staff and the admin, who may open them (server/http/guards.py CLERK_PAGE)."""
    return may(user, ("office",))


def visit_day(i: str = "i") -> str:
    """The day of visit `i` in Japan (subscription dates are Japanese calendar days)."""
    return f"date({i}.started_at, '+9 hours')"


def subscription_day(column: str) -> str:
    """SQL: a subscription date as ISO text YYYY-MM-DD on both engines (a DATE on PostgreSQL, text
    on SQLite; migration 0019), to compare with a visit's day."""
    return f"date({column}, '+0 days')"


def subscription_covers(s: str = "s", i: str = "i") -> str:
    """SQL: watch subscription `s` covers visit `i`: the same house, and the visit's day within the
    subscription's period (start and end dates included; no end date means still running)."""
    return (f"{s}.property_id = {i}.property_id AND {visit_day(i)} >= {subscription_day(s + '.start_date')} "
            f"AND ({s}.end_date IS NULL OR {visit_day(i)} <= {subscription_day(s + '.end_date')})")


def owner_visit_condition(owner_id: int, i: str = "i") -> tuple[str, tuple]:
    """Visits `i` inside one of this owner's subscription periods."""
    return (f"EXISTS (SELECT 1 FROM watch_subscriptions ws WHERE ws.owner_id = ? AND {subscription_covers('ws', i)})",
            (owner_id,))


def subscription_visit_condition(subscription_id: int, i: str = "i") -> tuple[str, tuple]:
    """Visits `i` inside this one subscription's period."""
    return (f"EXISTS (SELECT 1 FROM watch_subscriptions ws WHERE ws.id = ? AND {subscription_covers('ws', i)})",
            (subscription_id,))


def covering_owner(i: str = "i") -> str:
    """SQL scalar: the owner whose subscription covered visit `i` (NULL when none did)."""
    return (f"(SELECT ws.owner_id FROM watch_subscriptions ws WHERE {subscription_covers('ws', i)} "
            f"ORDER BY ws.start_date DESC, ws.id DESC LIMIT 1)")


def alert_condition(user: User, i: str = "i", p: str = "p") -> tuple[str, tuple]:
    """WHERE condition over urgent alerts raised by inspections `i` on properties `p`: the staff as for the
    house; an owner only alerts found on a day their own subscription covered (a house that changed hands:
    the former owner never reads the new owner's alerts, nor the reverse)."""
    if user.role == "owner":
        return owner_visit_condition(user.owner_id, i)
    if user.role == "municipality":
        return "1 = 0", ()  # watch data: never
    return property_condition(user, p)


def inspection_condition(user: User, i: str = "i", p: str = "p") -> tuple[str, tuple]:
    """WHERE condition over inspections `i` joined with their property `p`."""
    if user.role == "admin":
        return "1 = 1", ()
    if user.role == "carrier":
        return f"{i}.carrier_id = ?", (user.id,)
    if user.role == "office":
        return f"{p}.office_code = ?", (user.office_code,)
    if user.role == "municipality":
        return (f"{p}.municipality_code = ? AND {i}.kind = 'survey' AND {i}.status = 'approved'",
                (user.municipality_code,))
    if user.role == "owner":
        covered, params = owner_visit_condition(user.owner_id, i)
        return f"{i}.kind IN ('watch', 'disaster') AND {i}.status = 'approved' AND {covered}", params
    return "1 = 0", ()


def visible_statuses(user: User) -> tuple[str, ...]:
    """Which current inspection statuses a role's lists and counts include."""
    return ("approved",) if user.role in READERS_OF_APPROVED else ("submitted", "approved")


def sees_review_comment(user: User) -> bool:
    """The clerk's review comment is for the carrier and the office, not for owners or municipalities."""
    return user.role not in READERS_OF_APPROVED


def property_condition(user: User, p: str = "p") -> tuple[str, tuple]:
    """WHERE condition over properties `p`."""
    if user.role == "admin":
        return "1 = 1", ()
    if user.role == "carrier":
        return (f"({p}.reported_by = ? OR {p}.id IN (SELECT property_id FROM tasks WHERE assignee_id = ?))",
                (user.id, user.id))
    if user.role == "office":
        return f"{p}.office_code = ?", (user.office_code,)
    if user.role == "municipality":
        return f"{p}.municipality_code = ?", (user.municipality_code,)
    if user.role == "owner":
        return f"{p}.id IN (SELECT property_id FROM watch_subscriptions WHERE owner_id = ?)", (user.owner_id,)
    return "1 = 0", ()


def subscription_condition(user: User, s: str = "s", p: str = "p") -> tuple[str, tuple]:
    """WHERE condition over watch subscriptions `s` joined with their property `p`: an owner's own; the
    clerk's of houses their office covers (admin: all)."""
    if user.role == "owner":
        return f"{s}.owner_id = ?", (user.owner_id,)
    if may(user, ("office",)):
        return property_condition(user, p)
    return "1 = 0", ()


def sees_reported_photo(user: User) -> bool:
    """The photo a carrier sent with a reported house is for the office of the area and admin, not for
    the municipality."""
    return may(user, ("office",))


def reported_photo_condition(user: User, p: str = "p") -> tuple[str, tuple]:
    """WHERE condition over the properties `p` of photos sent with a reported house (no inspection):
    the office of the area and admin, and the carrier who reported it."""
    if may(user, ("office",)):
        return property_condition(user, p)
    if user.role == "carrier":
        return f"{p}.reported_by = ?", (user.id,)
    return "1 = 0", ()


def owner_scope(user: User) -> int | None:
    """Whose subscription months an owner's document shows: an owner's own; None for the staff (every owner's)."""
    return user.owner_id if user.role == "owner" else None


def prints_despite_missing_glyphs(user: User) -> bool:
    """Owners always get their document (〓 for a character no font has); staff may ask for a refusal."""
    return user.role == "owner"


def contract_condition(user: User, c: str = "c") -> tuple[str, tuple]:
    """WHERE condition over survey contracts `c`: the contracted office, the contracting municipality."""
    if user.role == "admin":
        return "1 = 1", ()
    if user.role == "office":
        return f"{c}.office_code = ?", (user.office_code,)
    if user.role == "municipality":
        return f"{c}.municipality_code = ?", (user.municipality_code,)
    return "1 = 0", ()


def event_condition(user: User, e: str = "e") -> tuple[str, tuple]:
    """Disaster events `e` a user may see: an admin all; a clerk those their office registered or has checks for."""
    if user.role == "admin":
        return "1 = 1", ()
    if user.role == "office":
        return (f"""({e}.created_by IN (SELECT id FROM users WHERE office_code = ?) OR {e}.id IN
                    (SELECT t.disaster_event_id FROM tasks t JOIN properties p ON p.id = t.property_id
                     WHERE p.office_code = ?))""", (user.office_code, user.office_code))
    return "1 = 0", ()


def event_edit_condition(user: User, e: str = "e") -> tuple[str, tuple]:
    """Disaster events `e` a user may change: an admin all; a clerk only those their own office registered
    (its title and area reach other offices' owners on their notices)."""
    if user.role == "admin":
        return "1 = 1", ()
    if user.role == "office":
        return f"{e}.created_by IN (SELECT id FROM users WHERE office_code = ?)", (user.office_code,)
    return "1 = 0", ()


def candidate_owner_condition(user: User, c: str = "c") -> tuple[str, tuple]:
    """WHERE condition over survey contracts `c` whose candidates' owners (names and addresses from the
    課税台帳) a user may see: an admin all; a municipal officer their own town's; a clerk of the contract's
    post office only with the letters permission an admin sets (users.sees_owner_letters); nobody else."""
    if user.role == "admin":
        return "1 = 1", ()
    if user.role == "municipality":
        return f"{c}.municipality_code = ?", (user.municipality_code,)
    if user.role == "office" and user.sees_owner_letters:
        return f"{c}.office_code = ?", (user.office_code,)
    return "1 = 0", ()


def sees_candidate_owners(user: User) -> bool:
    """Whether a page offers the owners of survey candidates at all (which contracts: the condition above)."""
    return user.role in ("admin", "municipality") or (user.role == "office" and bool(user.sees_owner_letters))


def acts_as_owner(user: User) -> bool:
    """An owner writes and asks on their own account (messages, requests); the staff answer for the office."""
    return user.role == "owner"



def works_on_owner_letters(user: User) -> bool:
    """Who runs a contract's owner survey (letter text, postcards, returned letters) on contracts they see:
    the admin, the town's officers and the post office's clerks. Owners' names are candidate_owner_condition's."""
    return user.role in ("admin", "municipality", "office")


def manages_owner_data(user: User) -> bool:
    """Who may change how long a contract keeps its owners' personal data and delete it (on contracts they
    see, contract_condition: a municipal officer their own town's): the town's officers and the admin."""
    return user.role in ("admin", "municipality")
