"""Operations: the `akiya` command, serving (one process or several on one port), backups, moving an
installation to PostgreSQL and object storage. The top layer with server/app.py: nothing below
imports it. What an operator sees of a running server lives in server/observe/ (metrics, log lines),
server/http/requests.py (request ids, one log line per request) and server/health/ (/readyz, /metrics)."""
