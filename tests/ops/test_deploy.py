"""deploy/: the alert rules load in Prometheus's own checker, every metric the rules and the dashboard
name is one the server exports, and the systemd units are valid and run commands akiya has."""

from __future__ import annotations

import json
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from tests.ops.scrape import scrape

DEPLOY = Path(__file__).resolve().parents[2] / "deploy"
RULES = DEPLOY / "prometheus" / "akiya-alerts.yml"
DASHBOARD = DEPLOY / "grafana" / "akiya-dashboard.json"
UNITS = DEPLOY / "systemd"
METRIC = re.compile(r"\bakiya_[a-z0-9_]+\b")


def rule_expressions() -> list[str]:
    return [rule["expr"] for group in yaml.safe_load(RULES.read_text())["groups"] for rule in group["rules"]]


def dashboard_expressions() -> list[str]:
    panels = json.loads(DASHBOARD.read_text())["panels"]
    return [target["expr"] for panel in panels for target in panel.get("targets", [])]


def test_promtool_accepts_the_alert_rules():
    promtool = shutil.which("promtool")
    assert promtool, "promtool missing: Debian's prometheus package (make test-packages)"
    checked = subprocess.run([promtool, "check", "rules", str(RULES)], capture_output=True, text=True)
    assert checked.returncode == 0, checked.stdout + checked.stderr
    assert "SUCCESS: 8 rules found" in checked.stdout


def test_the_rules_cover_what_operators_are_woken_for():
    names = {rule["alert"] for group in yaml.safe_load(RULES.read_text())["groups"] for rule in group["rules"]}
    assert names == {"AkiyaNotReady", "AkiyaPushErrorRatioHigh", "AkiyaPushLatencyP95High", "AkiyaMailQueueOld",
                     "AkiyaMailGivenUp", "AkiyaStorageErrors", "AkiyaNoVisitsInWorkingHours", "AkiyaDataDiskLow"}


def test_every_metric_the_rules_and_the_dashboard_name_is_exported(client):
    exported = scrape(client).sample_names()
    named = {name for expr in rule_expressions() + dashboard_expressions() for name in METRIC.findall(expr)}
    assert len(named) >= 20
    assert sorted(named - exported) == []


def test_the_dashboard_shows_every_metric_the_server_exports(client):
    exported = {name for name in scrape(client).names if name.startswith("akiya_")}
    shown = {name for expr in dashboard_expressions() for name in METRIC.findall(expr)}
    shown_families = {re.sub(r"_(bucket|count|sum|total)$", "", name) for name in shown}
    assert sorted(name for name in exported if re.sub(r"_total$", "", name) not in shown_families) == []


@pytest.mark.parametrize("unit", sorted(p.name for p in UNITS.iterdir()))
def test_systemd_accepts_each_unit(unit, tmp_path):
    akiya = Path(sys.executable).with_name("akiya")
    for path in UNITS.iterdir():  # the units name /opt/akiya; here the venv's akiya stands in for it
        (tmp_path / path.name).write_text(path.read_text().replace("/opt/akiya/.venv/bin/akiya", str(akiya)))
    checked = subprocess.run(["systemd-analyze", "verify", "--man=no", str(tmp_path / unit)],
                             capture_output=True, text=True)
    assert checked.returncode == 0 and checked.stderr.strip() == "", checked.stderr


def test_the_units_run_akiya_commands_that_exist():
    commands = {m for path in UNITS.glob("*.service") for m in re.findall(r"/bin/akiya ([a-z-]+(?: [a-z-]+)?)",
                                                                              path.read_text())}
    assert commands == {"serve", "backup", "candidates purge"}
    akiya = Path(sys.executable).with_name("akiya")
    for command in commands:
        assert subprocess.run([str(akiya), *command.split(), "--help"], capture_output=True).returncode == 0
    timer = (UNITS / "akiya-backup.timer").read_text()
    assert "OnCalendar=*-*-* 02:30:00 Asia/Tokyo" in timer
    # the owners' data past its retention date is deleted before the night's backup copies it
    assert "OnCalendar=*-*-* 01:30:00 Asia/Tokyo" in (UNITS / "akiya-purge-owners.timer").read_text()
    calendar = subprocess.run(["systemd-analyze", "calendar", "*-*-* 02:30:00 Asia/Tokyo"], capture_output=True, text=True)
    assert calendar.returncode == 0, calendar.stderr
