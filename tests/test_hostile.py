"""Hostile input against a real `ipkg serve` (issue 19, part A): slow and stalled bodies, huge bodies and forms,
deeply nested JSON, HEAD, query bombs beside cheap queries, the deadline's status, the Host header, nosniff.

Every check is bounded and on loopback. None asserts how fast anything is: a slow body is cut by the server's
IPKG_BODY_TIMEOUT and the test only waits for that answer (socket timeouts are hang guards), and which lane
answered a query is read from its X-Query-Lane header, not from a stopwatch. Figures are in bench/lanes.py.
"""

from __future__ import annotations

import contextlib
import itertools
import json
import os
import select
import socket
import sys
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Iterator
from email.message import Message

import pytest

from conftest import DEADLINE, free_port, start_serve, stop_process
from ipkg.store import EmbeddedStore

BODY_TIMEOUT = 2  # the hostile server's IPKG_BODY_TIMEOUT: short, so that the slow-body checks end soon
BOMB = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i . ?j ?k ?l }"  # 65,571^4 rows to count
HEAVY_PROBE = "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }"  # an aggregate: heavy lane, but quick
ZHEJIANG = "https://w3id.org/ipkg/id/place/cn-zhejiang"
LANES_DEADLINE = 3600  # seconds a bomb may hold the lanes server's heavy worker: longer than any machine takes for
# the checks beside it (stopping the server kills the bomb's worker, so the test never waits for it)


@contextlib.contextmanager
def serve(built, tmp_path_factory, env: dict[str, str], *args: str) -> Iterator[tuple[str, int]]:
    """`ipkg serve` in a child process with `env` on a free loopback port: yields (base URL, port)."""
    port = free_port()
    log_path = tmp_path_factory.mktemp("hostile") / "serve.log"
    full_env = {**os.environ, "IPKG_ROOT": str(built.root), "IPKG_STORE": str(built.store_path),
                "IPKG_DIST": str(built.dist_path), **env}
    proc, _ = start_serve([sys.executable, "-m", "ipkg.cli", "serve", "--port", str(port), *args], full_env, log_path)
    base = f"http://127.0.0.1:{port}"
    try:
        yield base, port
    finally:
        stop_process(proc)


@pytest.fixture(scope="module")
def hostile(built, tmp_path_factory) -> Iterator[tuple[str, int]]:
    """One process of 3 request threads, 2 query workers (one kept for light queries), a 2 s body timeout."""
    env = {"IPKG_WORKERS": "2", "IPKG_BODY_TIMEOUT": str(BODY_TIMEOUT), "IPKG_QUERY_TIMEOUT": str(DEADLINE)}
    with serve(built, tmp_path_factory, env, "--processes", "1", "--threads", "3") as server:
        yield server


def request(base: str, path: str, method: str = "GET", data: bytes | None = None,
            headers: dict[str, str] | None = None, wait: float = DEADLINE * 3) -> tuple[int, Message, bytes]:
    """Status, headers (looked up in any case) and body of one request; `wait` is a hang guard."""
    req = urllib.request.Request(base + path, data=data, method=method, headers=headers or {})
    try:
        with urllib.request.urlopen(req, timeout=wait) as r:
            return r.status, r.headers, r.read()
    except urllib.error.HTTPError as exc:
        return exc.code, exc.headers, exc.read()


def query(base: str, text: str, wait: float = DEADLINE * 3, **headers: str) -> tuple[int, Message, bytes]:
    return request(base, "/sparql?query=" + urllib.parse.quote(text), headers=headers, wait=wait)


def _connect(port: int) -> socket.socket:
    sock = socket.create_connection(("127.0.0.1", port), timeout=DEADLINE * 3)  # a hang guard only
    return sock


def _head(sock: socket.socket, extra: str) -> None:
    sock.sendall(f"POST /sparql HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/x-www-form-urlencoded\r\n"
                 f"{extra}\r\n".encode())


def _read_all(sock: socket.socket) -> bytes:
    """Everything the server sends until it closes the connection (raises on the hang guard)."""
    received = b""
    while chunk := sock.recv(65536):
        received += chunk
    return received


# ---- slow, stalled and huge bodies -----------------------------------------------------------------

def _trickle(port: int, answers: list[bytes]) -> None:
    """A POST declaring 2,000 bytes, sent a byte every 0.5 s, until the server answers and closes."""
    with _connect(port) as sock:
        _head(sock, "Content-Length: 2000\r\n")
        sent = 0
        while sent < 2000:
            if select.select([sock], [], [], 0.5)[0]:
                break
            try:
                sock.sendall(b"a")
            except OSError:
                break
            sent += 1
        answers.append(_read_all(sock) if sent < 2000 else b"the whole body went through")


def test_ten_trickled_bodies_are_cut_with_408_and_cheap_queries_answer_meanwhile(hostile):
    base, port = hostile
    answers: list[bytes] = []
    clients = [threading.Thread(target=_trickle, args=(port, answers)) for _ in range(10)]
    for client in clients:
        client.start()
    statuses = [query(base, f"ASK {{}} # beside the trickles, {i}")[0] for i in range(20)]  # 3 request threads
    for client in clients:
        client.join()
    assert statuses == [200] * 20
    assert len(answers) == 10
    for answer in answers:
        assert answer.startswith(b"HTTP/1.1 408 "), answer[:100]
        assert b"IPKG_BODY_TIMEOUT" in answer and b"nosniff" in answer


def test_a_stalled_body_is_answered_408_and_its_connection_closed(hostile):
    _, port = hostile
    with _connect(port) as sock:
        _head(sock, "Content-Length: 2000\r\n")
        sock.sendall(b"query=ASK")  # and then nothing
        answer = _read_all(sock)  # returns only because the server closed the connection
    assert answer.startswith(b"HTTP/1.1 408 ")
    assert f"did not arrive within {BODY_TIMEOUT} s (9 bytes came".encode() in answer


def test_a_stalled_chunked_body_is_cut_too(hostile):
    _, port = hostile
    with _connect(port) as sock:
        _head(sock, "Transfer-Encoding: chunked\r\n")
        sock.sendall(b"9\r\nquery=ASK\r\n")
        assert _read_all(sock).startswith(b"HTTP/1.1 408 ")


def test_a_declared_100_mb_body_is_refused_413_before_a_byte_is_sent(hostile):
    _, port = hostile
    with _connect(port) as sock:
        _head(sock, f"Content-Length: {100 * 2**20}\r\n")  # the body never follows
        answer = _read_all(sock)
    assert answer.startswith(b"HTTP/1.1 413 ")
    assert b"declares 104857600 bytes; the limit is 262144 (IPKG_MAX_BODY_BYTES)" in answer


def test_a_300_mb_chunked_body_is_refused_413_once_past_the_limit(hostile):
    _, port = hostile
    chunk = b"%x\r\n" % 2**16 + b"query=" + b"a" * (2**16 - 6) + b"\r\n"
    with _connect(port) as sock:
        _head(sock, "Transfer-Encoding: chunked\r\n")
        sent = _send_until_answered(sock, chunk, 300 * 2**20)  # 300 MB of form, 64 kB a chunk
        answer = _read_all(sock)
    assert answer.startswith(b"HTTP/1.1 413 ") and b"larger than 262144 bytes" in answer
    assert sent < 300 * 2**20 * len(chunk) // 2**16  # refused while the body was still coming, not after reading it all


def _send_until_answered(sock: socket.socket, piece: bytes, total: int) -> int:
    """Send `piece` again and again, `total` bytes in all, until the server answers (or closes); returns the
    bytes sent."""
    sent = 0
    with contextlib.suppress(OSError):  # the server may close while a piece is on its way
        while sent < total and not select.select([sock], [], [], 0)[0]:
            sock.sendall(piece)
            sent += len(piece)
    return sent


def test_a_body_of_2_million_form_fields_is_refused_by_its_size(hostile):
    _, port = hostile
    with _connect(port) as sock:
        _head(sock, "Content-Length: 4000000\r\n")
        _send_until_answered(sock, b"a&" * 2**15, 4_000_000)  # 2 million fields
        answer = _read_all(sock)
    assert answer.startswith(b"HTTP/1.1 413 ") and b"declares 4000000 bytes" in answer


def test_a_form_of_too_many_fields_within_the_size_limit_is_refused(hostile):
    base, _ = hostile
    fields = b"query=ASK%7B%7D" + b"&a" * 50_000  # 100 kB: under the size limit, 50 times the field limit
    status, _, body = request(base, "/sparql", "POST", fields, {"Content-Type": "application/x-www-form-urlencoded"})
    assert status == 413 and b"more than 1000 fields (IPKG_MAX_FORM_FIELDS)" in body
    status, _, body = request(base, "/sparql?query=ASK%7B%7D" + "&a" * 5000)
    assert status == 400 and b"more than 1000 parameters" in body
    ok = request(base, "/sparql", "POST", b"query=ASK%7B%7D" + b"&a" * 998, {"Content-Type": "application/x-www-form-urlencoded"})
    assert ok[0] == 200  # 999 fields: within the limit


def test_a_malformed_content_length_is_a_400(hostile):
    _, port = hostile
    with _connect(port) as sock:
        _head(sock, "Content-Length: 12abc\r\n")
        answer = _read_all(sock)
    assert answer.startswith(b"HTTP/1.1 400 ")


def test_raw_non_ascii_bytes_in_the_request_target_are_a_400(hostile):
    _, port = hostile
    with _connect(port) as sock:
        sock.sendall("GET /sparql?query=ASK%7B%7D%23日本 HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n".encode())
        assert _read_all(sock).startswith(b"HTTP/1.1 400 ")


# ---- JSON, HEAD, headers ---------------------------------------------------------------------------

@pytest.mark.parametrize("depth", [100_000, 5_000])
def test_deeply_nested_eligibility_json_is_a_400_with_a_reason(hostile, client, depth):
    body = b"[" * depth + b"]" * depth
    status, headers, answer = request(hostile[0], "/api/eligibility", "POST", body, {"Content-Type": "application/json"})
    problem = json.loads(answer)
    assert status == 400 and headers["Content-Type"] == "application/json"
    assert problem["title"] == "Bad Request" and "too deeply" in problem["problems"][0]
    assert client.post("/api/eligibility", data=body, content_type="application/json").status_code == 400
    assert client.post("/api/eligibility/next-question", data=body, content_type="application/json").status_code == 400


def test_head_of_a_query_has_the_get_headers_and_no_body(hostile):
    base, port = hostile
    path = "/sparql?query=" + urllib.parse.quote(f"SELECT ?p ?o WHERE {{ <{ZHEJIANG}> ?p ?o }}")
    get_status, get_headers, get_body = request(base, path, headers={"Accept": "text/csv"})
    with _connect(port) as sock:  # urllib would not show a body sent after a HEAD; a socket does
        sock.sendall(f"HEAD {path} HTTP/1.1\r\nHost: 127.0.0.1\r\nAccept: text/csv\r\nConnection: close\r\n\r\n".encode())
        head = _read_all(sock)
    status_line, _, rest = head.partition(b"\r\n")
    fields, _, after = rest.partition(b"\r\n\r\n")
    headers = dict(line.decode().split(": ", 1) for line in fields.split(b"\r\n"))
    headers = {k.lower(): v for k, v in headers.items()}
    assert get_status == 200 and status_line == b"HTTP/1.1 200 OK" and after == b""
    assert headers["content-type"] == get_headers["Content-Type"] == "text/csv; charset=utf-8"
    assert int(headers["content-length"]) == len(get_body) and get_body.count(b"\r\n") == 11  # header, ten rows


def test_a_dump_streams_through_the_asgi_face_byte_for_byte(hostile, built):
    """The gzipped N-Quads dump (sent from a file in batches) arrives whole, and its HEAD has no body."""
    status, headers, body = request(hostile[0], "/download/ipkg.nq.gz")
    assert status == 200 and body == (built.dist_path / "ipkg.nq.gz").read_bytes()
    assert int(headers["Content-Length"]) == len(body) > 2**19
    status, headers, body = request(hostile[0], "/download/ipkg.nq.gz", method="HEAD")
    assert status == 200 and body == b"" and int(headers["Content-Length"]) > 2**19


def test_openapi_servers_do_not_echo_the_host_header(hostile):
    status, _, body = request(hostile[0], "/api/openapi.json", headers={"Host": "evil.example"})
    assert status == 200 and json.loads(body)["servers"] == [{"url": "/"}]
    assert b"evil.example" not in body


@pytest.mark.parametrize("path", ["/id/%3Cscript%3Ealert(1)%3C/script%3E", "/sparql?query=ASK%7B%7D", "/api/openapi.json",
                                  "/download", "/nowhere", "/sparql?query=SELEC"])
def test_every_answer_says_nosniff(hostile, path):
    status, headers, _ = request(hostile[0], path)
    assert headers["X-Content-Type-Options"] == "nosniff", (path, status)


def test_a_script_in_an_id_path_comes_back_only_as_plain_text_with_nosniff(hostile):
    status, headers, body = request(hostile[0], "/id/%3Cscript%3Ealert(1)%3C/script%3E")
    assert status == 404 and headers["X-Content-Type-Options"] == "nosniff"
    assert not headers["Content-Type"].startswith("text/html") or b"<script>" not in body


# ---- lanes: cheap queries never starve behind bombs ------------------------------------------------

@pytest.fixture()
def lanes(built, tmp_path_factory) -> Iterator[str]:
    """A server whose only heavy worker a bomb can hold for an hour: one process, 3 request threads, 2 workers."""
    env = {"IPKG_WORKERS": "2", "IPKG_QUERY_TIMEOUT": str(LANES_DEADLINE)}
    with serve(built, tmp_path_factory, env, "--processes", "1", "--threads", "3") as (base, _):
        yield base  # stopping the server kills the bomb's worker


def test_with_the_heavy_worker_held_by_a_bomb_cheap_queries_answer_in_the_light_lane(lanes):
    held = threading.Thread()
    for i in itertools.count():  # until a bomb holds the heavy worker, however long the worker takes to start
        if not held.is_alive():  # the first, or one refused while the heavy worker was still starting
            held = threading.Thread(target=query, args=(lanes, BOMB, 2 * LANES_DEADLINE), daemon=True)
            held.start()
        status, headers, body = query(lanes, f"{HEAVY_PROBE} # probe {i}")
        if status == 503 and held.is_alive():
            break
        time.sleep(0.1)
    assert status == 503 and b"busy" in body and headers["Retry-After"] == "1"
    # bombs beyond the heavy workers are refused at once, never queued on the 3 request threads
    refused = [query(lanes, f"{BOMB} # more {i}") for i in range(6)]
    assert [(s, h["Retry-After"]) for s, h, _ in refused] == [(503, "1")] * 6
    for i in range(10):  # while the bomb still runs (an hour's deadline), the light lane answers every cheap query
        status, headers, body = query(lanes, f"ASK {{}} # cheap {i}", Accept="application/sparql-results+json")
        assert (status, headers["X-Query-Lane"], json.loads(body)["boolean"]) == (200, "light", True)
        status, headers, body = query(lanes, f"SELECT ?p WHERE {{ ?p a <https://w3id.org/ipkg/def/Programme> }} LIMIT 2 # {i}")
        assert (status, headers["X-Query-Lane"]) == (200, "light")
    status, headers, _ = query(lanes, f"DESCRIBE <{ZHEJIANG}>", Accept="text/turtle")
    assert (status, headers["X-Query-Lane"]) == (200, "process")  # a point lookup, in the request's process
    assert query(lanes, "ASK {} # cheap 0", Accept="application/sparql-results+json")[1]["X-Query-Lane"] == "cache"
    assert held.is_alive()  # the bomb was running all along


def test_a_query_stopped_at_the_deadline_is_a_503_with_retry_after(live_server):
    status, headers, body = query(live_server, f"{BOMB} # deadline")
    assert status == 503 and headers["Retry-After"] == str(int(DEADLINE))
    assert b"query stopped after the 10 s time limit (IPKG_QUERY_TIMEOUT); narrow the query or add a LIMIT" in body


# ---- the pool's lanes, in process -------------------------------------------------------------------

def test_the_pool_keeps_one_worker_for_light_queries_and_refuses_heavy_ones_beyond_its_lane(built):
    from ipkg.sparql.workers import QueryFailed, ServiceBusy, WorkerPool

    pool = WorkerPool(built.store_path, size=2, memory_quads=0, light=1, max_waiting=0)
    try:
        assert pool.lanes == {"light": 1, "heavy": 1}
        answer, lane = pool.run("ASK { ?s ?p ?o }", DEADLINE, light=True)
        assert (answer.boolean, lane) == (True, "light")
        answer, lane = pool.run(HEAVY_PROBE, DEADLINE)
        assert (answer.rows[0][0].value, lane) == (len(EmbeddedStore(built.store_path)), "heavy")
        def hold_the_heavy_worker() -> None:
            with pytest.raises(QueryFailed):
                pool.run(BOMB, LANES_DEADLINE)

        bomb = threading.Thread(target=hold_the_heavy_worker, daemon=True)
        bomb.start()
        while not pool._idle["heavy"].empty():  # until the bomb holds the heavy worker (no count, no clock)
            time.sleep(0.05)
        with pytest.raises(ServiceBusy, match="query workers for this kind of query are busy"):
            pool.run(HEAVY_PROBE, DEADLINE)  # refused at once: max_waiting=0
        assert pool.run("ASK {}", DEADLINE, light=True)[1] == "light"
        assert pool.served == {"light": 2, "heavy": 1, "refused": 1}
    finally:
        pool.close()  # kills the bomb's worker: its run ends with QueryFailed
    single = WorkerPool(built.store_path, size=1, light=1)  # one worker: shared, nothing kept back
    single.close()
    assert single.lanes == {"light": 0, "heavy": 1}


def test_a_worker_joins_its_lane_only_once_its_store_is_open(tmp_path):
    """A worker that cannot open its store never takes a query: the query is refused busy, not stopped at the
    deadline as if it had run (a worker still loading a store under load once cost a query its deadline)."""
    from ipkg.sparql.workers import ServiceBusy, WorkerPool

    pool = WorkerPool(tmp_path / "no-store", size=1)
    try:
        with pytest.raises(ServiceBusy):
            pool.run("ASK {}", 1.0)
    finally:
        pool.close()
