"""`claimsearch serve`: a local, read-only web page over one open index, and a JSON API under /api/.

A thin layer: each route validates its parameters (`params`), makes one or two calls into the
library (`ClaimIndex`, `Browser`) and renders a Jinja2 template or JSON. The page works without
JavaScript; htmx (vendored from the django-js-lib-htmx package, served from /static) only swaps
the results in place. Every text from an article goes through Jinja2's autoescaping, and a strict
Content-Security-Policy allows scripts, styles and requests from this server only.
"""
from __future__ import annotations

import math
from pathlib import Path

import jinja2
from starlette.applications import Starlette
from starlette.exceptions import HTTPException
from starlette.middleware import Middleware
from starlette.middleware.trustedhost import TrustedHostMiddleware
from starlette.requests import Request
from starlette.responses import HTMLResponse, JSONResponse, Response, StreamingResponse
from starlette.routing import Mount, Route
from starlette.staticfiles import StaticFiles

from ..browsing import Browser
from ..errors import ClaimsearchError, QueryError
from ..searching import MARK, ClaimIndex
from . import exports
from .params import BadParameter, SearchParams, parse
from .timeline import timeline

HERE = Path(__file__).parent
HTMX = ("js_lib_htmx", "static")  # the package that ships htmx.min.js, and its folder of static files
CSP = ("default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; "
       "form-action 'self'; base-uri 'none'; frame-ancestors 'none'")
HEADERS = [(b"content-security-policy", CSP.encode()), (b"x-content-type-options", b"nosniff"),
           (b"referrer-policy", b"no-referrer"), (b"x-frame-options", b"DENY")]
FACET_ROWS = 8  # values shown per facet on the page (the API gives them all)
LOCAL_HOSTS = ["127.0.0.1", "localhost"]


class SecurityHeaders:
    """Adds the CSP and its companions to every response, static files and errors included."""

    def __init__(self, app) -> None:
        self.app = app

    async def __call__(self, scope, receive, send) -> None:
        if scope["type"] != "http":
            return await self.app(scope, receive, send)

        async def with_headers(message) -> None:
            if message["type"] == "http.response.start":
                message["headers"] = [*message.get("headers", []), *HEADERS]
            await send(message)

        await self.app(scope, receive, with_headers)


def marked(text: str | None) -> list[tuple[str, bool]]:
    """A hit's highlight as (text, matched) pieces, for the template to wrap the matched ones in <mark>."""
    return [(part, bool(i % 2)) for i, part in enumerate((text or "").split(MARK)) if part]


def _environment() -> jinja2.Environment:
    env = jinja2.Environment(loader=jinja2.FileSystemLoader(HERE / "templates"), autoescape=True,
                             undefined=jinja2.ChainableUndefined, trim_blocks=True, lstrip_blocks=True)
    env.globals.update(marked=marked, FACET_ROWS=FACET_ROWS)
    env.tests["web_url"] = lambda url: isinstance(url, str) and url.lower().startswith(("http://", "https://"))
    return env


def create_app(index_dir: str | Path = "index", hosts: list[str] | None = None) -> Starlette:
    """The web application over the index in `index_dir` (opened now: a missing index fails here).

    `hosts`: the host names the page answers to (a guard against DNS rebinding); 127.0.0.1 and localhost.
    """
    index = ClaimIndex(index_dir)
    browser = Browser(index)
    browser.counts()  # read the facet table and the postings now, not on the first visitor's search
    index.postings  # noqa: B018
    env = _environment()
    env.globals["outlet_of"] = browser.outlet

    def page(name: str, request: Request, code: int = 200, **context) -> HTMLResponse:
        html = env.get_template(name).render(request=request, **context)
        return HTMLResponse(html, status_code=code)

    def params(request: Request, allowed: set[str] | None = None) -> SearchParams:
        return parse(request.query_params.multi_items(), allowed)

    def results(p: SearchParams) -> dict:
        """The counts of the claims with the words, one page of hits in the chosen ranking, and the
        paging: by the count when the ranking is of those claims, by a look one hit ahead when
        claims close in meaning come too (they have no count)."""
        counts = browser.counts(p.q, outlet=p.outlet, **p.filters())
        meaning = browser.by_meaning(p.q, p.mode)
        hits = browser.search(p.q, offset=(p.page - 1) * p.per, limit=p.per + meaning, outlet=p.outlet, mode=p.mode,
                              **p.filters())
        pages = None if meaning else math.ceil(counts.claims / p.per)
        more = len(hits) > p.per if meaning else p.page < pages
        return dict(counts=counts, hits=hits[:p.per], pages=pages, more=more and p.page < 1000, by_meaning=meaning)

    async def search_page(request: Request) -> Response:
        p = params(request)
        context = dict(p=p, counts=None, hits=[], pages=0, more=False, by_meaning=False, suggestion=None, error=None,
                       timeline=None)
        try:
            context.update(results(p))
            hits = context["hits"]
            context["suggestion"] = index.suggest(p.q) if not hits and p.q.strip() else None
        except QueryError as exc:
            return page("search.html", request, 400, **{**context, "counts": None, "hits": [], "error": str(exc)})
        context["timeline"] = timeline(context["counts"].months)
        return page("search.html", request, **context)

    async def who_page(request: Request) -> Response:
        p = params(request)
        try:
            counts = browser.counts(p.q, outlet=p.outlet, **p.filters())
            sources = browser.who(p.q, outlet=p.outlet, **p.filters())
        except QueryError as exc:
            return page("who.html", request, 400, p=p, error=str(exc), counts=None, sources=())
        return page("who.html", request, p=p, error=None, counts=counts, sources=sources)

    async def article_page(request: Request) -> Response:
        parse(request.query_params.multi_items(), allowed=set())
        view = browser.article(request.path_params["article_id"])
        if view is None:
            raise HTTPException(404, f"no article {request.path_params['article_id']!r} in this index")
        return page("article.html", request, view=view, p=SearchParams(), outlet=browser.outlet(view.article_id))

    async def api_page(request: Request) -> Response:
        parse(request.query_params.multi_items(), allowed=set())
        return page("api.html", request, p=SearchParams(), fields=list(SearchParams.model_fields),
                    formats=exports.FORMATS)

    async def api_search(request: Request) -> Response:
        p = params(request)
        r = results(p)
        return JSONResponse({"query": p.given(), "mode": p.mode, "total": r["counts"].claims, "by_meaning": r["by_meaning"],
                             "page": p.page, "per": p.per, "more": r["more"],
                             "hits": [h.model_dump(mode="json") for h in r["hits"]]})

    async def api_facets(request: Request) -> Response:
        p = params(request)
        return JSONResponse(browser.counts(p.q, outlet=p.outlet, **p.filters()).model_dump(mode="json"))

    async def api_who(request: Request) -> Response:
        p = params(request)
        who = browser.who(p.q, outlet=p.outlet, **p.filters())
        return JSONResponse([s.model_dump(mode="json") for s in who])

    async def api_article(request: Request) -> Response:
        parse(request.query_params.multi_items(), allowed=set())
        view = browser.article(request.path_params["article_id"])
        if view is None:
            raise HTTPException(404, f"no article {request.path_params['article_id']!r} in this index")
        return JSONResponse(view.model_dump(mode="json"))

    async def api_stats(request: Request) -> Response:
        parse(request.query_params.multi_items(), allowed=set())
        return JSONResponse(index.stats().model_dump(mode="json"))

    async def api_export(request: Request) -> Response:
        items = request.query_params.multi_items()
        fmt = next((v for k, v in items if k == "format"), "csv")
        if fmt not in exports.FORMATS:
            raise BadParameter(f"format={fmt!r}: choose one of {', '.join(exports.FORMATS)}")
        p = parse([(k, v) for k, v in items if k not in ("format", "page", "per")])
        hits = browser.search(p.q, offset=0, limit=None, outlet=p.outlet, mode="words", **p.filters())  # every match
        selection = fmt == "claimreview" and any(k != "q" or v.strip() for k, v in p.given().items())
        body, media_type, suffix = exports.export(hits, fmt, index.search("", limit=None) if selection else None)
        return StreamingResponse(body, media_type=media_type,
                                 headers={"content-disposition": f'attachment; filename="claims.{suffix}"'})

    def wants_json(request: Request) -> bool:
        return request.url.path.startswith("/api/")

    async def bad_request(request: Request, exc: Exception) -> Response:
        if wants_json(request):
            return JSONResponse({"error": str(exc)}, status_code=400)
        return page("error.html", request, 400, p=SearchParams(), status=400, message=str(exc))

    async def http_error(request: Request, exc: HTTPException) -> Response:
        if wants_json(request):
            return JSONResponse({"error": exc.detail}, status_code=exc.status_code, headers=exc.headers)
        return page("error.html", request, exc.status_code, p=SearchParams(), status=exc.status_code,
                    message=exc.detail)

    async def server_error(request: Request, exc: Exception) -> Response:
        """Never a traceback: one line, and the library's own message when it raised on purpose."""
        message = str(exc) if isinstance(exc, ClaimsearchError) else "the server met an error; see its log"
        if wants_json(request):
            response = JSONResponse({"error": message}, status_code=500)
        else:
            response = page("error.html", request, 500, p=SearchParams(), status=500, message=message)
        for name, value in HEADERS:  # Starlette answers a 500 outside every middleware: the headers are set here
            response.headers[name.decode()] = value.decode()
        return response

    routes = [
        Route("/", search_page, name="search"),
        Route("/who", who_page, name="who"),
        Route("/article/{article_id:path}", article_page, name="article"),
        Route("/api", api_page, name="api"),
        Route("/api/search", api_search),
        Route("/api/facets", api_facets),
        Route("/api/who", api_who),
        Route("/api/article/{article_id:path}", api_article),
        Route("/api/stats", api_stats),
        Route("/api/export", api_export, name="export"),
        Mount("/static", StaticFiles(directory=HERE / "static", packages=[HTMX]), name="static"),
    ]
    app = Starlette(routes=routes, middleware=[
        Middleware(SecurityHeaders), Middleware(TrustedHostMiddleware, allowed_hosts=[*LOCAL_HOSTS, *(hosts or [])])],
        exception_handlers={BadParameter: bad_request, QueryError: bad_request, HTTPException: http_error,
                            Exception: server_error})
    app.state.index, app.state.browser = index, browser
    return app


__all__ = ["create_app", "CSP"]
