#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""Drive Debian's chromium (headless) and teamwall-bridge's event stream for
tests/it_web.sh, with nothing but the Python standard library.

The browser is driven through the DevTools protocol over
--remote-debugging-pipe (JSON messages ended by NUL on fds 3 and 4), so no
WebSocket client is needed. Subcommands (each prints one JSON line and exits 0
when its checks pass, 1 when one fails):

  page URL --out DIR --mqtt-port P --root R   the live page: a post made after
        it loaded shows within 2 s as text (an <img> payload stays text, no
        dialog opens), the page's Claim button claims it through the broker,
        a resolve removes it; no script error, no CSP violation
  shot URL --out FILE --size WxH [--expect-standup ID]  a screenshot once the
        page is drawn (and shows the stand-up's item, when given)
  viewers URL --count N --changes K --mqtt-port P --topic T --pid PID
        N event streams at once: each gets every one of K state changes;
        the latency from the broker to the last stream, the bridge's CPU and
        memory
  latency URL --mqtt-port P --topic T   one stream: a retained state published
        on the broker arrives within 1 s; reconnecting with Last-Event-ID
        gets nothing it already has
"""
import argparse
import base64
import http.client
import json
import os
import select
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import urllib.parse

CHROMIUM_FLAGS = [
    "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
    "--disable-background-networking", "--disable-component-update", "--disable-sync",
    "--disable-extensions", "--hide-scrollbars", "--mute-audio", "--font-render-hinting=none",
]


def chromium_binary():
    for name in ("chromium", "chromium-browser", "google-chrome"):
        path = shutil.which(name)
        if path:
            return path
    return None


class Browser:
    """One headless chromium with a fresh profile, one page, DevTools over a pipe."""

    def __init__(self, log_path):
        self.profile = tempfile.mkdtemp(prefix="tw-chromium-")
        to_chrome_r, self.to_chrome = os.pipe()
        self.from_chrome, from_chrome_w = os.pipe()
        args = [chromium_binary()] + CHROMIUM_FLAGS + [
            "--user-data-dir=" + self.profile, "--remote-debugging-pipe", "about:blank"]
        # The pipe must be fds 3 and 4 in the browser: bash moves them there.
        self.log = open(log_path, "ab")
        self.proc = subprocess.Popen(
            ["bash", "-c", 'exec "$@" 3<&%d 4>&%d' % (to_chrome_r, from_chrome_w), "chromium"] + args,
            pass_fds=(to_chrome_r, from_chrome_w), stdout=self.log, stderr=self.log)
        os.close(to_chrome_r)
        os.close(from_chrome_w)
        self.buf = b""
        self.next_id = 0
        self.events = []
        self.session = None
        targets = self.call("Target.getTargets")["targetInfos"]
        page = [t for t in targets if t["type"] == "page"]
        target = page[0]["targetId"] if page else self.call("Target.createTarget", url="about:blank")["targetId"]
        self.session = self.call("Target.attachToTarget", targetId=target, flatten=True)["sessionId"]
        for domain in ("Page", "Runtime", "Log"):
            self.call(domain + ".enable")

    def _send(self, msg):
        os.write(self.to_chrome, json.dumps(msg).encode() + b"\0")

    def _read(self, timeout):
        end = time.monotonic() + timeout
        while b"\0" not in self.buf:
            left = end - time.monotonic()
            if left <= 0:
                return None
            r, _, _ = select.select([self.from_chrome], [], [], left)
            if r:
                chunk = os.read(self.from_chrome, 1 << 20)
                if not chunk:
                    raise RuntimeError("chromium closed the DevTools pipe")
                self.buf += chunk
        msg, self.buf = self.buf.split(b"\0", 1)
        return json.loads(msg)

    def call(self, method, timeout=30, **params):
        self.next_id += 1
        msg = {"id": self.next_id, "method": method, "params": params}
        if self.session and not method.startswith("Target."):
            msg["sessionId"] = self.session
        self._send(msg)
        end = time.monotonic() + timeout
        while time.monotonic() < end:
            reply = self._read(end - time.monotonic())
            if reply is None:
                break
            if reply.get("id") == self.next_id:
                if "error" in reply:
                    raise RuntimeError("%s: %s" % (method, reply["error"]))
                return reply.get("result", {})
            if "method" in reply:
                self.events.append(reply)
                if reply["method"] == "Page.javascriptDialogOpening":
                    self._send({"id": 0, "method": "Page.handleJavaScriptDialog",
                                "params": {"accept": True}, "sessionId": self.session})
        raise RuntimeError("%s: no answer in %s s" % (method, timeout))

    def eval(self, expression):
        r = self.call("Runtime.evaluate", expression=expression, returnByValue=True, awaitPromise=True)
        if "exceptionDetails" in r:
            raise RuntimeError("evaluate %s: %s" % (expression, r["exceptionDetails"]))
        return r["result"].get("value")

    def wait_for(self, expression, timeout):
        """Poll expression until truthy; returns the seconds it took, or None."""
        start = time.monotonic()
        while time.monotonic() - start < timeout:
            if self.eval("(() => { try { return !!(%s); } catch (e) { return false; } })()" % expression):
                return time.monotonic() - start
            time.sleep(0.05)
        return None

    def size(self, width, height):
        self.call("Emulation.setDeviceMetricsOverride", width=width, height=height,
                  deviceScaleFactor=1, mobile=width < 600)

    def problems(self):
        """Script errors, CSP violations and dialogs seen so far."""
        out = []
        for e in self.events:
            m, p = e["method"], e.get("params", {})
            if m == "Runtime.exceptionThrown":
                out.append("exception: " + json.dumps(p.get("exceptionDetails", {}))[:300])
            elif m == "Log.entryAdded" and p["entry"].get("level") == "error":
                # Network errors are expected while a bridge restarts.
                if p["entry"].get("source") != "network":
                    out.append("console: " + p["entry"].get("text", "")[:300])
            elif m == "Page.javascriptDialogOpening" and p.get("type") != "prompt":
                # The Resolve button asks for a note; an alert is an injection.
                out.append("dialog opened: " + p.get("message", ""))
        return out

    def screenshot(self, path):
        data = self.call("Page.captureScreenshot", format="png")["data"]
        with open(path, "wb") as f:
            f.write(base64.b64decode(data))

    def close(self):
        try:
            self.call("Browser.close", timeout=5)
        except Exception:
            pass
        try:
            self.proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            self.proc.wait()
        shutil.rmtree(self.profile, ignore_errors=True)


def mqtt_pub(port, topic, payload, retain=False):
    cmd = ["mosquitto_pub", "-p", str(port), "-q", "1", "-t", topic, "-m", payload]
    if retain:
        cmd.append("-r")
    parts = topic.split("/")
    if len(parts) == 5 and parts[2] == "board":
        # A board's own topic: only that board may publish there (the shipped
        # ACLs let a client whose user name is the board id do it).
        cmd += ["-u", parts[3]]
    subprocess.run(cmd, check=True)


def js(s):
    return json.dumps(s)


def cmd_page(a):
    checks = {}
    b = Browser(os.path.join(a.out, "chromium.log"))
    try:
        b.size(1280, 800)
        b.call("Page.navigate", url=a.url)
        checks["page drawn"] = b.wait_for("document.body.dataset.ready === '1' && "
                                          "document.querySelector('#conn.live') !== null", 15) is not None
        evil = "<img src=x onerror=alert(1)> from the web test"
        pid = "web-test-%d" % os.getpid()
        t0 = time.monotonic()
        mqtt_pub(a.mqtt_port, a.root + "/post",
                 json.dumps({"kind": "blocker", "text": evil, "author": "Eve", "id": pid}))
        find = "document.querySelector('.card[data-id=%s]')" % js(pid)
        took = b.wait_for(find + " !== null", 5)
        checks["post shows within 2 s"] = took is not None and time.monotonic() - t0 <= 2.0
        checks["post is text, not markup"] = bool(b.eval(
            "(() => { const c = %s; return c && c.querySelector('.text').textContent === %s && "
            "document.querySelectorAll('main img, #standup img').length === 0; })()" % (find, js(evil))))
        # Claim it with the page's own button: a command through the broker.
        b.eval("document.getElementById('name').value = 'Web Tester'")
        b.eval("(() => { const c = %s; [...c.querySelectorAll('button')].find(x => x.textContent === 'Claim').click(); })()" % find)
        checks["the page's Claim claims it"] = b.wait_for(
            "(() => { const c = %s; return c && /Web Tester/.test(c.textContent); })()" % find, 5) is not None
        t1 = time.monotonic()
        mqtt_pub(a.mqtt_port, a.root + "/resolve", json.dumps({"ref": pid, "by": "Ben"}))
        gone = b.wait_for(find + " === null", 5)
        checks["resolve removes it within 2 s"] = gone is not None and time.monotonic() - t1 <= 2.0
        if a.bridge:
            # The bridge restarts under the open page: the page says so, then
            # reconnects by itself and shows what was posted meanwhile.
            with open(a.pidfile) as f:
                old = int(f.read())
            os.kill(old, 15)
            checks["page says it lost the bridge"] = b.wait_for(
                "document.querySelector('#conn.connecting') !== null", 10) is not None
            rid = pid + "-after"
            log = open(a.bridge_log, "ab")
            newp = subprocess.Popen([a.bridge, "--config", a.bridge_config], stdout=log, stderr=log)
            with open(a.pidfile, "w") as f:
                f.write(str(newp.pid))
            u = urllib.parse.urlsplit(a.url)
            deadline = time.monotonic() + 20
            while time.monotonic() < deadline:  # the broker connection is up
                try:
                    c = http.client.HTTPConnection(u.hostname, u.port, timeout=2)
                    c.request("GET", "/healthz")
                    if c.getresponse().status == 200:
                        break
                except OSError:
                    pass
                time.sleep(0.1)
            mqtt_pub(a.mqtt_port, a.root + "/post",
                     json.dumps({"kind": "win", "text": "posted while the page reconnected", "id": rid}))
            checks["page reconnects and shows a post made meanwhile"] = b.wait_for(
                "document.querySelector('.card[data-id=%s]') !== null && "
                "document.querySelector('#conn.live') !== null" % js(rid), 15) is not None
            b.eval("document.getElementById('name').value = 'After Restart'")
            b.eval("(() => { const c = document.querySelector('.card[data-id=%s]'); "
                   "[...c.querySelectorAll('button')].find(x => x.textContent === 'Resolve').click(); })()" % js(rid))
            checks["actions work after the restart (new CSRF token)"] = b.wait_for(
                "document.querySelector('.card[data-id=%s]') === null" % js(rid), 10) is not None
        b.screenshot(os.path.join(a.out, "live.png"))
        problems = b.problems()
        checks["no script error, CSP violation or dialog"] = not problems
        result = {"checks": checks, "post_s": took, "resolve_s": gone, "problems": problems}
    finally:
        b.close()
    print(json.dumps(result))
    return 0 if all(checks.values()) else 1


def rfc3339(t):
    return time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime(t))


def board_json(url):
    u = urllib.parse.urlsplit(url)
    c = http.client.HTTPConnection(u.hostname, u.port, timeout=5)
    c.request("GET", "/board.json")
    r = c.getresponse()
    body = r.read()
    c.close()
    return json.loads(body) if r.status == 200 else None


def cmd_standup(a):
    """A real stand-up on the live board, followed by the page."""
    checks = {}
    now = time.time()
    posts = [("blocker", "su-b1", now - 7200, "Deploy keys expired on the build agents"),
             ("blocker", "su-b2", now - 3600, "Flaky login test blocks the release"),
             ("question", "su-q1", now - 1800, "Who reviews the API change?")]
    for kind, pid, ts, text in posts:
        mqtt_pub(a.mqtt_port, a.root + "/post",
                 json.dumps({"kind": kind, "id": pid, "ts": rfc3339(ts), "author": "Ana", "text": text}))
    b = Browser(os.path.join(a.out, "chromium-standup.log"))
    try:
        b.size(1280, 800)
        b.call("Page.navigate", url=a.url)
        checks["page drawn with the three items"] = b.wait_for(
            "document.body.dataset.ready === '1' && ['su-b1','su-b2','su-q1'].every("
            "id => document.querySelector('.card[data-id=' + JSON.stringify(id) + ']'))", 15) is not None
        checks["no stand-up panel before"] = bool(b.eval("document.getElementById('standup').hidden"))
        mqtt_pub(a.mqtt_port, a.root + "/standup", json.dumps({"action": "start", "by": "Web test"}))
        shown = ("(() => { const s = document.getElementById('standup'); const c = s.querySelector('.su-item');"
                 " return !s.hidden && c && c.dataset.id; })()")
        took = b.wait_for(shown, 5)
        st = board_json(a.url) or {}
        su = st.get("standup") or {}
        checks["the board runs a stand-up"] = bool(su.get("id")) and su.get("position") == 1
        checks["the page shows the stand-up's item within 2 s"] = took is not None and took <= 2 and \
            b.eval(shown) == su.get("item") == "su-b1"
        checks["... with its phase, position and both timers"] = bool(b.eval(
            "(() => { const s = document.getElementById('standup'); return /Blockers/.test(s.querySelector('.phase').textContent)"
            " && s.querySelector('.position').textContent === '1 of %d' && !!document.getElementById('su-item-timer')"
            " && !!document.getElementById('su-meeting-timer'); })()" % su.get("count", -1)))
        b.screenshot(os.path.join(a.out, "standup-live.png"))
        # Next, from the page: the ordinary <root>/standup command.
        b.eval("[...document.querySelectorAll('#standup button')].find(x => x.textContent === 'Next').click()")
        checks["the page's Next moves the board's stand-up on"] = b.wait_for(
            "document.querySelector('#standup .su-item[data-id=\"su-b2\"]') !== null", 5) is not None and \
            (board_json(a.url) or {}).get("standup", {}).get("position") == 2
        mqtt_pub(a.mqtt_port, a.root + "/standup", json.dumps({"action": "stop"}))
        checks["stop: the page shows the summary"] = b.wait_for(
            "document.querySelector('#standup .su-summary') !== null", 5) is not None
        problems = b.problems()
        checks["no script error, CSP violation or dialog"] = not problems
    finally:
        b.close()
    print(json.dumps({"checks": checks, "problems": problems, "standup": su}))
    return 0 if all(checks.values()) else 1


def cmd_shot(a):
    w, h = (int(x) for x in a.size.split("x"))
    b = Browser(a.out + ".chromium.log")
    checks = {}
    try:
        b.size(w, h)
        if a.media:
            b.call("Emulation.setEmulatedMedia", features=[{"name": "prefers-color-scheme", "value": a.media}])
        b.call("Page.navigate", url=a.url)
        checks["page drawn"] = b.wait_for("document.body.dataset.ready === '1' && "
                                          "document.querySelectorAll('.card').length > 0", 15) is not None
        if a.expect_standup:
            checks["stand-up shows its item"] = b.wait_for(
                "(() => { const s = document.getElementById('standup'); return !s.hidden && "
                "s.querySelector('.su-item[data-id=%s]') !== null && "
                "document.getElementById('su-item-timer') !== null; })()" % js(a.expect_standup), 5) is not None
        if a.eval:
            checks["expression %s" % a.eval] = bool(b.eval(a.eval))
        # Fonts loaded and layout settled before the picture.
        b.eval("document.fonts.ready.then(() => true)")
        b.screenshot(a.out)
        problems = b.problems()
        checks["no script error, CSP violation or dialog"] = not problems
    finally:
        b.close()
    print(json.dumps({"checks": checks, "problems": problems}))
    return 0 if all(checks.values()) else 1


class Stream:
    """An event stream read with a plain socket (non-blocking lines)."""

    def __init__(self, url, last_id=None):
        u = urllib.parse.urlsplit(url)
        self.sock = socket.create_connection((u.hostname, u.port), timeout=10)
        req = "GET %s HTTP/1.1\r\nHost: %s:%d\r\nAccept: text/event-stream\r\n" % (u.path, u.hostname, u.port)
        if last_id:
            req += "Last-Event-ID: %s\r\n" % last_id
        self.sock.sendall((req + "\r\n").encode())
        self.sock.setblocking(False)
        self.buf = b""
        self.headers = None
        self.events = []  # (monotonic time, id, event, data)
        self.comments = 0

    def fileno(self):
        return self.sock.fileno()

    def feed(self):
        try:
            chunk = self.sock.recv(1 << 16)
        except BlockingIOError:
            return
        if not chunk:
            raise RuntimeError("stream closed")
        self.buf += chunk
        if self.headers is None and b"\r\n\r\n" in self.buf:
            self.headers, self.buf = self.buf.split(b"\r\n\r\n", 1)
            self.chunked = b"chunked" in self.headers.lower()
            self.raw = b""
        if self.headers is None:
            return
        self.raw += self.buf
        self.buf = b""
        text = self.raw
        if self.chunked:  # strip the chunk framing of what has fully arrived
            out, rest = b"", text
            while True:
                if b"\r\n" not in rest:
                    break
                size_line, after = rest.split(b"\r\n", 1)
                size = int(size_line.split(b";")[0] or b"0", 16)
                if len(after) < size + 2:
                    break
                out += after[:size]
                rest = after[size + 2:]
            self.raw = rest
            self.body = getattr(self, "body", b"") + out
        else:
            self.body = getattr(self, "body", b"") + text
            self.raw = b""
        while b"\n\n" in self.body:
            block, self.body = self.body.split(b"\n\n", 1)
            fields = {"data": []}
            for line in block.decode().split("\n"):
                if line.startswith(":"):
                    self.comments += 1
                    continue
                k, _, v = line.partition(":")
                v = v[1:] if v.startswith(" ") else v
                if k == "data":
                    fields["data"].append(v)
                else:
                    fields[k] = v
            if "event" in fields or fields["data"]:
                self.events.append((time.monotonic(), fields.get("id"), fields.get("event", "message"),
                                    "\n".join(fields["data"])))

    def states(self):
        return [e for e in self.events if e[2] == "state"]


def pump(streams, until, timeout):
    end = time.monotonic() + timeout
    while time.monotonic() < end and not until():
        r, _, _ = select.select(streams, [], [], 0.05)
        for s in r:
            s.feed()
    return until()


def proc_stat(pid):
    with open("/proc/%d/stat" % pid) as f:
        fields = f.read().rsplit(")", 1)[1].split()
    ticks = int(fields[11]) + int(fields[12])  # utime + stime
    rss_kb = 0
    threads = 0
    with open("/proc/%d/status" % pid) as f:
        for line in f:
            if line.startswith("VmRSS:"):
                rss_kb = int(line.split()[1])
            if line.startswith("Threads:"):
                threads = int(line.split()[1])
    return ticks, rss_kb, threads


def state_payload(topic, n, size):
    _, team, _, board, _ = topic.split("/")
    items = [{"id": "v-%d-%d" % (n, i), "ref": "r%03d" % i, "kind": "blocker", "text": "load %d/%d" % (n, i),
              "author": "bench", "source": "mqtt", "state": "open", "created": "2026-11-25T09:00:00Z",
              "claimed_by": None, "resolved_by": None, "note": None, "updated": "2026-11-25T09:00:00Z"}
             for i in range(size)]
    return json.dumps({"team": team, "board": board, "updated": "2026-11-25T10:00:%02dZ" % (n % 60),
                       "items": items, "open": {"blocker": size, "question": 0, "win": 0}, "figures": {},
                       "seq": n})


def cmd_viewers(a):
    hz = os.sysconf("SC_CLK_TCK")
    ticks0, rss0, threads0 = proc_stat(a.pid)
    streams = [Stream(a.url) for _ in range(a.count)]
    ok = pump(streams, lambda: all(s.states() for s in streams), 30)
    ticks1, rss1, threads1 = proc_stat(a.pid)
    health = None
    if a.health:  # the chats' routes still answer with every viewer connected
        u = urllib.parse.urlsplit(a.health)
        c = http.client.HTTPConnection(u.hostname, u.port, timeout=5)
        c.request("GET", u.path)
        health = c.getresponse().status
        c.close()
    latencies = []
    for n in range(1, a.changes + 1):
        before = [len(s.states()) for s in streams]
        t0 = time.monotonic()
        mqtt_pub(a.mqtt_port, a.topic, state_payload(a.topic, n, a.items), retain=True)
        got = pump(streams, lambda: all(len(s.states()) > b for s, b in zip(streams, before)), 10)
        ok = ok and got
        if got:
            latencies.append(max(s.states()[-1][0] for s in streams) - t0)
        time.sleep(0.2)
    ticks2, rss2, threads2 = proc_stat(a.pid)
    # Idle: nothing changes for a while; the streams only sleep.
    t_idle = time.monotonic()
    pump(streams, lambda: False, a.idle)
    ticks3, rss3, _ = proc_stat(a.pid)
    idle_s = time.monotonic() - t_idle
    for s in streams:
        s.sock.close()
    latencies.sort()
    result = {
        "viewers": a.count, "connected": sum(1 for s in streams if s.states()), "health": health,
        "changes": a.changes, "items": a.items, "all_delivered": ok,
        "latency_median_ms": round(1000 * latencies[len(latencies) // 2], 1) if latencies else None,
        "latency_max_ms": round(1000 * latencies[-1], 1) if latencies else None,
        "rss_kb_before": rss0, "rss_kb_streams": rss1, "rss_kb_after_changes": rss2,
        "threads_before": threads0, "threads_streams": threads1,
        "cpu_ms_connect": round(1000 * (ticks1 - ticks0) / hz),
        "cpu_ms_per_change": round(1000 * (ticks2 - ticks1) / hz / max(1, a.changes), 2),
        "cpu_percent_idle": round(100 * (ticks3 - ticks2) / hz / idle_s, 3),
        "idle_s": round(idle_s, 1),
    }
    print(json.dumps(result))
    good = ok and result["latency_max_ms"] is not None and result["latency_max_ms"] <= 1000
    good = good and (not a.health or health == 200)
    return 0 if good else 1


def cmd_latency(a):
    checks = {}
    s = Stream(a.url)
    checks["first event: the current state"] = bool(pump([s], lambda: s.states(), 5))
    first = s.states()[-1] if s.states() else (0, None, None, None)
    payload = state_payload(a.topic, int(time.time()) % 100000, 3)
    t0 = time.monotonic()
    mqtt_pub(a.mqtt_port, a.topic, payload, retain=True)
    got = pump([s], lambda: len(s.states()) >= 2, 5)
    lat = s.states()[-1][0] - t0 if got else None
    checks["a state change arrives within 1 s"] = got and lat <= 1.0
    checks["its data is the retained state as published"] = got and json.loads(s.states()[-1][3]) == json.loads(payload)
    last_id = s.states()[-1][1] if got else None
    s.sock.close()
    # Reconnecting with the id it has: no state until the next change.
    r = Stream(a.url, last_id)
    pump([r], lambda: r.states(), 1.0)
    checks["Last-Event-ID: nothing it already has"] = r.headers is not None and not r.states()
    payload2 = state_payload(a.topic, int(time.time()) % 100000 + 1, 2)
    mqtt_pub(a.mqtt_port, a.topic, payload2, retain=True)
    checks["... and the next change after it"] = pump([r], lambda: r.states(), 3) and \
        json.loads(r.states()[-1][3]) == json.loads(payload2)
    r.sock.close()
    # With an id it does not have: the current state at once.
    o = Stream(a.url, first[1] or "stale")
    checks["an old Last-Event-ID gets the current state"] = pump([o], lambda: o.states(), 3) and \
        json.loads(o.states()[-1][3]) == json.loads(payload2)
    headers = (o.headers or b"").decode().lower()
    checks["text/event-stream, not cached"] = "content-type: text/event-stream" in headers and "no-store" in headers
    o.sock.close()
    print(json.dumps({"checks": checks, "latency_ms": round(1000 * lat, 1) if lat is not None else None}))
    return 0 if all(checks.values()) else 1


def main():
    p = argparse.ArgumentParser()
    sub = p.add_subparsers(dest="cmd", required=True)
    pg = sub.add_parser("page")
    pg.add_argument("url")
    pg.add_argument("--out", required=True)
    pg.add_argument("--mqtt-port", type=int, required=True)
    pg.add_argument("--root", required=True)
    pg.add_argument("--bridge", help="restart this bridge binary under the open page")
    pg.add_argument("--bridge-config")
    pg.add_argument("--bridge-log")
    pg.add_argument("--pidfile", help="the running bridge's pid; the new one is written back")
    su = sub.add_parser("standup")
    su.add_argument("url")
    su.add_argument("--out", required=True)
    su.add_argument("--mqtt-port", type=int, required=True)
    su.add_argument("--root", required=True)
    sh = sub.add_parser("shot")
    sh.add_argument("url")
    sh.add_argument("--out", required=True)
    sh.add_argument("--size", default="1280x800")
    sh.add_argument("--media")
    sh.add_argument("--expect-standup")
    sh.add_argument("--eval")
    vw = sub.add_parser("viewers")
    vw.add_argument("url")
    vw.add_argument("--count", type=int, default=200)
    vw.add_argument("--changes", type=int, default=10)
    vw.add_argument("--items", type=int, default=20)
    vw.add_argument("--idle", type=float, default=5)
    vw.add_argument("--mqtt-port", type=int, required=True)
    vw.add_argument("--topic", required=True)
    vw.add_argument("--pid", type=int, required=True)
    vw.add_argument("--health")
    lt = sub.add_parser("latency")
    lt.add_argument("url")
    lt.add_argument("--mqtt-port", type=int, required=True)
    lt.add_argument("--topic", required=True)
    a = p.parse_args()
    if a.cmd in ("page", "shot", "standup") and not chromium_binary():
        print("chromium is not installed (scripts/deps.sh test)", file=sys.stderr)
        return 2
    return {"page": cmd_page, "shot": cmd_shot, "standup": cmd_standup, "viewers": cmd_viewers,
            "latency": cmd_latency}[a.cmd](a)


if __name__ == "__main__":
    sys.exit(main())
