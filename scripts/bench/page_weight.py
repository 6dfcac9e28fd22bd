"""Bytes a reader downloads on a first visit to one page, and how many requests it takes.

Why the DevTools protocol: Playwright's own events report decoded body sizes, but what a
reader pays for is the bytes on the wire (gzip-compressed, headers included), which only
Chromium's `Network.loadingFinished.encodedDataLength` gives. The count stops once the network
is idle. Diagrams are inline SVG rendered at build time (scripts/build/diagrams.py): they are
part of the page's HTML, so the first load is the whole cost; `viewed_*` is measured after
scrolling to the end of the page, to show that nothing more is fetched. Serve the site with
`scripts.browser.server` so the transfer sizes match a static host that compresses text.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from scripts.browser.layout_shift import LAYOUT_SHIFTS_INIT, layout_shift
from scripts.browser.site import is_local

SKIPPED_SCHEMES = ("data:", "blob:", "about:")


@dataclass
class PageWeight:
    """One first load: bytes transferred (encoded, headers included) and requests made."""

    url: str
    transferred_bytes: int = 0
    requests: int = 0
    bytes_by_type: dict[str, int] = field(default_factory=dict)
    failed: list[str] = field(default_factory=list)
    blocked: list[str] = field(default_factory=list)
    diagrams: int = 0
    # After scrolling to the end of the page (nothing is loaded lazily: equal to the first).
    viewed_bytes: int = 0
    viewed_requests: int = 0
    # Layout shift of this first load (cold cache) until the network was idle.
    cls: float = 0.0
    shifts: list[str] = field(default_factory=list)

    def to_json(self) -> dict[str, object]:
        return {
            "url": self.url,
            "transferred_bytes": self.transferred_bytes,
            "requests": self.requests,
            "bytes_by_type": self.bytes_by_type,
            "failed": self.failed,
            "blocked": self.blocked,
            "diagrams": self.diagrams,
            "viewed_bytes": self.viewed_bytes,
            "viewed_requests": self.viewed_requests,
            "cls": self.cls,
            "shifts": self.shifts,
        }


def _recorders(weight: PageWeight):
    """The Chromium route and DevTools network handlers that fill `weight`."""
    urls: dict[str, str] = {}
    types: dict[str, str] = {}

    def route(r) -> None:
        if is_local(r.request.url):
            r.continue_()
        else:
            weight.blocked.append(r.request.url)
            r.abort()

    def sent(event: dict) -> None:
        request_url = event["request"]["url"]
        if not request_url.startswith(SKIPPED_SCHEMES):
            urls[event["requestId"]] = request_url
            types[event["requestId"]] = event.get("type", "Other")

    def finished(event: dict) -> None:
        rid = event["requestId"]
        if rid in urls:
            size = int(event["encodedDataLength"])
            weight.transferred_bytes += size
            weight.requests += 1
            kind = types[rid]
            weight.bytes_by_type[kind] = weight.bytes_by_type.get(kind, 0) + size

    def failed(event: dict) -> None:
        rid = event["requestId"]
        if rid in urls:
            weight.requests += 1
            weight.failed.append(urls[rid])

    return route, sent, finished, failed


def measure(browser, url: str, timeout_ms: float = 60000) -> PageWeight:
    """Load `url` in a fresh context (empty cache) and sum what crossed the network."""
    context = browser.new_context()
    weight = PageWeight(url)
    route, sent, finished, failed = _recorders(weight)
    context.route("**/*", route)
    context.add_init_script(LAYOUT_SHIFTS_INIT)
    try:
        page = context.new_page()
        page.set_default_timeout(timeout_ms)
        cdp = context.new_cdp_session(page)
        cdp.on("Network.requestWillBeSent", sent)
        cdp.on("Network.loadingFinished", finished)
        cdp.on("Network.loadingFailed", failed)
        cdp.send("Network.enable")
        page.goto(url, wait_until="load")
        page.wait_for_load_state("networkidle")
        first = (weight.transferred_bytes, weight.requests)
        shift = layout_shift(page)
        weight.cls, weight.shifts = shift.cls, shift.shifts
        page.evaluate("window.scrollTo(0, document.body.scrollHeight)")
        page.wait_for_load_state("networkidle")
        weight.viewed_bytes, weight.viewed_requests = weight.transferred_bytes, weight.requests
        weight.transferred_bytes, weight.requests = first
        weight.diagrams = page.evaluate(
            "() => document.querySelectorAll('figure.fn-diagram').length"
        )
    finally:
        context.close()
    return weight
