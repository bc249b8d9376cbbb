"""Short chaos run for CI (the full one is `make chaos`)."""

from tests.reliability.chaos import run_chaos


def test_devices_retrying_through_faults_and_server_kills_leave_exactly_their_records(backend):
    report = run_chaos(backend.data_dir.parent, devices=4, per_device=10, kills=3, seed=7, backend=backend)
    print("\n".join(report.lines()))
    assert report.kills == 3
    assert report.problems() == []
    assert report.proxy.get("drop", 0) + report.proxy.get("cut", 0) > 0, "the proxy disturbed nothing"
