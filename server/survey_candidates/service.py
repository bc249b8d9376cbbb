"""Importing a candidate file: parsed and checked whole before anything is written, then matched and
stored in one transaction (server/survey_candidates/queries.py import_candidates)."""

from __future__ import annotations

import hashlib

from server.core import audit
from server.survey_candidates.csv_file import CandidateFile, parse_candidate_csv
from server.survey_candidates.matching import HouseIndex
from server.survey_candidates.postal import postal_flag
from server.survey_candidates.queries import ImportResult, contract_ref, import_candidates, known_houses
from server.users.queries import User


async def import_candidate_file(db, actor: audit.Actor, user: User | None, contract_id: int,
                                data: bytes) -> tuple[CandidateFile, ImportResult]:
    """CandidateFileError (row, column, why) before any write when the file is bad; otherwise the file's
    rows in one transaction (`user` None: the operator at the command line)."""
    parsed = parse_candidate_csv(data)
    sha256 = hashlib.sha256(data).hexdigest()

    async def write(conn) -> ImportResult:
        contract = await contract_ref(conn, user, contract_id)
        index = HouseIndex(await known_houses(conn, contract.municipality_code), contract.prefecture,
                           contract.municipality)
        rows = [(row, index.match(row.address), postal_flag(row.owner_postal_code, row.owner_address))
                for row in parsed.rows]
        return await import_candidates(conn, actor, contract, sha256, rows)

    return parsed, await db.write(write)
