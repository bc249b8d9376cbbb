"""server/users/access.py follows the access matrix (tests/api/access_matrix.py) over a database built
through the API: each role, each record, each rule, including a house that changed hands."""

from server.users import access
from tests.api import access_matrix


def test_every_rule_of_access_py_follows_the_matrix(backend):
    built = access_matrix.build(backend.data_dir.parent, backend.db)
    assert access_matrix.failures(access, built) == []
