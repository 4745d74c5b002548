"""Limits against exhaustion (issue 10): connection caps, slow and oversize requests. Each is
answered or closed, and the server keeps answering everyone else."""
import json
import resource
import socket
import time
import urllib.request

import pytest

from conftest import AGAINST_LOCAL, Server, make_client

pytestmark = pytest.mark.skipif(not AGAINST_LOCAL, reason="starts localddb with its own limits")


def health(server):
    with urllib.request.urlopen(server.endpoint + "/_localddb/health", timeout=5) as resp:
        return resp.status


def read_answer(sock, timeout=5):
    sock.settimeout(timeout)
    data = b""
    try:
        while b"\r\n\r\n" not in data:
            chunk = sock.recv(65536)
            if not chunk:
                break
            data += chunk
    except socket.timeout:
        pass
    return data


def test_idle_connections_beyond_the_descriptor_limit_do_not_stop_health_checks():
    def low_limit():
        resource.setrlimit(resource.RLIMIT_NOFILE, (256, 256))

    server = Server("--in-memory", preexec_fn=low_limit)
    socks = []
    try:
        for _ in range(400):  # more than the process could hold open
            try:
                socks.append(socket.create_connection(("127.0.0.1", server.port), timeout=5))
            except OSError:
                break
        time.sleep(0.3)
        assert all(health(server) == 200 for _ in range(20))
        ddb = make_client(server.endpoint)
        assert "TableNames" in ddb.list_tables()
    finally:
        for s in socks:
            s.close()
        server.stop()
    log = server.proc.stderr.read()
    assert log.count("accept failed") <= 10, log[-2000:]


def test_connection_cap_answers_503_when_nothing_is_idle():
    server = Server("--in-memory", "--max-connections", "3")
    busy = []
    try:
        # Three connections in the middle of a request (not idle, so none can be evicted).
        for _ in range(3):
            s = socket.create_connection(("127.0.0.1", server.port))
            s.sendall(b"POST / HTTP/1.1\r\nHost: x\r\n")
            busy.append(s)
        time.sleep(0.2)
        extra = socket.create_connection(("127.0.0.1", server.port))
        answer = read_answer(extra)
        assert answer.startswith(b"HTTP/1.1 503"), answer
        assert b"ServiceUnavailableException" in answer or b"Content-Length" in answer
        extra.close()
    finally:
        for s in busy:
            s.close()
    time.sleep(0.2)
    assert health(server) == 200
    server.stop()


def test_slowloris_header_is_cut_off():
    server = Server("--in-memory", "--request-timeout", "1")
    try:
        s = socket.create_connection(("127.0.0.1", server.port))
        start = time.time()
        closed = False
        for byte in b"POST / HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Slow: " + b"a" * 40:
            try:
                s.sendall(bytes([byte]))
            except OSError:
                closed = True
                break
            s.settimeout(0.2)
            try:
                if s.recv(1) == b"":
                    closed = True
                    break
            except socket.timeout:
                pass
            except ConnectionResetError:
                # Cut off while a byte of ours was still unread on the server's side: the kernel
                # answers that close with a reset instead of an end of stream. Either is the cut.
                closed = True
                break
        assert closed, "a header trickling in byte by byte was never cut off"
        assert time.time() - start < 5
        assert health(server) == 200
    finally:
        server.stop()


def test_idle_connection_may_wait_longer_than_the_request_timeout():
    server = Server("--in-memory", "--request-timeout", "1")
    try:
        s = socket.create_connection(("127.0.0.1", server.port))
        time.sleep(1.5)  # idle, not slow: --idle-timeout applies
        s.sendall(b"GET /_localddb/health HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n")
        assert read_answer(s).startswith(b"HTTP/1.1 200")
    finally:
        server.stop()


def test_oversize_headers_are_431():
    server = Server("--in-memory")
    try:
        for head in (b"X-Big: " + b"a" * 20000 + b"\r\n",
                     b"".join(b"X-H%d: v\r\n" % i for i in range(150))):
            s = socket.create_connection(("127.0.0.1", server.port))
            s.sendall(b"POST / HTTP/1.1\r\nHost: 127.0.0.1\r\n" + head + b"Content-Length: 2\r\n\r\n{}")
            answer = read_answer(s)
            assert answer.startswith(b"HTTP/1.1 431"), answer[:100]
            s.close()
        assert health(server) == 200
    finally:
        server.stop()


def test_request_data_in_flight_is_bounded():
    server = Server("--in-memory", "--max-body", "4096", "--max-inflight-bytes", "8192")
    held = []
    try:
        # Two requests announce 4000-byte bodies and send none of it: 8000 bytes reserved.
        for _ in range(2):
            s = socket.create_connection(("127.0.0.1", server.port))
            s.sendall(b"POST / HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Length: 4000\r\n\r\n")
            held.append(s)
        time.sleep(0.2)
        s = socket.create_connection(("127.0.0.1", server.port))
        s.sendall(b"POST / HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Length: 4000\r\n\r\n")
        answer = read_answer(s)
        assert answer.startswith(b"HTTP/1.1 503"), answer[:200]
        s.close()
        for h in held:
            h.close()
        time.sleep(0.2)
        # Released when those connections went away.
        ddb = make_client(server.endpoint)
        assert "TableNames" in ddb.list_tables()
    finally:
        server.stop()
