"""`kaohe comment`: the score comment is posted once and then updated, found past the first page,
and only ever the comment the token's own account wrote.

A local HTTP server plays the three servers' comment APIs as documented: GitHub (pages of up to
100 with a `Link: rel="next"` header), GitLab (the same, on /notes), Gitea (all comments at once),
and `GET /user`, which names the token's account (or refuses, as GitHub does for Actions' own
GITHUB_TOKEN). A comment names its writer in `user` (GitHub, Gitea) or `author` (GitLab notes).
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
#: The token's own account, as `GET /user` names it, and a pull-request author.
BOT = {"id": 9001, "login": "kaohe-bot", "username": "kaohe-bot", "type": "User"}
AUTHOR = {"id": 5005, "login": "pr-author", "username": "pr-author", "type": "User"}
ACTIONS = {"id": 41898282, "login": "github-actions[bot]", "type": "Bot"}


def by(host: str, who: dict, comment_id: int, body: str) -> dict:
    """A comment as `host` lists it: the writer under `author` on GitLab, under `user` elsewhere."""
    return {"id": comment_id, "body": body, ("author" if host == "gitlab" else "user"): who}


#: What each server refuses as too long, and how: GitHub 422 "Body is too long (maximum is 65536
#: characters)", GitLab 400 "Note is too long (maximum is 1000000 characters)". Gitea states none.
TOO_LONG = {"github": (65536, 422), "gitlab": (1_000_000, 400)}


class FakeServer:
    def __init__(self, host: str, comments: list[dict], me: dict | int = BOT):
        self.host = host
        self.comments = comments
        #: What `GET /user` answers: the token's account, or an HTTP status refusing to say.
        self.me = me
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
                if url.path.endswith("/user"):
                    if isinstance(owner.me, int):
                        return self._reply({"message": "Resource not accessible by integration"}, owner.me)
                    return self._reply(owner.me)
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

            def _too_long(self, body) -> bool:
                limit, status = TOO_LONG.get(owner.host, (None, None))
                if limit is None or len(body["body"]) <= limit:
                    return False
                self._reply({"message": f"Body is too long (maximum is {limit} characters)"}, status)
                return True

            def do_POST(self):
                body = self._record()
                if self._too_long(body):
                    return
                writer = owner.me if isinstance(owner.me, dict) else ACTIONS
                comment = by(owner.host, writer, 1000 + len(owner.comments), body["body"])
                owner.comments.append(comment)
                self._reply(comment, 201)

            def _edit(self):
                body = self._record()
                if self._too_long(body):
                    return
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


USER = {"github": "/api/v3/user", "gitea": "/api/v1/user", "gitlab": "/api/v4/user"}
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

    def make(host, comments, me=BOT):
        servers.append(FakeServer(host, comments, me))
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
        ("GET", USER[host]),  # whose token: asked once per run
        ("GET", BASES[host] + page),
        ("POST", BASES[host]),
        ("GET", USER[host]),
        ("GET", BASES[host] + page),
        (method, edit.format(1001)),
    ]
    expected_auth = "s3cret" if host == "gitlab" else "token s3cret"
    assert {body["auth"] for _, _, body in server.requests} == {expected_auth}
    assert "s3cret" not in run.out + run.err


@pytest.mark.parametrize("host", ["github", "gitlab"])
def test_the_earlier_comment_is_found_past_the_first_100(host, server_for, monkeypatch, tmp_path, kaohe):
    comments = [by(host, AUTHOR, n, f"review {n}") for n in range(1, 251)]
    comments[149] = by(host, BOT, 150, f"{MARKER}\nold scores")  # on page 2 of 100
    comments[219] = by(host, AUTHOR, 220, f"quoting the bot:\n{MARKER}")  # someone else's, page 3
    server = server_for(host, comments)
    _env(monkeypatch, tmp_path, host, server.port)
    (tmp_path / "diff.md").write_text("new scores", encoding="utf-8")
    run = kaohe("comment", str(tmp_path / "diff.md"))
    assert run.code == 0, run.err
    method, edit = EDITS[host]
    assert [(m, p) for m, p, _ in server.requests] == [
        ("GET", USER[host]),
        ("GET", BASES[host] + "?per_page=100"),
        ("GET", BASES[host] + "?per_page=100&page=2"),
        ("GET", BASES[host] + "?per_page=100&page=3"),  # every page is read: a later comment would win
        (method, edit.format(150)),
    ]
    assert comments[149]["body"] == f"{MARKER}\nnew scores"
    assert comments[219]["body"] == f"quoting the bot:\n{MARKER}"  # untouched
    assert len(comments) == 250  # nothing posted


def test_the_latest_of_several_earlier_comments_is_updated(server_for, monkeypatch, tmp_path, kaohe):
    comments = [by("github", BOT, n, f"{MARKER}\nrun {n}" if n in (3, 130) else "x") for n in range(1, 141)]
    server = server_for("github", comments)
    _env(monkeypatch, tmp_path, "github", server.port)
    (tmp_path / "diff.md").write_text("again", encoding="utf-8")
    assert kaohe("comment", str(tmp_path / "diff.md")).code == 0
    assert server.requests[-1][:2] == ("PATCH", EDITS["github"][1].format(130))


def test_gitlab_notes_listed_newest_first_still_update_the_newest(server_for, monkeypatch, tmp_path, kaohe):
    """GitLab lists a merge request's notes newest first: the last marked one in the list is the oldest."""
    comments = [by("gitlab", BOT, n, f"{MARKER}\nrun {n}" if n in (3, 130) else "x") for n in range(140, 0, -1)]
    server = server_for("gitlab", comments)
    _env(monkeypatch, tmp_path, "gitlab", server.port)
    (tmp_path / "diff.md").write_text("again", encoding="utf-8")
    assert kaohe("comment", str(tmp_path / "diff.md")).code == 0
    assert server.requests[-1][:2] == (EDITS["gitlab"][0], EDITS["gitlab"][1].format(130))


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


@pytest.mark.parametrize("host", ["github", "gitea", "gitlab"])
def test_a_marked_comment_by_the_pull_request_author_is_never_edited(host, server_for, monkeypatch, tmp_path, kaohe):
    """Anyone can post a comment that starts with the marker; only the token's account's counts.

    The author's comment (202) is the later one, so before the fix kaohe edited it: the score comment
    became the author's to rewrite, and on GitLab, where a token may not edit others' notes, every
    later run failed with 403.
    """
    comments = [
        by(host, BOT, 101, f"{MARKER}\nold scores"),
        by(host, AUTHOR, 202, f"{MARKER}\n没有评分变化。"),
    ]
    server = server_for(host, comments)
    _env(monkeypatch, tmp_path, host, server.port)
    (tmp_path / "diff.md").write_text("new scores", encoding="utf-8")
    run = kaohe("comment", str(tmp_path / "diff.md"))
    assert run.code == 0, run.err
    assert said("comment.updated", id=101) in run.err
    method, edit = EDITS[host]
    assert [(m, p) for m, p, _ in server.requests][-1] == (method, edit.format(101))
    assert [c["body"] for c in comments] == [f"{MARKER}\nnew scores", f"{MARKER}\n没有评分变化。"]


@pytest.mark.parametrize("host", ["github", "gitlab"])
def test_with_only_the_authors_marked_comment_a_new_one_is_posted(host, server_for, monkeypatch, tmp_path, kaohe):
    comments = [by(host, AUTHOR, 202, f"{MARKER}\n没有评分变化。")]
    server = server_for(host, comments)
    _env(monkeypatch, tmp_path, host, server.port)
    (tmp_path / "diff.md").write_text("new scores", encoding="utf-8")
    run = kaohe("comment", str(tmp_path / "diff.md"))
    assert run.code == 0, run.err
    assert said("comment.posted", id=1001) in run.err  # the fake numbers comments 1000 + how many
    assert [(m, p) for m, p, _ in server.requests][-1] == ("POST", BASES[host])
    assert comments[0]["body"] == f"{MARKER}\n没有评分变化。"


def test_actions_token_refused_on_user_updates_only_github_actions_bot(server_for, monkeypatch, tmp_path, kaohe):
    """GitHub answers 403 to `GET /user` for Actions' GITHUB_TOKEN, whose comments are github-actions[bot]'s.

    A person's account with the same-looking login but "type": "User" does not count.
    """
    lookalike = {"id": 77, "login": "github-actions[bot]", "type": "User"}
    comments = [
        by("github", ACTIONS, 11, f"{MARKER}\nold scores"),
        by("github", AUTHOR, 12, f"{MARKER}\nfake"),
        by("github", lookalike, 13, f"{MARKER}\nfake too"),
    ]
    server = server_for("github", comments, me=403)
    _env(monkeypatch, tmp_path, "github", server.port)
    (tmp_path / "diff.md").write_text("new scores", encoding="utf-8")
    run = kaohe("comment", str(tmp_path / "diff.md"))
    assert run.code == 0, run.err
    assert said("comment.identity-actions", status=403, login="github-actions[bot]") in run.err
    assert said("comment.updated", id=11) in run.err
    assert [c["body"] for c in comments] == [f"{MARKER}\nnew scores", f"{MARKER}\nfake", f"{MARKER}\nfake too"]


def test_bot_login_names_the_account_when_user_is_refused(server_for, monkeypatch, tmp_path, kaohe):
    app = {"id": 31, "login": "kaohe-app[bot]", "type": "Bot"}
    comments = [by("github", app, 21, f"{MARKER}\nold"), by("github", AUTHOR, 22, f"{MARKER}\nfake")]
    server = server_for("github", comments, me=403)
    _env(monkeypatch, tmp_path, "github", server.port)
    (tmp_path / "diff.md").write_text("new", encoding="utf-8")
    run = kaohe("comment", "--bot-login", "kaohe-app[bot]", str(tmp_path / "diff.md"))
    assert run.code == 0, run.err
    assert said("comment.identity-given", status=403, login="kaohe-app[bot]") in run.err
    assert [c["body"] for c in comments] == [f"{MARKER}\nnew", f"{MARKER}\nfake"]


def test_bot_login_naming_a_person_on_github_edits_nothing(server_for, monkeypatch, tmp_path, kaohe):
    """--bot-login given a person's login (an operator's slip): on GitHub only an app answers when
    /user is refused, so a person's marked comment of that name is not kaohe's; a new one is posted."""
    comments = [by("github", AUTHOR, 22, f"{MARKER}\nfake")]
    server = server_for("github", comments, me=403)
    _env(monkeypatch, tmp_path, "github", server.port)
    (tmp_path / "diff.md").write_text("new", encoding="utf-8")
    assert kaohe("comment", "--bot-login", "pr-author", str(tmp_path / "diff.md")).code == 0
    assert comments[0]["body"] == f"{MARKER}\nfake"
    assert server.requests[-1][:2] == ("POST", BASES["github"])


@pytest.mark.parametrize("status", [401, 403])
def test_unknown_identity_posts_a_new_comment_and_says_so(status, server_for, monkeypatch, tmp_path, kaohe):
    """GitLab refusing `/user`: kaohe cannot tell its note from anyone's, so it edits none and posts."""
    comments = [by("gitlab", BOT, 1, f"{MARKER}\nold"), by("gitlab", AUTHOR, 2, f"{MARKER}\nfake")]
    server = server_for("gitlab", comments, me=status)
    _env(monkeypatch, tmp_path, "gitlab", server.port)
    (tmp_path / "diff.md").write_text("new", encoding="utf-8")
    run = kaohe("comment", str(tmp_path / "diff.md"))
    assert run.code == 0, run.err
    assert said("comment.identity-unknown", status=status) in run.err
    assert [(m, p) for m, p, _ in server.requests] == [("GET", USER["gitlab"]), ("POST", BASES["gitlab"])]
    assert [c["body"] for c in comments[:2]] == [f"{MARKER}\nold", f"{MARKER}\nfake"]


def test_a_broken_user_endpoint_is_an_error_not_a_guess(server_for, monkeypatch, tmp_path, kaohe):
    server = server_for("gitea", [by("gitea", AUTHOR, 2, f"{MARKER}\nfake")], me=500)
    _env(monkeypatch, tmp_path, "gitea", server.port)
    (tmp_path / "diff.md").write_text("new", encoding="utf-8")
    run = kaohe("comment", str(tmp_path / "diff.md"))
    assert run.code == 1 and "500" in run.err and "Traceback" not in run.err
    assert [m for m, _, _ in server.requests] == ["GET"]


def test_a_user_answer_naming_no_account_edits_nothing(server_for, monkeypatch, tmp_path, kaohe):
    """A server (or a proxy) answering `/user` with something that has no `id`: no guess, a new comment."""
    comments = [by("github", AUTHOR, 2, f"{MARKER}\nfake")]
    server = server_for("github", comments, me={"message": "hello"})
    _env(monkeypatch, tmp_path, "github", server.port)
    (tmp_path / "diff.md").write_text("new", encoding="utf-8")
    run = kaohe("comment", str(tmp_path / "diff.md"))
    assert run.code == 0, run.err
    assert said("comment.identity-unanswered") in run.err
    assert [(m, p) for m, p, _ in server.requests] == [("GET", USER["github"]), ("POST", BASES["github"])]
    assert comments[0]["body"] == f"{MARKER}\nfake"


@pytest.mark.parametrize("host", ["github", "gitlab"])
def test_a_comment_over_the_servers_limit_is_cut_and_says_so(host, server_for, monkeypatch, tmp_path, kaohe):
    # a diff written without --limit: 30,000 lines of 42 characters = 1,260,000 characters, over
    # GitHub's 65536 and GitLab's 1,000,000, inside a folded list as kaohe's "no effect" files are
    limit, _ = TOO_LONG[host]
    lines = ["## 得分变化", "", "<details><summary>30000个文件</summary>", ""]
    lines += [f"- 新增 <code>evidence/2010/x/{n:05d}.md</code>" for n in range(30000)]
    lines += ["", "</details>", ""]
    (tmp_path / "diff.md").write_text("\n".join(lines), encoding="utf-8")
    server = server_for(host, [])
    _env(monkeypatch, tmp_path, host, server.port)
    run = kaohe("comment", str(tmp_path / "diff.md"))
    assert run.code == 0, run.err
    assert said("comment.cut-log", file=str(tmp_path / "diff.md"), length=len("\n".join(lines)), limit=limit) in run.err
    (posted,) = [c["body"] for c in server.comments]
    assert len(posted) <= limit
    assert posted.startswith(f"{MARKER}\n## 得分变化\n")  # still kaohe's, found by the next run
    # the cut falls between whole lines, closes the folded list and ends with the note, outside it
    assert posted.endswith(".md</code>\n\n</details>\n\n> " + tr("comment.cut", limit=limit) + "\n")
