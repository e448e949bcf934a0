"""The validation suite's WSGI application: it does what the query says.

  s=N      hold the worker N microseconds (a sleep, resumed until the full
           hold has passed, as real work would be)
  hang=1   never finish (until gunicorn's timeout kills the worker)
  alloc=M  allocate M MiB before answering
  crash=K  after the hold, kill this worker with signal K (9 SIGKILL, 11 SIGSEGV)

It answers 200 with X-Hold-Us, X-Overrun-Us (the hold beyond the request:
the scheduler's overrun), X-Start-Us (when the application was called, Unix
microseconds: the load generator's clock) and X-Pid.
"""
import os
import time
from urllib.parse import parse_qs


def app(environ, start_response):
    start_us = time.time_ns() // 1000
    t0 = time.monotonic_ns()
    q = parse_qs(environ.get("QUERY_STRING", ""))
    s = int(q.get("s", ["0"])[0])
    if "hang" in q:
        while True:
            time.sleep(1)
    end = t0 + s * 1000
    while True:
        left = end - time.monotonic_ns()
        if left <= 0:
            break
        time.sleep(left / 1e9)
    buf = None
    if "alloc" in q:
        buf = bytearray(int(q["alloc"][0]) * 1048576)
    held = (time.monotonic_ns() - t0) // 1000
    if "crash" in q:
        os.kill(os.getpid(), int(q["crash"][0]))
        time.sleep(1)  # the signal is asynchronous: never answer
    del buf
    start_response("200 OK", [
        ("Content-Type", "text/plain"),
        ("X-Hold-Us", str(held)),
        ("X-Overrun-Us", str(held - s)),
        ("X-Start-Us", str(start_us)),
        ("X-Pid", str(os.getpid())),
    ])
    return [b"ok\n"]
