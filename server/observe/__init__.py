"""What a running server tells its operator, at the bottom of the layers (it imports no server code,
so the database, storage and every concept may count into it):

- `metrics.py`: the Prometheus metrics (prometheus-client; its multiprocess mode under
  `akiya serve --workers N`), counted where things happen, plus the state read at scrape time.
- `logs.py`: JSON or text log lines (AKIYA_LOG_FORMAT), written by a background thread so a
  slow stdout never holds up a request.

Every HTTP request gets a request id and one log line in server/http/requests.py; `/readyz` and
`/metrics` are served by server/health/. Dashboards, alert rules and systemd units: deploy/.
"""
