"""`kaohe serve`: preview a year's site while editing, with live reload.

Pages are rendered when the browser asks for them, from the results in memory
(:mod:`generator.render.preview`); a file watcher (watchdog) reports edits, the year is updated
(one evidence or findings file: that file and its unit), and every open page reloads itself. The
server listens on 127.0.0.1 unless told otherwise: the preview is for the person editing.
"""

from __future__ import annotations

import argparse
import contextlib
import errno
import ipaddress
import json
import queue
import re
import signal
import socket
import sys
import threading
import time
from http import HTTPStatus
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import parse_qs, unquote, urlsplit

from ..cachedir import DEFAULT_NAME, ENV, cache_folder
from ..controlchars import one_line
from ..messages import Labels, Message, msg, tr
from ..output.outpath import reason
from ..problems import InputError
from ..stops import STOPS, stops_unwind
from ..workspace import add_filing_dates_flag, find_root

#: Added to every page: waits for the next change (long polling), then reloads the page.
RELOAD_SCRIPT = """<script>
(function () {
  var epoch = %d;
  function wait() {
    fetch("/.kaohe/changes?since=" + epoch, {cache: "no-store"})
      .then(function (r) { return r.json(); })
      .then(function (d) { if (d.epoch !== epoch) { location.reload(); } else { wait(); } })
      .catch(function () { setTimeout(wait, 1000); });
  }
  wait();
})();
</script>"""
#: Shown on every page while the last edit does not validate (the page shows the state before it).
PROBLEM_BANNER = (
    '<div role="alert" style="position:fixed;z-index:1000;left:0;right:0;bottom:0;max-height:40vh;overflow:auto;'
    'background:#fff3f3;color:#a00;border-top:3px solid #a00;padding:.6em 1em;font:14px/1.5 monospace">'
    "<strong>kaohe serve: %s</strong><pre>%s</pre></div>"
)
#: How long a browser's wait for a change lasts before it asks again.
LONG_POLL = 25.0
#: Seconds an edit's cross-file checks (a second of CPU at province scale, which would share the
#: interpreter with the pages the browsers reload) wait for a browser to have reloaded, at most.
CHECK_AFTER = 5.0
#: Seconds Ctrl-C waits for an edit or a check under way to end before the server exits anyway.
STOP_WAIT = 10.0
#: Edits arriving within this time of each other are applied together (an editor's save is several events).
SETTLE = 0.05


def add_parser(sub: argparse._SubParsersAction, common: argparse.ArgumentParser) -> None:
    p = sub.add_parser("serve", parents=[common], help=tr("serve.help"), description=tr("serve.description"))
    p.add_argument("--year", type=int, help=tr("serve.year.help"))
    p.add_argument("-a", "--dev-addr", default="127.0.0.1:8000", metavar="HOST:PORT", help=tr("serve.dev-addr.help"))
    p.add_argument("--cache-dir", help=tr("serve.cache-dir.help", env=ENV, default=DEFAULT_NAME))
    p.add_argument("--no-cache", action="store_true", help=tr("serve.no-cache.help"))
    add_filing_dates_flag(p)
    p.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    from ..render.preview import Preview  # MkDocs loads only for the commands that render
    from ..render.siteconfig import repository_config

    host, _, port = args.dev_addr.rpartition(":")
    if not host or not re.fullmatch(r"[0-9]{1,5}", port) or int(port) > 65535:
        raise InputError("serve.address", address=args.dev_addr, why=msg("serve.address.format"))
    bare = host.removeprefix("[").removesuffix("]")  # an IPv6 address is written as in a URL
    root = find_root(Path(args.repo or "."))
    started = time.monotonic()
    cache = cache_folder(root, args.cache_dir, enabled=not args.no_cache)
    with stops_unwind():  # SIGTERM (a service manager, a container stopping) ends it as Ctrl-C does
        preview = Preview(root, args.year, repository_config(root), not args.no_filing_dates, cache)
        live = Live(preview)
        try:
            server = _server_for(bare)((bare, int(port)), handler(live, bare))
        except OSError as exc:
            live.stop()
            preview.close()
            why = msg("serve.address.listen", error=_listen_reason(exc))
            raise InputError("serve.address", address=args.dev_addr, why=why) from exc
        server.daemon_threads = True
        observer = watch(root, live)
        url = f"http://{f'[{bare}]' if ':' in bare else bare}:{server.server_address[1]}/{preview.year}/"
        try:  # a stop that comes as soon as the address is printed is a stop, not an interruption
            print(tr("serve.ready", year=preview.year, url=url, seconds=f"{time.monotonic() - started:.1f}"))
            sys.stdout.flush()
            server.serve_forever(poll_interval=0.2)
        except KeyboardInterrupt:
            pass
        finally:
            for stop in STOPS:
                _ignore(stop)  # a second stop does not cut the stopping short
            observer.stop()
            live.stop()
            server.server_close()
            preview.close()
    return 0


#: Why a server cannot listen, in the reader's words (the system's own text is English).
_LISTEN_REASONS = {
    errno.EADDRINUSE: "serve.address.in-use",
    errno.EADDRNOTAVAIL: "serve.address.not-here",
    errno.EACCES: "serve.address.denied",
}


def _listen_reason(exc: OSError) -> Message:
    code = _LISTEN_REASONS.get(exc.errno or 0)
    return msg(code) if code else reason(exc)


#: Connections served at once, each on its own thread (a page, an asset, a browser's wait for the
#: next change): enough for a few people's tabs; beyond it a connection is answered 503 at once.
MAX_CONNECTIONS = 32
#: Of those, how many may be browsers waiting for the next change (one per open tab): the others
#: stay free for pages, so that many open tabs never leave a reload without a thread to serve it.
MAX_WAITING = 24


def _busy_response() -> bytes:
    """A complete 503 answer (plain text, never JSON: the reload script would take a JSON body for a
    change). A waiting tab's script tries again a second later; a page says to reload shortly."""
    body = tr("serve.busy").encode("utf-8")
    head = (
        "HTTP/1.0 503 Service Unavailable\r\nContent-Type: text/plain; charset=utf-8\r\nRetry-After: 1\r\n"
        f"Cache-Control: no-store\r\nConnection: close\r\nContent-Length: {len(body)}\r\n\r\n"
    )
    return head.encode("ascii") + body


class _Server(ThreadingHTTPServer):
    """A thread per connection, as ThreadingHTTPServer, but at most MAX_CONNECTIONS at once: without a
    bound, every connection a page (or anything on the network it listens on) opened held a thread
    and a descriptor, and enough of them stopped the preview."""

    request_queue_size = MAX_CONNECTIONS  # connections the system holds while the loop accepts

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.slots = threading.BoundedSemaphore(MAX_CONNECTIONS)
        self.busy = _busy_response()

    def process_request(self, request, client_address) -> None:
        if not self.slots.acquire(blocking=False):
            return self._refuse(request)
        try:
            super().process_request(request, client_address)
        except Exception:  # no thread could start (RuntimeError): its slot is free again
            self.slots.release()
            raise
        # not on a KeyboardInterrupt (Ctrl-C, a stop): it can come while Thread.start waits for a
        # thread already running, which releases the slot itself; releasing it here too raised
        # "Semaphore released too many times" in the loop, which then never ended

    def process_request_thread(self, request, client_address) -> None:
        try:
            super().process_request_thread(request, client_address)
        finally:
            self.slots.release()

    def _refuse(self, request: socket.socket) -> None:
        """Answer 503 and close, on the accepting thread and without waiting on the client: the
        answer fits the socket's buffer; what the client sent is read first where it has come, as a
        close with unread data resets the connection and can drop the answer."""
        try:
            request.setblocking(False)
            with contextlib.suppress(BlockingIOError, InterruptedError):
                request.recv(65536)
            request.send(self.busy)
        except OSError:
            pass
        self.shutdown_request(request)


class _IPv6Server(_Server):
    address_family = socket.AF_INET6


def _server_for(host: str) -> type[ThreadingHTTPServer]:
    """The server class for `host`: an IPv6 address (`::1`) needs an IPv6 socket."""
    return _IPv6Server if ":" in host else _Server


def _ignore(signum: int) -> None:
    if threading.current_thread() is threading.main_thread():
        signal.signal(signum, signal.SIG_IGN)


class Live:
    """The preview, the number of changes shown so far, and the browsers waiting for the next one."""

    def __init__(self, preview) -> None:
        self.preview = preview
        self.epoch = 0
        self.changed = threading.Condition()
        self.edits: queue.Queue[str | None] = queue.Queue()
        self.served = threading.Event()  # set when a page has been served (cleared when an edit is shown)
        self.worker = threading.Thread(target=self._apply_edits, daemon=True)
        self.worker.start()

    def edited(self, path: str) -> None:
        self.edits.put(path)
        self.served.set()  # a wait for the browsers to reload ends: the newer edit goes first

    def stop(self) -> None:
        """End the worker and wait for it: the interpreter must not shut down under a thread that is
        still walking, loading or checking files (a daemon thread in the middle of that can hold the
        process at exit)."""
        self.edits.put(None)
        self.served.set()  # not waiting for a browser to reload
        self.worker.join(timeout=STOP_WAIT)

    def _apply_edits(self) -> None:
        # list the files while nobody is waiting, not on the first edit; after the first page (which
        # would share the interpreter with the walk of 30,000 files), unless an edit comes first
        while not self.served.wait(0.2) and self.edits.empty():
            pass
        if self.edits.empty():  # stopping, or an edit first: that edit lists the files itself
            self.preview.tree()
        while True:
            first = self.edits.get()
            if first is None:
                return
            paths = {first}
            time.sleep(SETTLE)
            while not self.edits.empty():
                path = self.edits.get()
                if path is None:
                    return
                paths.add(path)
            try:
                done = self.preview.apply(paths)
            except Exception as exc:  # a bug must not stop the previews that follow: say so on the pages
                self.preview.problems = [f"internal error: {type(exc).__name__}: {exc} (a bug in kaohe)"]
                done = "failed"
            if not done:
                continue
            shown = sorted(self.preview.relevant(paths) or paths)
            names = ", ".join(shown[:3]) + (" …" if len(shown) > 3 else "")
            print(tr("serve.edited", names=one_line(names), done=done), file=sys.stderr)
            self.served.clear()
            self._show()
            # the browsers reload first (the checks would slow their pages down), unless a newer edit
            # is saved: a reload that never comes (no browser open) must not hold it back
            if self.edits.empty():
                self.served.wait(CHECK_AFTER)
            if self.preview.check():  # the cross-file checks, once the edit is on screen
                self._show()

    def _show(self) -> None:
        """Tell the waiting browsers to reload (and the terminal what is wrong, if anything)."""
        for problem in self.preview.problems[:20]:
            print(f"  {one_line(problem)}", file=sys.stderr)
        with self.changed:
            self.epoch += 1
            self.changed.notify_all()

    def wait(self, since: int) -> int:
        """The epoch once it differs from `since`, or after LONG_POLL seconds."""
        with self.changed:
            self.changed.wait_for(lambda: self.epoch != since, timeout=LONG_POLL)
            return self.epoch


def watch(root: Path, live: Live):
    """Report every file created, changed, moved or deleted under frameworks/ and evidence/, and mkdocs.yml."""
    from watchdog.events import FileSystemEvent, FileSystemEventHandler
    from watchdog.observers import Observer

    class Events(FileSystemEventHandler):
        def on_any_event(self, event: FileSystemEvent) -> None:
            if event.event_type in ("opened", "closed_no_write"):
                return
            if event.is_directory and event.event_type == "modified":
                return
            for raw in (event.src_path, getattr(event, "dest_path", "")):
                if not raw:
                    continue
                path = Path(raw if isinstance(raw, str) else raw.decode("utf-8", "surrogateescape"))
                try:
                    rel = path.relative_to(root).as_posix()
                except ValueError:
                    continue
                data = rel.startswith(("frameworks/", "evidence/")) or rel == "mkdocs.yml"
                if data and not any(part.startswith(".") for part in rel.split("/")):  # not editors' swap files
                    live.edited(rel)

    observer = Observer()
    events = Events()
    for folder in ("frameworks", "evidence"):
        if (root / folder).is_dir():
            observer.schedule(events, str(root / folder), recursive=True)
    observer.schedule(events, str(root), recursive=False)
    observer.daemon = True
    observer.start()
    return observer


#: The page served in place of one that cannot be shown now (the reason, escaped, goes in).
FAILED_PAGE = (
    '<!doctype html><html><head><meta charset="utf-8"><title>kaohe serve</title></head><body><p>%s</p></body></html>'
)
#: Why a request was refused before it reached the pages, per status (Python's own page for these
#: is English and repeats what the client sent).
_REFUSED_REQUESTS = {
    HTTPStatus.BAD_REQUEST: msg("serve.request.bad"),
    HTTPStatus.NOT_IMPLEMENTED: msg("serve.request.method"),
    HTTPStatus.REQUEST_URI_TOO_LONG: msg("serve.request.too-long"),
    HTTPStatus.REQUEST_HEADER_FIELDS_TOO_LARGE: msg("serve.request.headers"),
    HTTPStatus.HTTP_VERSION_NOT_SUPPORTED: msg("serve.request.version"),
}


def refused_page(status: int) -> bytes:
    """The page for a request refused with `status`: in the reader's language, escaped, and naming
    nothing the client sent (a method, a path, a header), so a hostile request cannot word it."""
    from markupsafe import escape

    why = _REFUSED_REQUESTS.get(status, msg("serve.request.other"))
    text = tr("serve.request-refused", status=int(status), why=why)
    return (FAILED_PAGE % escape(text)).encode("utf-8")


#: The first folder of a path that names a year (another year than the one previewed, say).
_YEAR_FOLDER = re.compile(r"/([0-9]{4})(/|$)")


def not_found_page(year: int, path: str) -> bytes:
    """The page for a path the preview has not: an HTML page in the reader's language (http.server
    would answer an English word), telling a clerk who typed another year's address how to see it.
    It names only the year previewed, nothing the client sent."""
    from markupsafe import escape

    other = _YEAR_FOLDER.match(path)
    key = "serve.other-year" if other and int(other.group(1)) != year else "serve.not-found"
    return (FAILED_PAGE % escape(tr(key, year=year))).encode("utf-8")


#: How long a connection may take to send its request (a client that never finishes one holds a thread).
REQUEST_TIMEOUT = 10.0
#: The `since` of a live-reload request: an epoch, as the reload script sends it.
_EPOCH = re.compile(r"-?[0-9]{1,18}")


def served_host(host_header: str | None, bound: str) -> bool:
    """Whether a request's Host names this server as the browser reached it: an address, `localhost`
    or the host given to --dev-addr (`bound`, without brackets). A web page whose own name was made
    to point at 127.0.0.1 (DNS rebinding) sends its name, and must not read unpublished results."""
    if host_header is None:
        return True  # not a browser: browsers always send it
    name = host_header.strip().lower()
    if name.startswith("["):
        name = name[1 : name.find("]")] if "]" in name else name
    else:
        name = name.rpartition(":")[0] if ":" in name else name
    name = name.rstrip(".")
    if name in ("localhost", bound.lower()) or name.endswith(".localhost"):
        return True
    try:
        ipaddress.ip_address(name)
    except ValueError:
        return False
    return True


def handler(live: Live, bound: str) -> type[BaseHTTPRequestHandler]:
    waiting = threading.BoundedSemaphore(MAX_WAITING)

    class Handler(BaseHTTPRequestHandler):
        server_version = "kaohe-serve"
        timeout = REQUEST_TIMEOUT

        def log_message(self, format: str, *args) -> None:
            pass  # a request per asset would drown the messages that matter

        def do_GET(self) -> None:
            if not served_host(self.headers.get("Host"), bound):
                refused = tr("serve.host-refused", host=self.headers.get("Host", "")).encode()
                return self._send(refused, "text/plain; charset=utf-8", HTTPStatus.MISDIRECTED_REQUEST)
            parts = urlsplit(self.path)
            path = unquote(parts.path)
            year = live.preview.year
            if path == "/.kaohe/changes":
                if not waiting.acquire(blocking=False):  # the script asks again a second later
                    return self._send(
                        tr("serve.busy").encode(), "text/plain; charset=utf-8", HTTPStatus.SERVICE_UNAVAILABLE
                    )
                try:
                    since = parse_qs(parts.query).get("since", ["-1"])[0]
                    epoch = live.wait(int(since) if _EPOCH.fullmatch(since) else -1)
                finally:
                    waiting.release()
                return self._send(json.dumps({"epoch": epoch}).encode(), "application/json")
            if path in ("/", f"/{year}"):
                return self._redirect(f"/{year}/")
            if path == "/versions.json":
                listing = [{"version": str(year), "title": str(year), "aliases": ["latest"]}]
                return self._send(json.dumps(listing).encode(), "application/json")
            prefix = f"/{year}/"
            if not path.startswith(prefix):
                return self._send(not_found_page(year, path), "text/html; charset=utf-8", HTTPStatus.NOT_FOUND)
            try:
                found = live.preview.get(path[len(prefix) :])
            except Exception as exc:  # a page that cannot be rendered: say why instead of dropping the connection
                return self._failed(exc)
            if found is None:
                return self._send(not_found_page(year, path), "text/html; charset=utf-8", HTTPStatus.NOT_FOUND)
            body, kind = found
            if kind.startswith("text/html"):
                self._send(self._live(body), kind)
                return live.served.set()
            return self._send(body, kind)

        def send_error(self, code: int, message: str | None = None, explain: str | None = None) -> None:
            """http.server's answer to a request it cannot read (a bad request line, an unknown
            method, an over-long URL), with kaohe's page instead of Python's English one; the status
            line keeps the standard reason phrase, not the one http.server builds from the request.
            A request line it could not read leaves it at HTTP/0.9, which has no status line: the
            answer would be a bare page, its status lost; it is answered as HTTP/1.0."""
            self.close_connection = True
            if self.request_version == "HTTP/0.9":
                self.request_version = "HTTP/1.0"
            body = refused_page(code)
            try:
                self.send_response(code)
                self.send_header("Connection", "close")
                self.send_header("Content-Type", "text/html; charset=utf-8")
                self.send_header("Content-Length", str(len(body)))
                self.send_header("Cache-Control", "no-store")
                self.end_headers()
                if self.command != "HEAD":
                    self.wfile.write(body)
            except (BrokenPipeError, ConnectionResetError):
                pass  # the client went away

        def _live(self, body: bytes) -> bytes:
            """The page with the reload script, and the problems of the last edit when it did not validate."""
            from markupsafe import escape

            extra = RELOAD_SCRIPT % live.epoch
            if live.preview.problems:
                notice = Labels(live.preview.lang)["serve_notice"]
                extra += PROBLEM_BANNER % (escape(notice), escape("\n".join(live.preview.problems)))
            text = body.decode("utf-8")
            at = text.rfind("</body>")
            return (text[:at] + extra + text[at:] if at >= 0 else text + extra).encode("utf-8")

        def _failed(self, exc: Exception) -> None:
            """A page that cannot be shown now (its file changed while an edit elsewhere keeps the last
            valid state): an HTML page saying why, with the reload script, so that the tab shows the
            page by itself once the files are valid again."""
            from markupsafe import escape

            why = str(exc) if isinstance(exc, InputError) else f"{type(exc).__name__}: {exc}"
            text = tr("serve.page-failed", error=why)
            page = FAILED_PAGE % escape(text)
            self._send(self._live(page.encode("utf-8")), "text/html; charset=utf-8", HTTPStatus.INTERNAL_SERVER_ERROR)

        def _redirect(self, where: str) -> None:
            self.send_response(HTTPStatus.FOUND)
            self.send_header("Location", where)
            self.send_header("Content-Length", "0")
            self.end_headers()

        def _send(self, body: bytes, kind: str, status: HTTPStatus = HTTPStatus.OK) -> None:
            try:
                self.send_response(status)
                self.send_header("Content-Type", kind)
                self.send_header("Content-Length", str(len(body)))
                self.send_header("Cache-Control", "no-store")
                self.end_headers()
                self.wfile.write(body)
            except (BrokenPipeError, ConnectionResetError):
                pass  # the browser went away (a reload while the page was sent)

    return Handler
