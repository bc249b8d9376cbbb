"""The blob store, on the local data directory and on a real S3 server (rclone serve s3): the
same tests for both backends."""

from __future__ import annotations

import asyncio
import contextlib
import hashlib
import os
import re

import pytest

from server.photos.store import PhotoStore
from server.storage import BlobInfo, BlobNotFound, InvalidKey, photo_key, storage_for
from server.storage.local import LocalStore
from server.storage.s3 import S3Store
from tests.support.backends import s3_storage  # noqa: F401 (fixture)

MiB = 1024 * 1024


@pytest.fixture(params=["local", "s3"])
def make_store(request, tmp_path, monkeypatch):
    """A function making a fresh store (inside the test's event loop) and the folder its bytes land in."""
    if request.param == "local":
        return lambda: LocalStore(tmp_path / "data"), tmp_path / "data"
    server = request.getfixturevalue("s3_storage")
    for name, value in server.environ().items():
        monkeypatch.setenv(name, value)
    prefix = "t/" + re.sub(r"[^A-Za-z0-9_-]", "_", request.node.name)  # a plain path whatever the test id holds
    return (lambda: storage_for(server.url(prefix), tmp_path / "unused")), server.root / server.bucket / prefix


def run(make, scenario):
    async def go():
        store = make()
        try:
            return await scenario(store)
        finally:
            await store.close()
    return asyncio.run(go())


async def read(store, key, **kw) -> bytes:
    return b"".join([block async for block in store.get(key, **kw)])


async def listed(store, prefix=""):
    return [info async for info in store.list(prefix)]


def test_open_gives_size_and_bytes_in_one_request_and_missing_at_once(make_store):
    make, _ = make_store
    key = photo_key("thumb", "ab12cd34")

    async def scenario(store):
        await store.put(key, b"x" * 3000)
        info, chunks = await store.open(key)
        assert info == BlobInfo(key, 3000) and info.modified is not None
        assert b"".join([block async for block in chunks]) == b"x" * 3000
        with pytest.raises(BlobNotFound):
            await store.open(photo_key("thumb", "ab00"))

    run(make, scenario)


def test_put_get_head_delete(make_store):
    make, _ = make_store
    key = photo_key("original", "ab12cd34")

    async def scenario(store):
        assert await store.put(key, b"\xff\xd8 jpeg bytes \xff\xd9", content_type="image/jpeg") == 16
        assert await store.head(key) == BlobInfo(key, 16)
        assert await store.exists(key)
        assert await read(store, key) == b"\xff\xd8 jpeg bytes \xff\xd9"
        assert await read(store, key, start=3, end=7) == b"jpeg"
        assert await read(store, key, start=11) == b"es \xff\xd9"
        assert await store.put(key, b"replaced") == 8  # a put replaces the whole blob
        assert await read(store, key) == b"replaced"
        await store.delete(key)
        await store.delete(key)  # deleting what is gone is no error
        assert await store.head(key) is None and not await store.exists(key)
        with pytest.raises(BlobNotFound):
            await read(store, key)
        with pytest.raises(BlobNotFound):
            await read(store, "reports/none.pdf")

    run(make, scenario)


def test_large_put_streams_in_parts(make_store, tmp_path):
    """A 13 MiB upload from an async iterator of odd-sized chunks: S3 gets a multipart upload
    (three 5 MiB-or-less parts), both read back the same bytes."""
    make, folder = make_store
    key = "photos/original/ff/ffee.jpg"
    payload = os.urandom(13 * MiB + 12345)

    async def chunks():
        for i in range(0, len(payload), 777_777):
            await asyncio.sleep(0)
            yield payload[i:i + 777_777]

    parts = []
    on_s3 = []

    async def scenario(store):
        if isinstance(store, S3Store):
            on_s3.append(True)
            store.part_size = 5 * MiB
            client = await store._s3()
            upload_part = client.upload_part

            async def counting(**kw):
                parts.append(len(kw["Body"]))
                return await upload_part(**kw)
            client.upload_part = counting
        assert await store.put(key, chunks()) == len(payload)
        assert (await store.head(key)).size == len(payload)
        assert hashlib.sha256(await read(store, key)).digest() == hashlib.sha256(payload).digest()
        target = tmp_path / "copy.jpg"
        assert await store.get_to_path(key, target) == len(payload)
        assert target.read_bytes() == payload

    run(make, scenario)
    assert (folder / key).read_bytes() == payload  # a plain file on disk / in the served folder
    if on_s3:
        assert parts == [5 * MiB, 5 * MiB, len(payload) - 10 * MiB]


def test_put_from_a_file(make_store, tmp_path):
    make, _ = make_store
    source = tmp_path / "report.pdf"
    source.write_bytes(b"%PDF-1.4 " + os.urandom(3 * MiB))

    async def scenario(store):
        assert await store.put("reports/2026-11/owner.pdf", source) == source.stat().st_size
        return await read(store, "reports/2026-11/owner.pdf")

    assert run(make, scenario) == source.read_bytes()


def test_a_failed_put_leaves_nothing(make_store):
    make, folder = make_store
    key = "photos/original/aa/aabb.jpg"

    async def failing():
        yield os.urandom(6 * MiB)
        raise ConnectionResetError("phone went away")

    async def scenario(store):
        if isinstance(store, S3Store):
            store.part_size = 5 * MiB  # the failure comes after a part was sent
        with pytest.raises(ConnectionResetError):
            await store.put(key, failing())
        assert await store.head(key) is None
        return await listed(store)

    assert run(make, scenario) == []
    assert not (folder / key).exists()
    leftovers = [p for p in folder.rglob("*") if p.is_file()] if folder.exists() else []
    assert leftovers == []


def test_list_by_prefix(make_store):
    make, _ = make_store
    ids = ["ab01", "ab02", "cd03"]

    async def scenario(store):
        for n, photo_id in enumerate(ids):
            await store.put(photo_key("original", photo_id), b"o" * (n + 1))
            await store.put(photo_key("thumb", photo_id), b"t")
        await store.put("reports/x.pdf", b"pdf")
        return (await listed(store, "photos/original/"), await listed(store, "photos/original/ab"),
                await listed(store, "photos/thumb/cd/"), [i.key for i in await listed(store)])

    originals, ab, thumbs, everything = run(make, scenario)
    assert originals == [BlobInfo("photos/original/ab/ab01.jpg", 1), BlobInfo("photos/original/ab/ab02.jpg", 2),
                         BlobInfo("photos/original/cd/cd03.jpg", 3)]
    assert [i.key for i in ab] == ["photos/original/ab/ab01.jpg", "photos/original/ab/ab02.jpg"]
    assert thumbs == [BlobInfo("photos/thumb/cd/cd03.jpg", 1)]
    assert everything == sorted(everything) and len(everything) == 7 and "reports/x.pdf" in everything


@pytest.mark.parametrize("key", ["", "/etc/passwd", "photos/../x", "photos//x", "a\\b", "./x", "photos/"])
def test_keys_are_plain_relative_paths(make_store, key):
    make, _ = make_store

    async def scenario(store):
        with pytest.raises(InvalidKey):
            await store.put(key, b"x")
        with pytest.raises(InvalidKey):
            await store.head(key)

    run(make, scenario)


def test_local_keys_are_todays_layout(tmp_path):
    """A photo put under its key is where PhotoStore (and so the running server) finds it."""
    store = LocalStore(tmp_path)
    photo_id = "0f8e2c6a-1b2c-4d5e-8f90-123456789abc"

    async def scenario():
        for kind in ("original", "report", "thumb"):
            await store.put(photo_key(kind, photo_id), kind.encode())

    asyncio.run(scenario())
    photos = PhotoStore(tmp_path / "photos")
    assert photos.original(photo_id).read_bytes() == b"original"
    assert photos.report(photo_id).read_bytes() == b"report"
    assert photos.thumb(photo_id).read_bytes() == b"thumb"
    assert store.local_path(photo_key("report", photo_id)) == photos.report(photo_id)


def test_storage_url_chooses_the_backend(tmp_path, monkeypatch):
    monkeypatch.setenv("AKIYA_S3_ENDPOINT_URL", "http://127.0.0.1:9")
    local = storage_for(None, tmp_path)
    assert isinstance(local, LocalStore) and local.root == tmp_path
    s3 = storage_for("s3://akiya-photos/national/east", tmp_path)
    assert isinstance(s3, S3Store) and (s3.bucket, s3.prefix, s3.endpoint_url) == (
        "akiya-photos", "national/east", "http://127.0.0.1:9")
    assert s3.local_path("photos/x") is None
    with pytest.raises(ValueError):
        storage_for("gs://bucket", tmp_path)
    with pytest.raises(ValueError):
        storage_for("s3:///prefix", tmp_path)


def fake_aws_credentials(monkeypatch) -> None:
    """Credentials for an S3 endpoint on loopback that checks none."""
    for name, value in {"AWS_ACCESS_KEY_ID": "k", "AWS_SECRET_ACCESS_KEY": "s", "AWS_DEFAULT_REGION": "us-east-1"}.items():
        monkeypatch.setenv(name, value)


def test_an_s3_server_that_takes_a_request_and_never_answers_is_an_error_in_bounded_time(monkeypatch):
    import socket
    import threading
    import time

    from server.storage import s3

    monkeypatch.setattr(s3, "REQUEST_SECONDS", 1)
    fake_aws_credentials(monkeypatch)
    silent = socket.create_server(("127.0.0.1", 0))
    held: list[socket.socket] = []

    def accept_and_stay_silent():
        silent.settimeout(30)
        with contextlib.suppress(OSError):
            while True:
                conn, _ = silent.accept()
                held.append(conn)  # read nothing back, answer nothing

    threading.Thread(target=accept_and_stay_silent, daemon=True).start()
    store = S3Store("bucket", endpoint_url=f"http://127.0.0.1:{silent.getsockname()[1]}")
    started = time.monotonic()

    async def put_then_close():
        try:
            await store.put("photos/original/ab/x.jpg", b"jpeg bytes")
        finally:
            await store.close()

    with pytest.raises(s3.TRANSIENT_ERRORS):
        asyncio.run(put_then_close())
    assert time.monotonic() - started < 10
    silent.close()
    for conn in held:
        conn.close()


def _s3_server_cutting_bodies_short(cuts: int, body: bytes):
    """A one-object S3 endpoint on loopback whose first `cuts` GETs announce the whole length and
    close the connection after 120 bytes; later GETs answer in full (or the Range asked for).
    Returns (endpoint, the Range header of every GET, a stop function)."""
    import socket
    import threading

    server = socket.create_server(("127.0.0.1", 0))
    ranges: list[str | None] = []

    def answer(conn: socket.socket) -> None:
        with conn:
            request = b""
            while b"\r\n\r\n" not in request:
                chunk = conn.recv(65536)
                if not chunk:
                    return
                request += chunk
            asked = re.search(rb"(?im)^range: bytes=(\d+)-\s*$", request)
            ranges.append(asked and asked.group(0).decode().split(":", 1)[1].strip())
            offset = int(asked.group(1)) if asked else 0
            rest = body[offset:]
            status = "206 Partial Content" if asked else "200 OK"
            head = (f"HTTP/1.1 {status}\r\nContent-Length: {len(rest)}\r\nContent-Type: image/jpeg\r\n"
                    f"ETag: \"e\"\r\nConnection: close\r\n\r\n").encode()
            sent = rest[:120] if len(ranges) <= cuts else rest
            conn.sendall(head + sent)

    def serve() -> None:
        server.settimeout(30)
        with contextlib.suppress(OSError):
            while True:
                conn, _ = server.accept()
                threading.Thread(target=answer, args=(conn,), daemon=True).start()

    threading.Thread(target=serve, daemon=True).start()
    return f"http://127.0.0.1:{server.getsockname()[1]}", ranges, server.close


@pytest.mark.parametrize("cuts", [1, 3])
def test_a_body_cut_short_is_read_on_from_where_it_stopped(monkeypatch, cuts):
    fake_aws_credentials(monkeypatch)
    body = bytes(range(256)) * 600
    endpoint, ranges, stop = _s3_server_cutting_bodies_short(cuts, body)

    async def scenario():
        store = S3Store("bucket", endpoint_url=endpoint)
        try:
            return await read(store, "photos/original/ab/x.jpg")
        finally:
            await store.close()
    try:
        assert asyncio.run(scenario()) == body
    finally:
        stop()
    assert ranges == [None] + [f"bytes={120 * n}-" for n in range(1, cuts + 1)]


def test_a_body_cut_short_every_time_is_an_error_not_a_short_read(monkeypatch):
    from server.storage import s3

    fake_aws_credentials(monkeypatch)
    endpoint, ranges, stop = _s3_server_cutting_bodies_short(99, bytes(5000))

    async def scenario():
        store = S3Store("bucket", endpoint_url=endpoint)
        try:
            return await read(store, "photos/original/ab/x.jpg")
        finally:
            await store.close()
    try:
        with pytest.raises(s3.TRANSIENT_ERRORS):
            asyncio.run(scenario())
    finally:
        stop()
    assert len(ranges) == s3.BODY_RESUMES + 1


def test_a_request_the_server_holds_unanswered_is_sent_again_on_a_new_connection(monkeypatch):
    """A pooled connection the server stopped serving: after ATTEMPT_SECONDS the put is sent again
    (its connection closed) and the second answer is the put's, well inside REQUEST_SECONDS."""
    import socket
    import threading
    import time

    from server.storage import s3

    monkeypatch.setattr(s3, "ATTEMPT_SECONDS", 1)
    fake_aws_credentials(monkeypatch)
    server = socket.create_server(("127.0.0.1", 0))
    requests: list[bytes] = []
    held: list[socket.socket] = []

    def answer(conn: socket.socket) -> None:
        request = b""
        while b"\r\n\r\n" not in request:
            chunk = conn.recv(65536)
            if not chunk:
                return
            request += chunk
        requests.append(request.split(b"\r\n", 1)[0])
        if len(requests) == 1:
            held.append(conn)  # take it, never answer
            return
        with conn:
            conn.sendall(b'HTTP/1.1 200 OK\r\nETag: "e"\r\nContent-Length: 0\r\nConnection: close\r\n\r\n')

    def serve() -> None:
        server.settimeout(30)
        with contextlib.suppress(OSError):
            while True:
                conn, _ = server.accept()
                threading.Thread(target=answer, args=(conn,), daemon=True).start()

    threading.Thread(target=serve, daemon=True).start()

    async def put():
        store = S3Store("bucket", endpoint_url=f"http://127.0.0.1:{server.getsockname()[1]}")
        try:
            return await store.put("photos/original/ab/x.jpg", b"jpeg bytes")
        finally:
            await store.close()

    started = time.monotonic()
    try:
        assert asyncio.run(put()) == 10
    finally:
        server.close()
        for conn in held:
            conn.close()
    assert time.monotonic() - started < 10
    assert [line.split(b" ")[0] for line in requests] == [b"PUT", b"PUT"]
