"""report.html in a real browser: headless Chromium, driven over the DevTools protocol.

Checks that the page loads with no console error and no network request,
that every embedded image decodes (``naturalWidth > 0``), and that a
``<script>`` injected into an article title is shown as text and never runs:
once for the static page (``report.interactive`` off, no script at all) and
once for the page with the interactive plotly views (plotly.js inlined, the
plots drawn, the titles in their hover data and hover label as text). A
control page proves the harness does see console errors, running scripts and
scripts the Content-Security-Policy blocks. Skips cleanly when Chromium
(Debian package ``chromium``) is absent.
"""
from __future__ import annotations

import itertools
import json
import shutil
import subprocess
import time
import urllib.request
from pathlib import Path

import pytest

from analysis.report.build import build_figures
from analysis.report.render import render_report

from report_sample import sample_manifest, sample_tables

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
pytestmark = pytest.mark.skipif(CHROMIUM is None, reason="chromium is not installed")
FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--no-first-run",
         "--disable-background-networking", "--disable-component-update", "--disable-sync",
         "--disable-quic", "--remote-debugging-port=0"]
PAYLOAD = "<script>window.__injected = 1; console.error('injected script ran')</script>"
PROBE = """(async () => {
  const images = [...document.images];
  await Promise.all(images.map(img => img.decode().catch(() => null)));
  return {images: images.map(img => img.naturalWidth), injected: typeof window.__injected,
          text: document.body.innerText, scripts: document.scripts.length};
})()"""
#: Opens the map's block, hovers over the point of the article with the payload in its title.
INTERACTIVE_PROBE = """(async () => {
  const found = await %s;
  const plots = [...document.querySelectorAll(".js-plotly-plot")];
  const map = document.getElementById("iv-paragraph_map");
  map.closest("details").open = true;
  await Plotly.Plots.resize(map);
  const titles = map.data.flatMap(trace => trace.customdata.map(row => row[0]));
  const hostile = row => row[0].includes("__injected");
  const curve = map.data.findIndex(trace => trace.customdata.some(hostile));
  const point = curve < 0 ? -1 : map.data[curve].customdata.findIndex(hostile);
  if (curve >= 0) Plotly.Fx.hover(map, [{curveNumber: curve, pointNumber: point}]);
  const hover = map.querySelector(".hoverlayer");
  return {...found, plotly: typeof window.Plotly, plots: plots.map(p => p.id),
          svgs: plots.map(p => p.querySelectorAll("svg.main-svg").length),
          points: plots.map(p => p.querySelectorAll("path.point").length),
          titles, hover: hover ? hover.textContent : "",
          hoverTags: hover ? hover.querySelectorAll("a, script").length : -1,
          injected: typeof window.__injected,
          dataBlocks: document.querySelectorAll('script[type="application/json"]').length};
})()""" % PROBE


class Page:
    """One Chromium tab over the DevTools websocket: send commands, collect events."""

    def __init__(self, ws_url: str):
        import websocket

        self.ws = websocket.create_connection(ws_url, timeout=60, suppress_origin=True)
        self.ids = itertools.count(1)
        self.events: list[dict] = []

    def call(self, method: str, **params) -> dict:
        msg_id = next(self.ids)
        self.ws.send(json.dumps({"id": msg_id, "method": method, "params": params}))
        while True:
            msg = json.loads(self.ws.recv())
            if msg.get("id") == msg_id:
                if "error" in msg:
                    raise RuntimeError(f"{method}: {msg['error']}")
                return msg.get("result", {})
            self.events.append(msg)

    def wait_for(self, method: str, timeout: float = 60.0) -> None:
        deadline = time.monotonic() + timeout
        while not any(e.get("method") == method for e in self.events):
            if time.monotonic() > deadline:
                raise TimeoutError(f"no {method} within {timeout} s")
            self.events.append(json.loads(self.ws.recv()))

    def load(self, path: Path, probe: str = PROBE) -> dict:
        """Open ``path``; return the probe's findings plus console errors and requests."""
        self.events.clear()
        self.call("Page.navigate", url=path.resolve().as_uri())
        self.wait_for("Page.loadEventFired")
        result = self.call("Runtime.evaluate", expression=probe, awaitPromise=True, returnByValue=True)
        if "exceptionDetails" in result:
            raise RuntimeError(f"probe failed: {result['exceptionDetails']}")
        found = result["result"]["value"]
        self.call("Runtime.evaluate", expression="0")  # flush events queued after the probe
        found["errors"] = _errors(self.events)
        found["requests"] = [e["params"]["request"]["url"] for e in self.events
                             if e.get("method") == "Network.requestWillBeSent"
                             and not e["params"]["request"]["url"].startswith(("file:", "data:"))]
        return found


def _errors(events: list[dict]) -> list[str]:
    out = []
    for e in events:
        method, params = e.get("method"), e.get("params", {})
        if method == "Runtime.consoleAPICalled" and params.get("type") in ("error", "assert"):
            out.append(" ".join(str(a.get("value", a.get("description"))) for a in params["args"]))
        elif method == "Runtime.exceptionThrown":
            out.append(params["exceptionDetails"].get("text", "exception"))
        elif method == "Log.entryAdded" and params["entry"].get("level") == "error":
            out.append(params["entry"].get("text", ""))
    return out


def _page_target(port: int) -> str:
    with urllib.request.urlopen(f"http://127.0.0.1:{port}/json/list", timeout=10) as resp:
        targets = json.load(resp)
    return next(t["webSocketDebuggerUrl"] for t in targets if t.get("type") == "page")


@pytest.fixture(scope="module")
def browser(tmp_path_factory):
    profile = tmp_path_factory.mktemp("chromium-profile")
    proc = subprocess.Popen([CHROMIUM, *FLAGS, f"--user-data-dir={profile}", "about:blank"],
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        port_file = profile / "DevToolsActivePort"
        deadline = time.monotonic() + 60
        while not (port_file.is_file() and port_file.read_text().strip()):
            if proc.poll() is not None or time.monotonic() > deadline:
                pytest.skip("chromium did not start a DevTools endpoint")
            time.sleep(0.1)
        page = Page(_page_target(int(port_file.read_text().split()[0])))
        for domain in ("Page", "Runtime", "Log", "Network"):
            page.call(f"{domain}.enable")
        yield page
        page.ws.close()
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            proc.kill()


def _report(out: Path, interactive: bool) -> Path:
    tables = sample_tables()
    tables["articles"].loc[0, "title"] = PAYLOAD
    drawn = {k: tables[k] for k in ("topics", "paragraph_map", "stance", "stance_by_topic")}
    figures = build_figures(drawn, out, ["Russia"], dpi=100, html_dpi=60)
    return render_report(tables, sample_manifest(), out, figures, interactive=interactive)["html"]


@pytest.fixture(scope="module")
def report_with_injection(tmp_path_factory) -> Path:
    return _report(tmp_path_factory.mktemp("browser-report"), interactive=False)


@pytest.fixture(scope="module")
def interactive_report(tmp_path_factory) -> Path:
    return _report(tmp_path_factory.mktemp("browser-interactive"), interactive=True)


def test_report_loads_cleanly_and_images_decode(browser, report_with_injection):
    found = browser.load(report_with_injection)
    assert found["errors"] == []
    assert found["requests"] == []
    assert len(found["images"]) == 4 and all(width > 0 for width in found["images"])
    assert found["injected"] == "undefined" and found["scripts"] == 0
    assert PAYLOAD in found["text"]  # shown to the reader as text


def test_interactive_views_draw_offline_and_show_titles_as_text(browser, interactive_report):
    found = browser.load(interactive_report, INTERACTIVE_PROBE)
    assert found["errors"] == []
    assert found["requests"] == []
    assert found["plotly"] == "object"
    assert found["plots"] == ["iv-paragraph_map", "iv-topic_words"]
    assert all(n >= 1 for n in found["svgs"])
    assert found["points"][0] == len(sample_tables()["paragraph_map"])  # every paragraph drawn
    assert found["scripts"] == 4 and found["dataBlocks"] == 2  # plotly.js, start script, 2 data blocks
    assert len(found["images"]) == 4 and all(width > 0 for width in found["images"])
    titles = set(found["titles"])
    assert "Armenia Deepens Its Ties with the West" in titles  # hover data carries the titles
    assert any("__injected" in t for t in titles)
    assert found["injected"] == "undefined"  # the payload never ran ...
    assert PAYLOAD in found["hover"] and found["hoverTags"] == 0  # ... and its hover label is text
    assert PAYLOAD in found["text"]


def test_harness_sees_errors_and_scripts(browser, tmp_path):
    control = tmp_path / "control.html"
    control.write_text(f"<!DOCTYPE html><html><body><p>x</p>{PAYLOAD}"
                       "<img src='data:image/png;base64,AAAA'></body></html>", encoding="utf-8")
    found = browser.load(control)
    assert found["injected"] == "number"
    assert any("injected script ran" in e for e in found["errors"])
    assert found["images"] == [0]  # a broken image is caught
    blocked = tmp_path / "blocked.html"
    blocked.write_text("<!DOCTYPE html><html><head><meta http-equiv='Content-Security-Policy' "
                       "content=\"script-src 'sha256-AAAA'\"></head><body>" + PAYLOAD
                       + "</body></html>", encoding="utf-8")
    found = browser.load(blocked)
    assert found["injected"] == "undefined"
    assert found["errors"]  # a script the CSP refuses is reported as an error


WIDTH_PROBE = """(() => ({page: document.documentElement.scrollWidth, view: window.innerWidth,
  wide: document.querySelectorAll(".wide table").length}))()"""


@pytest.mark.parametrize("width", [1024, 1280])
def test_report_fits_a_laptop_screen(browser, report_with_injection, tmp_path, width):
    """No table widens the page: wide tables wrap their headers and scroll in their own box."""
    browser.call("Emulation.setDeviceMetricsOverride", width=width, height=800, deviceScaleFactor=1,
                 mobile=False)
    try:
        found = browser.load(report_with_injection, WIDTH_PROBE)
        assert found["wide"] >= 1 and found["page"] <= found["view"] == width
        control = tmp_path / "wide.html"  # the probe sees a table that does widen the page
        cells = "".join(f"<td>{'x' * 40}</td>" for _ in range(40))
        control.write_text(f"<!DOCTYPE html><html><body><table><tr>{cells}</tr></table></body></html>",
                           encoding="utf-8")
        wide = browser.load(control, WIDTH_PROBE)
        assert wide["page"] > wide["view"]
    finally:
        browser.call("Emulation.clearDeviceMetricsOverride")
