"""Short chaos runs for CI (the full ones are `make chaos` and bench/chaos.py --processes 2 --postgres --s3)."""

import pytest

from tests.reliability.chaos import run_chaos


def test_devices_retrying_through_faults_and_server_kills_leave_exactly_their_records(backend):
    report = run_chaos(backend.data_dir.parent, devices=4, per_device=10, kills=3, seed=7, backend=backend)
    print("\n".join(report.lines()))
    assert report.kills == 3
    assert report.problems() == []
    assert report.proxy.get("drop", 0) + report.proxy.get("cut", 0) > 0, "the proxy disturbed nothing"


# Two processes share what only the national setup lets them share across machines: one
# PostgreSQL database and the photos in S3 (each process has a data folder of its own).
@pytest.mark.backends("postgres")
def test_two_processes_one_killed_at_a_time_mid_stream_lose_nothing_acknowledged(backend):
    report = run_chaos(backend.data_dir.parent, devices=4, per_device=10, kills=3, seed=4, backend=backend,
                       processes=2)
    print("\n".join(report.lines()))
    assert report.kills == 3
    assert all(report.kills_per_process), f"both processes are killed at some point: {report.kills_per_process}"
    assert report.problems() == []
    assert report.proxy.get("refused", 0) > 0, "no request met a killed process"
    assert report.seconds < 60
