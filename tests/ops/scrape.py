"""Reading /metrics as Prometheus does (prometheus-client's own parser of the text format)."""

from __future__ import annotations

from prometheus_client.parser import text_string_to_metric_families


class Scrape:
    """One scrape: `value(name, **labels)` (0.0 when absent), `series(name)` every sample of a name,
    `names` every metric family the text declares (HELP/TYPE lines count, samples or not)."""

    def __init__(self, text: str):
        self.text = text
        self.families = list(text_string_to_metric_families(text))
        self.samples = [s for family in self.families for s in family.samples]
        self.names = {family.name for family in self.families}

    def series(self, name: str) -> list[dict[str, str]]:
        return [s.labels for s in self.samples if s.name == name]

    def value(self, name: str, **labels) -> float:
        return sum(s.value for s in self.samples
                   if s.name == name and all(s.labels.get(k) == v for k, v in labels.items()))

    def sample_names(self) -> set[str]:
        """Every name a query can use: samples (`_total`, `_bucket`, `_count`, `_sum`) and the families."""
        found = {s.name for s in self.samples} | self.names
        for family in self.families:
            if family.type == "histogram":
                found |= {family.name + suffix for suffix in ("_bucket", "_count", "_sum")}
            if family.type == "counter":
                found.add(family.name + "_total")
        return found


def scrape(http, token: str | None = None) -> Scrape:
    headers = {"Authorization": f"Bearer {token}"} if token else {}
    response = http.get("/metrics", headers=headers)
    assert response.status_code == 200, response.text
    return Scrape(response.text)
