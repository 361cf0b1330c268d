"""`kaohe comment`: the score comment is posted once and then updated, found past the first page.

A local HTTP server plays the three servers' comment APIs as documented: GitHub (pages of up to
100 with a `Link: rel="next"` header), GitLab (the same, on /notes), Gitea (all comments at once).
It records every request so the tests can assert exactly what kaohe asked for.
"""

from __future__ import annotations

import json
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, urlsplit

import pytest
from conftest import said

from generator.messages import tr

MARKER = "<!-- kaohe-diff -->"


class FakeServer:
    def __init__(self, host: str, comments: list[dict]):
        self.host = host
        self.comments = comments
        self.requests: list[tuple[str, str, dict]] = []
        owner = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args):
                pass

            def _reply(self, data, status=200, headers=()):
                body = json.dumps(data).encode()
                self.send_response(status)
                for name, value in headers:
                    self.send_header(name, value)
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            def _record(self):
                length = int(self.headers.get("Content-Length") or 0)
                body = json.loads(self.rfile.read(length)) if length else {}
                auth = self.headers.get("Authorization") or self.headers.get("PRIVATE-TOKEN")
                owner.requests.append((self.command, self.path, {"auth": auth, **body}))
                return body

            def do_GET(self):
                self._record()
                url = urlsplit(self.path)
                if owner.host == "gitea":  # Gitea lists an issue's comments without pages
                    return self._reply(owner.comments)
                query = parse_qs(url.query)
                size, page = int(query.get("per_page", ["30"])[0]), int(query.get("page", ["1"])[0])
                items = owner.comments[(page - 1) * size : page * size]
                headers = []
                if page * size < len(owner.comments):
                    nxt = f"http://127.0.0.1:{owner.port}{url.path}?per_page={size}&page={page + 1}"
                    headers.append(("Link", f'<{nxt}>; rel="next", <{nxt}>; rel="last"'))
                self._reply(items, headers=headers)

            def do_POST(self):
                body = self._record()
                comment = {"id": 1000 + len(owner.comments), "body": body["body"]}
                owner.comments.append(comment)
                self._reply(comment, 201)

            def _edit(self):
                body = self._record()
                comment_id = int(self.path.rsplit("/", 1)[1])
                comment = next(c for c in owner.comments if c["id"] == comment_id)
                comment["body"] = body["body"]
                self._reply(comment)

            do_PUT = _edit
            do_PATCH = _edit

        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.port = self.httpd.server_port
        threading.Thread(target=self.httpd.serve_forever, daemon=True).start()

    def close(self):
        self.httpd.shutdown()
        self.httpd.server_close()


BASES = {
    "github": "/api/v3/repos/qxn/kaohe/issues/7/comments",
    "gitea": "/api/v1/repos/qxn/kaohe/issues/7/comments",
    "gitlab": "/api/v4/projects/42/merge_requests/7/notes",
}
EDITS = {
    "github": ("PATCH", "/api/v3/repos/qxn/kaohe/issues/comments/{}"),
    "gitea": ("PATCH", "/api/v1/repos/qxn/kaohe/issues/comments/{}"),
    "gitlab": ("PUT", "/api/v4/projects/42/merge_requests/7/notes/{}"),
}


def _env(monkeypatch, tmp_path, host: str, port: int) -> None:
    for name in ("GITLAB_CI", "GITEA_ACTIONS", "GITHUB_ACTIONS", "PR_NUMBER", "API_URL", "REPOSITORY"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("KAOHE_BOT_TOKEN", "s3cret")
    if host == "gitlab":
        monkeypatch.setenv("GITLAB_CI", "true")
        monkeypatch.setenv("CI_API_V4_URL", f"http://127.0.0.1:{port}/api/v4")
        monkeypatch.setenv("CI_PROJECT_ID", "42")
        monkeypatch.setenv("CI_MERGE_REQUEST_IID", "7")
        return
    event = tmp_path / "event.json"
    event.write_text(json.dumps({"action": "synchronize", "pull_request": {"number": 7}}), encoding="utf-8")
    monkeypatch.setenv("GITEA_ACTIONS" if host == "gitea" else "GITHUB_ACTIONS", "true")
    monkeypatch.setenv("GITHUB_API_URL", f"http://127.0.0.1:{port}/api/" + ("v1" if host == "gitea" else "v3"))
    monkeypatch.setenv("GITHUB_REPOSITORY", "qxn/kaohe")
    monkeypatch.setenv("GITHUB_EVENT_PATH", str(event))


@pytest.fixture
def server_for():
    servers = []

    def make(host, comments):
        servers.append(FakeServer(host, comments))
        return servers[-1]

    yield make
    for s in servers:
        s.close()


@pytest.mark.parametrize("host", ["github", "gitea", "gitlab"])
def test_first_run_posts_then_later_runs_update_the_same_comment(host, server_for, monkeypatch, tmp_path, kaohe):
    server = server_for(host, [{"id": 1, "body": "LGTM"}])
    _env(monkeypatch, tmp_path, host, server.port)
    (tmp_path / "diff.md").write_text("## 得分变化\n第一次", encoding="utf-8")
    run = kaohe("comment", str(tmp_path / "diff.md"))  # the host is detected from the CI variables
    assert run.code == 0, run.err
    assert said("comment.posted", id=1001) in run.err
    (tmp_path / "diff.md").write_text("## 得分变化\n第二次", encoding="utf-8")
    run = kaohe("comment", str(tmp_path / "diff.md"))
    assert run.code == 0, run.err
    assert said("comment.updated", id=1001) in run.err
    assert [c["body"] for c in server.comments] == ["LGTM", f"{MARKER}\n## 得分变化\n第二次"]
    page = "" if host == "gitea" else "?per_page=100"
    method, edit = EDITS[host]
    assert [(m, p) for m, p, _ in server.requests] == [
        ("GET", BASES[host] + page),
        ("POST", BASES[host]),
        ("GET", BASES[host] + page),
        (method, edit.format(1001)),
    ]
    expected_auth = "s3cret" if host == "gitlab" else "token s3cret"
    assert {body["auth"] for _, _, body in server.requests} == {expected_auth}
    assert "s3cret" not in run.out + run.err


@pytest.mark.parametrize("host", ["github", "gitlab"])
def test_the_earlier_comment_is_found_past_the_first_100(host, server_for, monkeypatch, tmp_path, kaohe):
    comments = [{"id": n, "body": f"review {n}"} for n in range(1, 251)]
    comments[149] = {"id": 150, "body": f"{MARKER}\nold scores"}  # on page 2 of 100
    comments[219] = {"id": 220, "body": f"quoting the bot:\n{MARKER}"}  # someone else's, page 3
    server = server_for(host, comments)
    _env(monkeypatch, tmp_path, host, server.port)
    (tmp_path / "diff.md").write_text("new scores", encoding="utf-8")
    run = kaohe("comment", str(tmp_path / "diff.md"))
    assert run.code == 0, run.err
    method, edit = EDITS[host]
    assert [(m, p) for m, p, _ in server.requests] == [
        ("GET", BASES[host] + "?per_page=100"),
        ("GET", BASES[host] + "?per_page=100&page=2"),
        ("GET", BASES[host] + "?per_page=100&page=3"),  # every page is read: a later comment would win
        (method, edit.format(150)),
    ]
    assert comments[149]["body"] == f"{MARKER}\nnew scores"
    assert comments[219]["body"] == f"quoting the bot:\n{MARKER}"  # untouched
    assert len(comments) == 250  # nothing posted


def test_the_latest_of_several_earlier_comments_is_updated(server_for, monkeypatch, tmp_path, kaohe):
    comments = [{"id": n, "body": f"{MARKER}\nrun {n}" if n in (3, 130) else "x"} for n in range(1, 141)]
    server = server_for("github", comments)
    _env(monkeypatch, tmp_path, "github", server.port)
    (tmp_path / "diff.md").write_text("again", encoding="utf-8")
    assert kaohe("comment", str(tmp_path / "diff.md")).code == 0
    assert server.requests[-1][:2] == ("PATCH", EDITS["github"][1].format(130))


def test_missing_token_and_variables_are_named(monkeypatch, tmp_path, kaohe):
    _env(monkeypatch, tmp_path, "gitlab", 9)
    (tmp_path / "diff.md").write_text("x", encoding="utf-8")
    monkeypatch.delenv("KAOHE_BOT_TOKEN")
    run = kaohe("comment", str(tmp_path / "diff.md"))
    assert run.code == 1 and "KAOHE_BOT_TOKEN" in run.err
    monkeypatch.setenv("KAOHE_BOT_TOKEN", "t")
    monkeypatch.delenv("CI_MERGE_REQUEST_IID")
    run = kaohe("comment", str(tmp_path / "diff.md"))
    assert run.code == 1 and "CI_MERGE_REQUEST_IID" in run.err
    for name in ("GITLAB_CI",):
        monkeypatch.delenv(name)
    run = kaohe("comment", str(tmp_path / "diff.md"))
    assert run.code == 1 and "--host" in run.err


def test_a_refusal_names_the_status_not_the_token(server_for, monkeypatch, tmp_path, kaohe):
    server = server_for("github", [])
    _env(monkeypatch, tmp_path, "github", server.port)
    monkeypatch.setenv("GITHUB_REPOSITORY", "qxn/missing")
    server.httpd.RequestHandlerClass.do_GET = lambda self: (self.send_response(403), self.end_headers())
    (tmp_path / "diff.md").write_text("x", encoding="utf-8")
    run = kaohe("comment", str(tmp_path / "diff.md"))
    assert run.code == 1
    assert "403" in run.err and "s3cret" not in run.err
    assert "Traceback" not in run.err


def test_unreachable_server_is_a_clear_error(monkeypatch, tmp_path, kaohe):
    import socket

    with socket.socket() as s:  # a port nothing listens on
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    _env(monkeypatch, tmp_path, "gitlab", port)
    (tmp_path / "diff.md").write_text("x", encoding="utf-8")
    run = kaohe("comment", str(tmp_path / "diff.md"))
    assert run.code == 1 and "Traceback" not in run.err
    # the message's own words, between the URL and the error it quotes
    words = tr("comment.unreachable", method="GET", url="URL", error="ERROR").split("URL")[1].split("ERROR")[0]
    assert words in run.err
