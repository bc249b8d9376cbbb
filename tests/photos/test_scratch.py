"""Upload scratch with several server processes on one data directory: each process has its own
folder; a process starting clears only what ended processes left; partial expiry by two processes
at once deletes each stale partial once and nothing fresh."""

import os
import threading
import time

from server.photos.partials import DAY_SECONDS, expire_partials
from server.photos.scratch import STRAY_SECONDS, ProcessScratch, clear_stale


def test_each_process_gets_its_own_folder_and_a_running_ones_uploads_are_left_alone(tmp_path):
    first = ProcessScratch.claim(tmp_path, "host-1-aa")
    (first.path / "in-flight.upload").write_bytes(b"half a photo")
    second = ProcessScratch.claim(tmp_path, "host-2-bb")  # starts while the first is receiving
    assert (first.path / "in-flight.upload").read_bytes() == b"half a photo"
    assert {p.name for p in tmp_path.iterdir()} == {"host-1-aa", "host-2-bb"}
    assert second.path == tmp_path / "host-2-bb" and second.path.is_dir()
    first.release()
    second.release()
    assert list(tmp_path.iterdir()) == []


def test_a_dead_process_folder_is_cleared_when_the_next_process_starts(tmp_path):
    dead = ProcessScratch.claim(tmp_path, "host-1-aa")
    (dead.path / "cut-off.upload").write_bytes(b"never recorded")
    os.close(dead._lock_fd)  # the process is SIGKILLed: the kernel drops its lock, its folder stays
    assert (tmp_path / "host-1-aa" / "cut-off.upload").exists()
    fresh = ProcessScratch.claim(tmp_path, "host-1-cc")
    assert {p.name for p in tmp_path.iterdir()} == {"host-1-cc"}
    fresh.release()


def test_loose_files_of_the_older_layout_are_cleared_only_when_old(tmp_path):
    old, recent = tmp_path / "tmpabc.upload", tmp_path / "tmpdef.upload"
    old.write_bytes(b"x")
    recent.write_bytes(b"y")
    hour_ago = time.time() - STRAY_SECONDS - 1
    os.utime(old, (hour_ago, hour_ago))
    assert clear_stale(tmp_path) == 1
    assert [p.name for p in tmp_path.iterdir()] == ["tmpdef.upload"]


def test_two_processes_expiring_partials_at_once_delete_each_old_one_once_and_no_fresh_one(tmp_path):
    old_time = time.time() - 8 * DAY_SECONDS
    for n in range(200):
        partial = tmp_path / f"{n:02d}"[:2] / f"{n:040d}.part"
        partial.parent.mkdir(exist_ok=True)
        partial.write_bytes(b"chunk")
        if n % 2 == 0:
            os.utime(partial, (old_time, old_time))
    counts = []
    start = threading.Barrier(2)

    def expire():  # each thread opens the files itself: flock behaves as between two processes
        start.wait()
        counts.append(expire_partials(tmp_path, 7))

    threads = [threading.Thread(target=expire) for _ in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert sum(counts) == 100
    left = sorted(p.name for p in tmp_path.glob("*/*.part"))
    assert left == [f"{n:040d}.part" for n in range(1, 200, 2)]
