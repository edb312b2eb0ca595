#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""Slow clients and a flood against teamwall-bridge (TARGETS.md R10), loopback only.

    slowload.py PORT [--slow 300] [--flood 1000] [--seconds 16] [--token T]

Opens SLOW connections from 127.0.1.1-127.0.1.10 that each send a header line
every 5 s and never finish (half of them a GET whose headers never end, half a
POST to /api/v1/commands whose body trickles one byte every 5 s), then FLOOD
concurrent GET /healthz from 127.0.2.1-127.0.2.10 at once, while a probe from
127.0.0.1 asks /healthz every 100 ms, each with 1 s to answer. Prints one
line of figures and a JSON line; the exit status is 0 when the probe got >= 95 %
answered 200 within 1 s and every slow client that was let in got 408 or was
closed within the deadline plus 2 s. Python's standard library only.
"""
import argparse
import asyncio
import json
import sys
import time

SLOW_LINE_EVERY = 5.0


async def slow_client(port, i, token, out, t0):
    src = "127.0.1.%d" % (1 + i % 10)
    try:
        r, w = await asyncio.open_connection("127.0.0.1", port, local_addr=(src, 0))
    except OSError:
        out["slow_refused"] += 1
        return
    post = i % 2 == 1
    if post:
        w.write(("POST /api/v1/commands HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer %s\r\n"
                 "Content-Type: application/json\r\nContent-Length: 100\r\n\r\n" % token).encode())
    else:
        w.write(b"GET /healthz HTTP/1.1\r\nHost: x\r\n")
    got = b""
    n = 0
    try:
        while True:
            try:
                await w.drain()
                chunk = await asyncio.wait_for(r.read(4096), SLOW_LINE_EVERY)
                if not chunk:
                    break
                got += chunk
            except asyncio.TimeoutError:
                n += 1
                w.write(b"{" if post else ("X-Slow-%d: %d\r\n" % (n, n)).encode())
    except (ConnectionError, OSError):
        pass
    took = time.monotonic() - t0
    out["slow_closed_after"].append(took)
    if b" 408 " in got.split(b"\r\n", 1)[0]:
        out["slow_408"] += 1
    w.close()


async def one_get(port, src, timeout):
    r = w = None
    try:
        r, w = await asyncio.wait_for(
            asyncio.open_connection("127.0.0.1", port, local_addr=(src, 0)), timeout)
        w.write(b"GET /healthz HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n")
        await w.drain()
        line = await asyncio.wait_for(r.readline(), timeout)
        return line.split(b" ")[1:2] == [b"200"]
    except (OSError, asyncio.TimeoutError, ConnectionError, IndexError):
        return False
    finally:
        if w:
            w.close()


async def flood(port, count, out):
    res = await asyncio.gather(*[one_get(port, "127.0.2.%d" % (1 + i % 10), 10.0)
                                 for i in range(count)])
    out["flood_ok"] = sum(1 for x in res if x)


async def probe(port, seconds, out):
    end = time.monotonic() + seconds
    while time.monotonic() < end:
        t = time.monotonic()
        ok = await one_get(port, "127.0.0.1", 1.0)
        out["probe_total"] += 1
        if ok and time.monotonic() - t <= 1.0:
            out["probe_ok"] += 1
        await asyncio.sleep(max(0.0, 0.1 - (time.monotonic() - t)))


async def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("port", type=int)
    ap.add_argument("--slow", type=int, default=300)
    ap.add_argument("--flood", type=int, default=1000)
    ap.add_argument("--seconds", type=float, default=16.0)
    ap.add_argument("--deadline", type=float, default=10.0)
    ap.add_argument("--token", default="x")
    a = ap.parse_args()
    out = {"slow_refused": 0, "slow_408": 0, "slow_closed_after": [], "flood_ok": 0,
           "probe_ok": 0, "probe_total": 0}
    t0 = time.monotonic()
    slow = [asyncio.ensure_future(slow_client(a.port, i, a.token, out, t0)) for i in range(a.slow)]
    await asyncio.sleep(0.5)  # the slow ones are in
    pr = asyncio.ensure_future(probe(a.port, a.seconds, out))
    await asyncio.sleep(0.5)
    await flood(a.port, a.flood, out)
    await pr
    # Whatever is still open after the deadline (plus slack) was never cut.
    done, pending = await asyncio.wait(slow, timeout=max(0.0, a.deadline + 2 - (time.monotonic() - t0)))
    for p in pending:
        p.cancel()
    admitted = a.slow - out["slow_refused"]
    cut_in_time = sum(1 for x in out["slow_closed_after"] if x <= a.deadline + 2)
    share = out["probe_ok"] / out["probe_total"] if out["probe_total"] else 0.0
    print("R10: /healthz %d of %d within 1 s (%.1f %%); slow clients: %d admitted, %d refused, "
          "%d got 408, %d cut within %.0f s, %d still open; flood: %d of %d answered 200"
          % (out["probe_ok"], out["probe_total"], 100 * share, admitted, out["slow_refused"],
             out["slow_408"], cut_in_time, a.deadline + 2, len(pending), out["flood_ok"], a.flood))
    print(json.dumps({"probe_share": share, "slow_admitted": admitted, "slow_408": out["slow_408"],
                      "slow_cut": cut_in_time, "slow_open": len(pending), "flood_ok": out["flood_ok"]}))
    ok = share >= 0.95 and not pending and cut_in_time == admitted
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(asyncio.run(main()))
