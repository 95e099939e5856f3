#!/usr/bin/env python3
"""Load pages in one headless Chromium, over the DevTools protocol on a pipe.

Usage: html-browser.py OUTDIR PAGE.html... [--no-shot PAGE.html...]

For every PAGE writes OUTDIR/NAME.dom (the DOM as the browser built it),
OUTDIR/NAME.png (a 1200x900 screenshot; not for the pages after --no-shot) and OUTDIR/NAME.requests (every URL
the page asked for, one per line: what Network.requestWillBeSent saw, and any
console or CSP message naming a blocked load, prefixed "blocked "). One
browser for all pages: starting Chromium costs seconds, a page does not.
Exit 77 with the reason on stdout when Chromium cannot start.
"""
import base64
import fcntl
import json
import os
import select
import shutil
import subprocess
import sys
import tempfile
import time

TIMEOUT = 45


class Browser:
    def __init__(self, profile):
        exe = shutil.which("chromium") or shutil.which("chromium-browser")
        if not exe:
            raise RuntimeError("no chromium binary")
        # Above 4, so that dup2 onto 3 and 4 always makes a new, inheritable descriptor.
        cmd_r, cmd_w, res_r, res_w = (fcntl.fcntl(fd, fcntl.F_DUPFD_CLOEXEC, 10)
                                      for fd in os.pipe() + os.pipe())

        def fds():  # the protocol's pipe is fd 3 (commands) and fd 4 (replies)
            os.dup2(cmd_r, 3)
            os.dup2(res_w, 4)

        args = [exe, "--headless", "--no-sandbox", "--disable-gpu", "--no-first-run",
                "--disable-extensions", "--disable-dev-shm-usage", "--disable-sync",
                "--disable-background-networking", "--disable-component-update",
                "--no-default-browser-check", "--hide-scrollbars",
                "--user-data-dir=" + profile, "--window-size=1200,900",
                "--remote-debugging-pipe", "about:blank"]
        self.p = subprocess.Popen(args, preexec_fn=fds, close_fds=False,
                                  stdout=subprocess.DEVNULL, stderr=open(os.environ.get("CHROMIUM_LOG", os.devnull), "w"))
        os.close(cmd_r)
        os.close(res_w)
        self.w, self.r = cmd_w, res_r
        self.buf = b""
        self.n = 0
        self.events = []

    def _read_msg(self, deadline):
        while b"\0" not in self.buf:
            left = deadline - time.monotonic()
            if left <= 0 or not select.select([self.r], [], [], left)[0]:
                raise TimeoutError("chromium did not answer")
            chunk = os.read(self.r, 1 << 20)
            if not chunk:
                raise EOFError("chromium closed the pipe")
            self.buf += chunk
        msg, self.buf = self.buf.split(b"\0", 1)
        return json.loads(msg)

    def call(self, method, params=None, session=None):
        self.n += 1
        msg = {"id": self.n, "method": method, "params": params or {}}
        if session:
            msg["sessionId"] = session
        os.write(self.w, json.dumps(msg).encode() + b"\0")
        deadline = time.monotonic() + TIMEOUT
        while True:
            m = self._read_msg(deadline)
            if m.get("id") == self.n:
                if "error" in m:
                    raise RuntimeError(f"{method}: {m['error']}")
                return m.get("result", {})
            self.events.append(m)

    def wait_event(self, name, session):
        deadline = time.monotonic() + TIMEOUT
        for i, e in enumerate(self.events):
            if e.get("method") == name and e.get("sessionId") == session:
                del self.events[i]
                return e
        while True:
            m = self._read_msg(deadline)
            if m.get("method") == name and m.get("sessionId") == session:
                return m
            self.events.append(m)

    def close(self):
        try:
            self.call("Browser.close")
        except Exception:
            pass
        try:
            self.p.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.p.kill()


def requests_of(events, session):
    out = []
    for e in events:
        if e.get("sessionId") != session:
            continue
        m, p = e.get("method"), e.get("params", {})
        if m == "Network.requestWillBeSent":
            out.append(p["request"]["url"])
        elif m == "Network.loadingFailed" and p.get("blockedReason"):
            out.append("blocked " + p.get("blockedReason"))
        elif m == "Log.entryAdded":
            t = p["entry"].get("text", "")
            if "Refused to" in t or "Content Security Policy" in t:
                out.append("blocked " + t.replace("\n", " "))
    return out


def open_tab(b):
    """One tab for every page (the one Chromium opened): a new renderer costs seconds."""
    pages = [t for t in b.call("Target.getTargets")["targetInfos"] if t["type"] == "page"]
    t = pages[0]["targetId"] if pages else \
        b.call("Target.createTarget", {"url": "about:blank"})["targetId"]
    s = b.call("Target.attachToTarget", {"targetId": t, "flatten": True})["sessionId"]
    for dom in ("Page", "Network", "Log", "Runtime"):
        b.call(dom + ".enable", session=s)
    b.call("Emulation.setDeviceMetricsOverride",
           {"width": 1200, "height": 900, "deviceScaleFactor": 1, "mobile": False}, s)
    return s


def load(b, s, page, outdir, shot):
    name = os.path.splitext(os.path.basename(page))[0]
    b.events.clear()
    b.call("Page.navigate", {"url": "file://" + os.path.abspath(page)}, s)
    b.wait_event("Page.loadEventFired", s)
    html = b.call("Runtime.evaluate", {"expression": "document.documentElement.outerHTML",
                                       "returnByValue": True}, s)["result"]["value"]
    if shot:
        png = b.call("Page.captureScreenshot", {"format": "png", "optimizeForSpeed": True}, s)
        with open(os.path.join(outdir, name + ".png"), "wb") as f:
            f.write(base64.b64decode(png["data"]))
    b.call("Runtime.evaluate", {"expression": "1"}, s)  # let pending log events arrive
    with open(os.path.join(outdir, name + ".dom"), "w") as f:
        f.write(html)
    with open(os.path.join(outdir, name + ".requests"), "w") as f:
        f.writelines(u + "\n" for u in requests_of(b.events, s))


def main():
    outdir, pages = sys.argv[1], sys.argv[2:]
    profile = tempfile.mkdtemp(prefix="capscope-chromium.")
    try:
        try:
            b = Browser(profile)
            b.call("Browser.getVersion")
        except (OSError, RuntimeError, TimeoutError, EOFError) as e:
            print(f"chromium cannot start: {e}")
            return 77
        try:
            s = open_tab(b)
            shot = True
            for p in pages:
                if p == "--no-shot":
                    shot = False
                else:
                    load(b, s, p, outdir, shot)
        finally:
            b.close()
    finally:
        shutil.rmtree(profile, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
