"""Is this server ready, and what does it count: the checks behind `/readyz` (database, storage,
migration level: readiness.py, queries.py) and the `/metrics` page (routes.py, token or loopback only)."""
