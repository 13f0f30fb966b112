"""`libstat review OUT --serve`: the review pages served locally, where a reviewer corrects figures.

Starlette (ASGI) under uvicorn, bound to 127.0.0.1 unless told otherwise, imported only by
this command.  GET serves the same pages as `review --html` with the reviewer's controls;
POST /api/corrections stores one action at once in OUT/corrections.duckdb (corrections.py).

Safe by construction:
- it writes only under OUT (the corrections, their CSV and lock), reads the reports it shows;
- every page is the static pages' escaped HTML under a Content-Security-Policy that admits
  only the page's own script and style and connections to this server, and no framing;
- a POST must carry the CSRF token of this server's pages (a random secret per start, in a
  header a cross-origin page cannot set without a preflight this server never grants) and,
  when the browser names them, come from this origin (Origin, Sec-Fetch-Site): else 403;
- the Host header must name this machine (no DNS rebinding): else 400;
- two tabs may edit at once: writes are serialized, and an action made on a stale view of a
  figure is refused with 409 and the figure's current state.
"""

from __future__ import annotations

import getpass
import hmac
import json
import math
import re
import secrets
import socket
import sys
import threading
from pathlib import Path

from .corrections import PERIODS, QUALIFIERS, STATUSES, Conflict, Correction, CorrectionStore, add_target, year_of
from .review import ReviewSite
from .review_page import DocPage, Figure
from .review_state import STATES, describe

MAX_BODY = 64 * 1024
LOOPBACK = ("127.0.0.1", "localhost", "::1")
SENTENCE_END = re.compile(r"[。；;！!？?\n]")


class Refused(Exception):
    def __init__(self, status: int, reason: str, figure: dict | None = None):
        super().__init__(reason)
        self.status, self.reason, self.figure = status, reason, figure


class Reviews:
    """The served extraction: its pages (reloaded when an `extract` rewrites the tables) and its corrections."""

    def __init__(self, out: str | Path, root: str | Path | None, reviewer: str):
        self.out, self.root, self.reviewer = Path(out), root, reviewer
        self.csrf = secrets.token_urlsafe(32)
        self.store = CorrectionStore(out)
        self._lock = threading.Lock()
        self._signature = self._tables_signature()
        self.site = ReviewSite(out, root, serve=True, csrf=self.csrf, reviewer=reviewer)

    def _tables_signature(self) -> tuple:
        sig = []
        for name in ("libstat.duckdb", "facts.parquet", "mentions.parquet", "docs.parquet"):
            try:
                st = (self.out / name).stat()
                sig.append((name, st.st_mtime_ns, st.st_size))
            except OSError:
                sig.append((name, 0, 0))
        return tuple(sig)

    def current(self) -> ReviewSite:
        """The pages of the tables as they are now: a new site when an `extract` has rewritten them
        (swapped whole, so that a request being answered keeps the one it started with)."""
        with self._lock:
            signature = self._tables_signature()
            if signature != self._signature:
                self.site = ReviewSite(self.out, self.root, serve=True, csrf=self.csrf, reviewer=self.reviewer)
                self._signature = signature
            return self.site

    def page(self, doc: str, with_text: bool) -> tuple[ReviewSite, DocPage]:
        site = self.current()
        if doc not in site.rows:
            raise Refused(404, f"no document {doc!r} in this extraction")
        return site, site.page(doc, site.corrections(), with_text=with_text)

    # ---- one action ----------------------------------------------------------------
    def act(self, body: dict) -> dict:
        action = str(body.get("action", ""))
        if action not in ("accept", "reject", "correct", "add", "undo"):
            raise Refused(400, f"unknown action {action!r}")
        selection = body.get("selection")
        site, page = self.page(str(body.get("doc", "")), with_text=bool(selection))
        row = page.row
        if row["error"] or not row["sha256"]:
            raise Refused(409, "this document could not be read by the extraction: there is nothing to review")
        if page.status == "changed":
            raise Refused(409, "the report file has changed since the extraction: run `libstat extract` again first")
        c = Correction(action=action, sha256=row["sha256"], doc=page.doc, reviewer=self.reviewer,
                       note=str(body.get("note") or "")[:500])
        if selection:
            if action != "add":
                raise Refused(400, "words selected in the text can only be added")
            self._selected(page, selection, c)
        else:
            fig = next((f for f in page.facts + page.misses if f.target and f.target == body.get("target")), None)
            if fig is None:
                raise Refused(409, "this figure is not on the page any more: reload it")
            if action == "correct" and fig.target.startswith("add:"):
                c.action = "add"  # an added figure restated
            if c.action == "add" and not fig.target.startswith("add:") and fig.kind == "miss":
                raise Refused(400, "a figure that was not taken is added under its own words")
            self._seen(fig, c)
        if c.action in ("correct", "add"):
            self._stated(body.get("stated") or {}, site, c)
        try:
            stored = self.store.record(c, base=str(body.get("base") or ""))
        except Conflict as e:
            now = e.current
            raise Refused(409, "另一窗口已修改此数字 changed in another tab since this page was loaded: "
                          + (describe(now) if now else "its correction was undone"), self._figure(c.target, now)) from e
        return {"figure": self._figure(stored.target, None if stored.action == "undo" else stored),
                "reload": stored.action == "add"}

    @staticmethod
    def _figure(target: str, c: Correction | None) -> dict:
        return {"target": target, "base": c.id if c else "", "state": STATES.get(c.action, "") if c else "",
                "review": describe(c) if c else ""}

    @staticmethod
    def _seen(fig: Figure, c: Correction) -> None:
        r = fig.row
        c.target = fig.target
        c.metric, c.status, c.period = str(r.get("metric") or ""), str(r.get("status") or ""), str(r.get("period") or "")
        c.year = year_of(r.get("year"))
        value = r.get("value")
        c.value = None if value is None or value != value else float(value)
        c.page, c.char_start, c.char_end = fig.page, fig.start, fig.end
        c.raw, c.evidence = str(r.get("raw") or ""), str(r.get("evidence") or "")

    @staticmethod
    def _selected(page: DocPage, sel: dict, c: Correction) -> None:
        """Words the reviewer selected: DOM offsets (newlines as the browser counts them) → the page text's."""
        try:
            number, start, end, words = int(sel["page"]), int(sel["start"]), int(sel["end"]), str(sel["text"])
        except (KeyError, TypeError, ValueError) as e:
            raise Refused(400, "a selection needs page, start, end and text") from e
        text = page.texts.get(number)
        if text is None:
            raise Refused(409, "the report text is not available: a figure can be added only where the text is shown")
        where = dom_offsets(text)
        if not (0 <= start < end < len(where)) or len(words) > 200:
            raise Refused(400, "the selection lies outside the page")
        s, e = where[start], where[end]
        if " ".join(text[s:e].split()) != " ".join(words.split()):
            raise Refused(409, "the selected words are not where the page says: reload it")
        c.target, c.page, c.char_start, c.char_end, c.raw = add_target(number, s, e), number, s, e, text[s:e]
        c.evidence = evidence(text, s, e)

    @staticmethod
    def _stated(stated: dict, site: ReviewSite, c: Correction) -> None:
        units = {m: unit for m, _, unit in site.common["metrics"]}
        metric = str(stated.get("metric", ""))
        if metric not in units:
            raise Refused(400, f"unknown metric {metric!r}")
        try:
            value = float(str(stated.get("value", "")).replace(",", ""))
        except ValueError as e:
            raise Refused(400, "the value must be a number (in the metric's unit)") from e
        if not math.isfinite(value) or value < 0:
            raise Refused(400, "the value must be a finite number, not negative")
        year_text = str(stated.get("year") or "").strip()
        if year_text and not (year_text.isdigit() and 1900 <= int(year_text) <= 2100):
            raise Refused(400, "the year must be blank or between 1900 and 2100")
        status, period = str(stated.get("status", "")), str(stated.get("period") or "")
        qualifier = str(stated.get("qualifier") or "exact")
        if status not in STATUSES or period not in PERIODS or qualifier not in QUALIFIERS:
            raise Refused(400, "status, period or qualifier is not one of METRICS.md")
        c.new_metric, c.new_value, c.new_unit, c.new_status = metric, value, units[metric], status
        c.new_year, c.new_period, c.new_qualifier = (int(year_text) if year_text else None), period, qualifier


def dom_offsets(text: str) -> list[int]:
    """For each offset into the text as a browser holds it (CR LF and CR read as LF), the
    offset into the text itself; one more at the end."""
    where, i = [], 0
    while i < len(text):
        where.append(i)
        i += 2 if text.startswith("\r\n", i) else 1
    where.append(len(text))
    return where


def evidence(text: str, start: int, end: int, reach: int = 40) -> str:
    """The sentence around a figure, as the report writes it (at most `reach` characters each side)."""
    left = max(0, start - reach)
    ends = [m.end() for m in SENTENCE_END.finditer(text, left, start)]
    s = ends[-1] if ends else left
    m = SENTENCE_END.search(text, end, min(len(text), end + reach))
    e = m.start() if m else min(len(text), end + reach)
    return " ".join(text[s:e].split()).strip(" ,，。;；:：")


def create_app(out: str | Path, root: str | Path | None = None, reviewer: str = "", hosts: tuple[str, ...] = LOOPBACK):
    from starlette.applications import Starlette
    from starlette.concurrency import run_in_threadpool
    from starlette.middleware import Middleware
    from starlette.middleware.trustedhost import TrustedHostMiddleware
    from starlette.requests import Request
    from starlette.responses import HTMLResponse, JSONResponse, Response
    from starlette.routing import Route

    reviews = Reviews(out, root, reviewer or default_reviewer())

    def headers(policy: str) -> dict[str, str]:
        return {"Content-Security-Policy": policy + "; frame-ancestors 'none'", "X-Content-Type-Options": "nosniff",
                "X-Frame-Options": "DENY", "Referrer-Policy": "no-referrer", "Cache-Control": "no-store"}

    def json_response(data: dict, status: int = 200) -> Response:
        return JSONResponse(data, status_code=status, headers=headers("default-src 'none'"))

    def render_index() -> Response:
        site = reviews.current()
        in_force = site.corrections()
        pages = [site.page(doc, in_force, with_text=False) for doc in site.rows]
        return HTMLResponse(site.index_html(pages), headers=headers(site.common["csp"]))

    def render_doc(name: str) -> Response:
        site = reviews.current()
        doc = site.by_name.get(name)
        if doc is None:
            return HTMLResponse("<!doctype html><title>not found</title><p>No such document.</p>", status_code=404,
                                headers=headers("default-src 'none'"))
        _, page = reviews.page(doc, with_text=True)
        return HTMLResponse(site.doc_html(page), headers=headers(site.common["csp"]))

    async def index(request: Request) -> Response:
        return await run_in_threadpool(render_index)

    async def doc_page(request: Request) -> Response:
        return await run_in_threadpool(render_doc, request.path_params["name"])

    async def guarded(request: Request) -> dict:
        """The body of a POST that comes from this server's own page, else Refused."""
        given = request.headers.get("x-csrf-token", "")
        if not given or not hmac.compare_digest(given.encode(), reviews.csrf.encode()):
            raise Refused(403, "missing or wrong CSRF token: requests come only from this server's pages")
        origin = request.headers.get("origin")
        if origin is not None and origin != f"http://{request.headers.get('host', '')}":
            raise Refused(403, f"cross-origin request refused ({origin})")
        if request.headers.get("sec-fetch-site", "same-origin") not in ("same-origin", "none"):
            raise Refused(403, "cross-site request refused")
        if not request.headers.get("content-type", "").startswith("application/json"):
            raise Refused(415, "JSON expected")
        body = await request.body()
        if len(body) > MAX_BODY:
            raise Refused(413, "request too large")
        try:
            data = json.loads(body)
        except ValueError as e:
            raise Refused(400, "malformed JSON") from e
        if not isinstance(data, dict):
            raise Refused(400, "a JSON object expected")
        return data

    async def corrections(request: Request) -> Response:
        try:
            data = await guarded(request)
            return json_response(await run_in_threadpool(reviews.act, data))
        except Refused as e:
            return json_response({"error": e.reason, "figure": e.figure}, e.status)
        except Exception as e:  # a full disk, a damaged corrections file: the reviewer must see it was not stored
            reason = str(e).splitlines()[0] if str(e) else type(e).__name__
            return json_response({"error": f"not stored: {reason}", "figure": None}, 500)

    async def quantity(request: Request) -> Response:
        try:
            data = await guarded(request)
        except Refused as e:
            return json_response({"error": e.reason}, e.status)
        from ..quantities import find_quantities

        found = [q for q in find_quantities(str(data.get("text", ""))[:200]) if q.kind in ("count", "range")]
        if not found:
            return json_response({})
        q = found[0]
        return json_response({"value": q.value, "qualifier": q.qualifier, "unit": q.unit or ""})

    routes = [Route("/", index), Route("/index.html", index), Route("/docs/{name}", doc_page),
              Route("/api/corrections", corrections, methods=["POST"]),
              Route("/api/quantity", quantity, methods=["POST"])]
    app = Starlette(routes=routes, middleware=[Middleware(TrustedHostMiddleware, allowed_hosts=list(hosts))])
    app.state.reviews = reviews
    return app


def default_reviewer() -> str:
    try:
        return getpass.getuser()
    except (KeyError, OSError):  # no name for this uid (a container)
        return "unknown"


def run_serve(out: str, root: str | None = None, host: str = "127.0.0.1", port: int = 8765,
              reviewer: str | None = None) -> int:
    """The `libstat review OUT --serve` command: serves until Ctrl-C (0), or 1 with a one-line reason."""
    from .reader import OutError

    try:
        import uvicorn
    except ImportError as e:
        print(f"libstat: cannot serve the review: {e} (pip install uvicorn starlette)", file=sys.stderr)
        return 1
    hosts = tuple(dict.fromkeys((*LOOPBACK, host)))
    try:
        app = create_app(out, root, reviewer or default_reviewer(), hosts)
        sock = socket.socket(socket.AF_INET6 if ":" in host else socket.AF_INET, socket.SOCK_STREAM)
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        sock.bind((host, port))
        sock.listen(128)  # connections wait from now on, before uvicorn runs: the URL below works at once
    except (OutError, OSError) as exc:
        print(f"libstat: cannot serve the review: {exc}", file=sys.stderr)
        return 1
    bound = sock.getsockname()[1]
    shown = f"[{host}]" if ":" in host else host
    if host not in LOOPBACK:
        print(f"libstat: warning: serving on {host}, not only this machine; anyone who can reach it sees the reports",
              file=sys.stderr)
    print(f"libstat: review of {out} at http://{shown}:{bound}/ — reviewer {app.state.reviews.reviewer}; "
          f"corrections go to {Path(out) / 'corrections.duckdb'} (Ctrl-C to stop)", flush=True)
    server = uvicorn.Server(uvicorn.Config(app, log_level="warning", access_log=False, lifespan="off"))
    try:
        server.run(sockets=[sock])
    except KeyboardInterrupt:
        pass
    finally:
        sock.close()
    return 0
