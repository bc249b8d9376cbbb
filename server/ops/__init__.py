"""Operations: what an operator sees of a running server without reading code.

- `metrics.py`: the Prometheus metrics (prometheus-client; its multiprocess mode under
  `akiya serve --workers N`), counted where things happen, plus the state read at scrape time.
- `requests.py`: every HTTP request gets a request id (response header `X-Request-ID`, every
  error body), one log line and its count and latency by route template.
- `logs.py`: JSON or text log lines (AKIYA_LOG_FORMAT), written by a background thread so a
  slow stdout never holds up a request.
- `readiness.py`: the checks behind `/readyz` (database, storage, migration level).
- `routes.py`: `/readyz` and `/metrics` (token or loopback only).
Dashboards, alert rules and systemd units that use them live in deploy/.
"""
