"""Who may open which pages."""

from server import problems
from server.users.queries import User

_WHO = {"office": "郵便局の担当者", "municipality": "自治体の担当者", "owner": "所有者"}


def require(user: User, *roles: str) -> None:
    if user.role == "admin" and "office" in roles:
        return
    if user.role not in roles:
        if user.role == "carrier":
            raise problems.CARRIER_USE_APP()
        raise problems.WRONG_ROLE(who="・".join(_WHO.get(r, r) for r in roles))
