"""A list's row matched to the town's known houses by address key (server/survey_candidates/address.py).

Exactly one house with the same key: linked. Several houses with that key, or only near ones (the same
parcel without its branch number: 本郷666 and 本郷666-9): the clerk's queue, with the possible houses;
never guessed. None at all: a new candidate without a house."""

from __future__ import annotations

import msgspec

from server.survey_candidates.address import address_key, parcel_base


class KnownHouse(msgspec.Struct, frozen=True):
    id: str
    address: str


class Match(msgspec.Struct, frozen=True):
    key: str
    state: str  # linked | ambiguous | new
    property_id: str | None
    possible: tuple[str, ...] = ()

    @property
    def merge_key(self) -> str:
        """One candidate per house: the house when linked, else the address key."""
        return f"p:{self.property_id}" if self.property_id else f"a:{self.key}"


class HouseIndex:
    def __init__(self, houses: list[KnownHouse], prefecture: str, municipality: str):
        self.prefecture, self.municipality = prefecture, municipality
        self.by_key: dict[str, list[str]] = {}
        self.by_base: dict[str, list[str]] = {}
        for house in houses:
            key = address_key(house.address, prefecture, municipality)
            self.by_key.setdefault(key, []).append(house.id)
            self.by_base.setdefault(parcel_base(key), []).append(house.id)

    def match(self, address: str) -> Match:
        key = address_key(address, self.prefecture, self.municipality)
        exact = self.by_key.get(key, [])
        if len(exact) == 1:
            return Match(key, "linked", exact[0])
        if exact:
            return Match(key, "ambiguous", None, tuple(exact))
        near = list(dict.fromkeys(self.by_base.get(key, []) + self.by_base.get(parcel_base(key), [])
                                  + self.by_key.get(parcel_base(key), [])))
        if near:
            return Match(key, "ambiguous", None, tuple(near))
        return Match(key, "new", None)
