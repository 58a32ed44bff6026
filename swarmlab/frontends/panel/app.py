"""The panel's web app: HTTPS on 9443, the admin user's forms, and the dashboard's refresher behind a login.

The pages after login are the dashboard's static assets (its style, its
visualiser and overlay picture) plus panel.js, fed by one snapshot stream: the
dashboard's Refresher over an AgentSource. Every answer carries a policy that
lets the page talk to this server only. A change (the Services tab's scale,
image update, removal) is made only for a live session whose form carries that
session's token, and the panel's log says who made which.
"""

import argparse
import asyncio
import html
import math
import os
import subprocess
import sys
import time
from importlib.resources import files
from pathlib import Path
from typing import Callable
from urllib.parse import parse_qs

import uvicorn
from starlette.applications import Starlette
from starlette.middleware import Middleware
from starlette.responses import HTMLResponse, JSONResponse, RedirectResponse, Response
from starlette.routing import Mount, Route
from starlette.staticfiles import StaticFiles

from ... import i18n
from ...transport.agent import endpoint
from ..dashboard import app as dashboard
from ..dashboard.data import masked
from . import guard
from .auth import MIN_PASSWORD, Users
from .manage import Refused
from .source import AgentSource

PORT = 9443
COOKIE = "swarmlab_panel"
POLICY = dashboard.POLICY.replace("form-action 'none'", "form-action 'self'")
INTERVAL = 5.0
BODY_LIMIT = 8192  # the forms have four short fields


def static() -> Path:
    return Path(str(files(__package__) / "static"))


def form_page(lang: str, kind: str, problem: str = "", username: str = "") -> HTMLResponse:
    """The first visit's user form (kind "setup") or the login form; a problem is said above the fields."""
    w = {key: text.format(min=MIN_PASSWORD) for key, text in i18n.family("form", lang).items()}
    confirm = (
        (f'<label>{w["confirm"]}<input type="password" name="confirm" autocomplete="new-password" required></label>')
        if kind == "setup"
        else ""
    )
    note = f'<p class="note">{html.escape(w["setup_note"])}</p>' if kind == "setup" else ""
    error = f'<p class="problem" role="alert" data-problem="{problem}">{html.escape(w[problem])}</p>' if problem else ""
    page = f"""<!DOCTYPE html>
<html lang="{lang}"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>{html.escape(w[kind])} · swarmlab</title><link rel="icon" href="/static/favicon.svg" type="image/svg+xml">
<link rel="stylesheet" href="/static/style.css"><link rel="stylesheet" href="/panel-static/panel.css"></head>
<body><header class="top"><h1>{html.escape(w["title"])}</h1></header>
<main class="auth"><form method="post" action="/{kind}" class="panel" id="{kind}-form">
<h2>{html.escape(w[kind])}</h2>{note}{error}
<label>{w["username"]}<input name="username" value="{html.escape(username or "admin")}" autocomplete="username"
 required></label>
<label>{w["password"]}<input type="password" name="password" autocomplete="{
        "new-password" if kind == "setup" else "current-password"
    }" required></label>{confirm}
<button type="submit">{w["create" if kind == "setup" else "enter"]}</button></form></main></body></html>"""
    return HTMLResponse(page)


async def fields(request) -> dict:
    """A small urlencoded form's fields, without a multipart parser; a larger body is not read past its limit."""
    body = b""
    async for chunk in request.stream():
        body += chunk
        if len(body) > BODY_LIMIT:
            break
    return {k: v[0] for k, v in parse_qs(body[:BODY_LIMIT].decode(errors="replace")).items()}


def create_app(
    source: AgentSource,
    data: Path,
    lang: str = "ru",
    interval: float = INTERVAL,
    setup_seconds: float = guard.SETUP_SECONDS,
    clock: Callable[[], float] = time.monotonic,
) -> Starlette:
    users = Users(data)
    window, throttle = guard.SetupWindow(setup_seconds, clock), guard.Throttle(clock)
    refresher = dashboard.Refresher(source, interval, source.mask)
    main_page = dashboard.page(static() / "panel.html", lang)

    def user(request):
        return users.user(request.cookies.get(COOKIE))

    def gate(request):
        """Where a visitor without a session goes: the user form first, then the login."""
        if not users.exists():
            return RedirectResponse("/setup", status_code=303)
        if user(request) is None:
            return RedirectResponse("/login", status_code=303)
        return None

    def logged_in(username: str) -> Response:
        answer = RedirectResponse("/", status_code=303)
        answer.set_cookie(COOKIE, users.start(username), httponly=True, secure=True, samesite="strict")
        return answer

    async def index(request):
        return gate(request) or HTMLResponse(
            main_page.replace("{{token}}", html.escape(users.form_token(request.cookies.get(COOKIE)) or ""))
        )

    async def setup(request):
        if users.exists():
            return RedirectResponse("/login", status_code=303)
        if not window.open():
            closed = form_page(lang, "setup", "timed_out")
            closed.status_code = 403
            return closed
        if request.method == "GET":
            return form_page(lang, "setup")
        form = await fields(request)
        username, password, confirm = (form.get(k, "") for k in ("username", "password", "confirm"))
        problem = users.problem(username, password, confirm)
        if problem:
            return form_page(lang, "setup", problem, username)
        if not await asyncio.to_thread(users.create, username, password):
            return form_page(lang, "login", "exists", username)
        return logged_in(username)

    async def login(request):
        if not users.exists():
            return RedirectResponse("/setup", status_code=303)
        if request.method == "GET":
            return form_page(lang, "login")
        form = await fields(request)
        username, password = form.get("username", ""), form.get("password", "")
        keys = guard.login_keys(username, request.client.host if request.client else "")
        wait = throttle.admit(*keys)
        if wait:
            refused = form_page(lang, "login", "throttled", username)
            refused.status_code = 429
            refused.headers["Retry-After"] = str(math.ceil(wait))
            return refused
        if not await asyncio.to_thread(users.verify, username, password):
            return form_page(lang, "login", "wrong", username)
        throttle.passed(*keys)
        return logged_in(username)

    async def logout(request):
        if not users.carries(request.cookies.get(COOKIE), (await fields(request)).get("token")):
            return RedirectResponse("/", status_code=303)
        users.end(request.cookies.get(COOKIE))
        answer = RedirectResponse("/login", status_code=303)
        answer.delete_cookie(COOKIE)
        return answer

    def api(handler):
        async def guarded(request):
            if user(request) is None:
                return JSONResponse({"error": "log in first"}, status_code=401)
            return await handler(request)

        return guarded

    async def snapshot(request):
        if refresher.latest is None:
            return JSONResponse({"waiting": True}, status_code=503, headers={"Retry-After": "1"})
        return Response(refresher.latest, media_type="application/json")

    async def logs(request):
        node, container = request.query_params.get("node", ""), request.query_params.get("container", "")
        try:
            lines = await asyncio.to_thread(source.logs, node, container)
        except LookupError as err:
            return JSONResponse({"error": str(err)}, status_code=404)
        except Exception as err:  # an agent that stopped answering: said on the page, not a 500
            return JSONResponse({"error": str(err).splitlines()[0][:300]}, status_code=502)
        return JSONResponse({"node": node, "container": container, "lines": masked(lines, source.mask)})

    async def plan(request):
        """What a change would do, for its confirmation: a read, nothing is sent."""
        try:
            change = source.plan(dict(request.query_params))
        except Refused as err:
            return JSONResponse({"error": str(err)}, status_code=400)
        return JSONResponse({"said": masked(change.said, source.mask), "command": masked(change.command, source.mask)})

    async def change(request):
        cookie = request.cookies.get(COOKIE)
        form = await fields(request)
        if not users.carries(cookie, form.get("token")):
            return JSONResponse({"error": i18n.tr("manage.token", lang)}, status_code=403)
        try:
            planned = source.plan(form)
        except Refused as err:
            return JSONResponse({"error": str(err)}, status_code=400)
        who, tag = users.user(cookie) or "", users.tag(cookie or "")
        try:
            done = await asyncio.to_thread(source.write, planned, who, tag)
        except Exception as err:  # an agent that stopped answering: said on the page, not a 500
            print(f"swarmlab-panel: {who} (session {tag}) {planned.command}: {err}", file=sys.stderr, flush=True)
            return JSONResponse({"error": str(err).splitlines()[0][:300]}, status_code=502)
        print(
            f"swarmlab-panel: {who} (session {tag}) {planned.command} -> exit {done.exit_status}",
            file=sys.stderr,
            flush=True,
        )
        output = masked((done.stdout + done.stderr).strip(), source.mask)
        if not done.ok:
            why = (output.splitlines() or ["no output"])[-1][:300]
            return JSONResponse({"error": i18n.tr("manage.failed", lang, service=planned.service, why=why)}, 409)
        return JSONResponse({"said": i18n.tr("manage.done", lang, service=planned.service), "output": output[:2000]})

    return Starlette(
        routes=[
            Route("/", index),
            Route("/setup", setup, methods=["GET", "POST"]),
            Route("/login", login, methods=["GET", "POST"]),
            Route("/logout", logout, methods=["POST"]),
            Route("/snapshot.json", api(snapshot)),
            Route("/events", api(dashboard.events(refresher))),
            Route("/api/logs", api(logs)),
            Route("/api/plan", api(plan)),
            Route("/api/change", api(change), methods=["POST"]),
            Mount("/static", StaticFiles(directory=dashboard.static()), name="static"),
            Mount("/panel-static", StaticFiles(directory=static()), name="panel-static"),
        ],
        middleware=[
            Middleware(dashboard.Headers, policy=POLICY, extra={"Strict-Transport-Security": "max-age=300"}),
            Middleware(guard.BodyCap),
        ],
        lifespan=dashboard.lifespan(refresher),
    )


def certificate(data: Path) -> tuple:
    """(certificate, key) made at the first start and kept in /data, as Portainer's self-signed one is."""
    folder = data / "certs"
    cert, key = folder / "cert.pem", folder / "key.pem"
    if not (cert.is_file() and key.is_file()):
        folder.mkdir(parents=True, exist_ok=True)
        subprocess.run(
            [
                "openssl",
                "req",
                "-x509",
                "-newkey",
                "ec",
                "-pkeyopt",
                "ec_paramgen_curve:prime256v1",
                "-nodes",
                "-days",
                "3650",
                "-subj",
                "/CN=portainer",
                "-keyout",
                str(key),
                "-out",
                str(cert),
            ],
            check=True,
            capture_output=True,
        )
        os.chmod(key, 0o600)
    return cert, key


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(prog="swarmlab-panel", description=__doc__.splitlines()[0])
    parser.add_argument(
        "-H", "--host", default="tcp://tasks.agent:9001", help="the agents, as Portainer's -H: tcp://tasks.agent:9001"
    )
    parser.add_argument(
        "--tlsskipverify",
        action="store_true",
        help="accepted as Portainer accepts it; the lab's agents speak plain HTTP on their network",
    )
    parser.add_argument("--data", default="/data", help="where the certificate and the admin user are kept")
    parser.add_argument("--bind", default="0.0.0.0")
    parser.add_argument("--port", type=int, default=PORT)
    parser.add_argument("--lang", choices=i18n.LANGS, default=i18n.chosen())
    parser.add_argument("--interval", type=float, default=INTERVAL)
    args = parser.parse_args(argv)
    try:
        host, port = endpoint(args.host)
    except ValueError as err:
        parser.error(str(err))
    data = Path(args.data)
    cert, key = certificate(data)
    source = AgentSource(host, port, lang=args.lang)
    print(
        f"swarmlab-panel: https://{args.bind}:{args.port}/ reading the swarm through {host}:{port}",
        file=sys.stderr,
        flush=True,
    )
    if not Users(data).exists():
        print(
            f"swarmlab-panel: no administrator yet: the first visit's form is open for "
            f"{guard.SETUP_SECONDS / 60:g} minutes",
            file=sys.stderr,
            flush=True,
        )
    uvicorn.run(
        create_app(source, data, args.lang, args.interval),
        host=args.bind,
        port=args.port,
        ssl_certfile=str(cert),
        ssl_keyfile=str(key),
        log_level="warning",
        access_log=False,
        timeout_graceful_shutdown=3,
    )
    return 0
