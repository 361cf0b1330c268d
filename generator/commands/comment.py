"""`kaohe comment FILE`: post `kaohe diff` on the pull request under review, updating kaohe's earlier comment.

Standard library only (urllib), so CI needs nothing beyond kaohe. The token comes from a CI
variable (KAOHE_BOT_TOKEN), never from the repository or the command line, and is never printed.
The comment starts with a marker; the earlier comment carrying it is found across every page of
the request's comments (servers return them 30–100 at a time, following the `Link: rel="next"`
header) and edited in place, so a pull request has one score comment however often CI runs.

Only a comment the token's own account wrote counts as the earlier one: anyone can post a comment
that starts with the marker, and kaohe must neither hand its score comment to that author nor fail
on every later run trying to edit a note it may not edit. The account is asked once per run
(`GET /user` on all three servers). GitHub refuses that question to the GITHUB_TOKEN of Actions and
to app tokens (403); kaohe then takes the comments of `github-actions[bot]` (a "Bot", a name no
person can register), or of the account named with --bot-login, and says so. Where the account
cannot be learned at all, kaohe says so and posts a new comment rather than edit anyone's.

  GitHub (and GitHub Enterprise Server): GITHUB_API_URL, GITHUB_REPOSITORY, the pull request's
      number from GITHUB_EVENT_PATH (or PR_NUMBER)
  Gitea / Forgejo Actions: the same variables, which Gitea sets too (its API is /api/v1)
  GitLab: CI_API_V4_URL, CI_PROJECT_ID, CI_MERGE_REQUEST_IID
"""

from __future__ import annotations

import argparse
import json
import os
import re
import sys
import urllib.error
import urllib.request
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ..controlchars import one_line
from ..messages import tr, worded
from ..output.mdfit import fit
from ..problems import InputError

MARKER = "<!-- kaohe-diff -->"
HOSTS = ("github", "gitea", "gitlab")
TOKEN_VARIABLE = "KAOHE_BOT_TOKEN"
#: Comments a request may have before kaohe stops looking (100 pages of 100).
MAX_PAGES = 100
#: The longest comment each server accepts, in characters: GitHub refuses a longer one with 422
#: ("Body is too long (maximum is 65536 characters)"), GitLab a note over 1,000,000. Gitea states no
#: limit; GitHub's is kept there, as Gitea's API copies GitHub's.
BODY_LIMITS = {"github": 65536, "gitea": 65536, "gitlab": 1_000_000}
_NEXT = re.compile(r'<([^>]+)>\s*;\s*rel="?next"?')


def add_parser(sub: argparse._SubParsersAction, common: argparse.ArgumentParser) -> None:
    p = sub.add_parser(
        "comment",
        parents=[common],
        help=tr("comment.help"),
        description=tr("comment.description", variable=TOKEN_VARIABLE),
    )
    p.add_argument("file", metavar="FILE", help=tr("comment.file.help"))
    p.add_argument("--host", choices=HOSTS, help=tr("comment.host.help"))
    p.add_argument("--bot-login", metavar="LOGIN", help=tr("comment.bot-login.help"))
    p.set_defaults(run=run)


@dataclass
class Target:
    """Where the request's comments live on one server, and how to edit one."""

    host: str
    comments_url: str
    headers: dict[str, str]
    #: `GET` here names the token's own account (the same path on GitHub, Gitea and GitLab).
    user_url: str = ""

    def edit_url(self, comment_id: Any) -> str:
        if self.host == "gitlab":
            return f"{self.comments_url}/{comment_id}"
        # GitHub and Gitea edit an issue comment by id: /repos/{owner}/{repo}/issues/comments/{id}
        return f"{self.comments_url.rsplit('/issues/', 1)[0]}/issues/comments/{comment_id}"

    @property
    def edit_method(self) -> str:
        return "PUT" if self.host == "gitlab" else "PATCH"


def detect_host(env: dict[str, str]) -> str:
    if env.get("GITLAB_CI"):
        return "gitlab"
    if env.get("GITEA_ACTIONS") or env.get("FORGEJO_ACTIONS"):
        return "gitea"
    if env.get("GITHUB_ACTIONS"):
        return "github"
    raise InputError("comment.unknown-host", hosts=HOSTS)


def _need(env: dict[str, str], *names: str) -> str:
    for name in names:
        if env.get(name):
            return env[name]
    raise InputError("comment.missing-variable", variable=names[0])


def _pull_number(env: dict[str, str]) -> str:
    if env.get("PR_NUMBER"):
        return env["PR_NUMBER"]
    event = env.get("GITHUB_EVENT_PATH")
    if event and Path(event).is_file():
        data = json.loads(Path(event).read_text(encoding="utf-8"))
        number = (data.get("pull_request") or {}).get("number") or data.get("number")
        if number:
            return str(number)
    raise InputError("comment.not-a-pull-request")


def target(host: str, env: dict[str, str]) -> Target:
    token = env.get(TOKEN_VARIABLE, "")
    if not token:
        raise InputError("comment.missing-token", variable=TOKEN_VARIABLE)
    if host == "gitlab":
        api = _need(env, "CI_API_V4_URL").rstrip("/")
        url = f"{api}/projects/{_need(env, 'CI_PROJECT_ID')}/merge_requests/{_need(env, 'CI_MERGE_REQUEST_IID')}/notes"
        return Target(host, url, {"PRIVATE-TOKEN": token}, f"{api}/user")
    api = _need(env, "GITHUB_API_URL", "API_URL").rstrip("/")
    repository = _need(env, "GITHUB_REPOSITORY", "REPOSITORY")
    url = f"{api}/repos/{repository}/issues/{_pull_number(env)}/comments"
    headers = {"Authorization": f"token {token}", "Accept": "application/json"}
    return Target(host, url, headers, f"{api}/user")


class Refused(InputError):
    """The server answered with an HTTP error; ``params["status"]`` is its status code."""


#: GitHub's name for the account of the GITHUB_TOKEN of Actions; the "[bot]" suffix is reserved.
ACTIONS_BOT = "github-actions[bot]"
#: Statuses of `GET /user` that mean "this token may not know itself", not "something is broken".
NO_IDENTITY = (401, 403)


@dataclass(frozen=True)
class Author:
    """The account whose marked comments are kaohe's own: the token's, as far as kaohe could learn it."""

    id: Any = None
    login: str = ""
    #: Also require GitHub's `"type": "Bot"`: a person's account is never mistaken for the bot.
    bot: bool = False

    def wrote(self, host: str, comment: dict[str, Any]) -> bool:
        """Whether `comment` is this account's (GitLab names a note's writer `author`, the others `user`)."""
        who = comment.get("author" if host == "gitlab" else "user")
        if not isinstance(who, dict):
            return False
        if self.id is not None:
            return who.get("id") == self.id
        login = str(who.get("username" if host == "gitlab" else "login") or "")
        if not self.login or login.casefold() != self.login.casefold():
            return False
        return not self.bot or who.get("type") == "Bot"


def author(t: Target, bot_login: str | None) -> tuple[Author | None, str]:
    """Whose comments count as kaohe's, and a note for the log when kaohe had to assume it.

    Asked once per run. A refusal (401/403) is no error: GitHub refuses `/user` to Actions' own
    token. Any other failure is, as for every other call.
    """
    try:
        me, _ = _call("GET", t.user_url, t.headers)
    except Refused as exc:
        status = exc.params["status"]
        if status not in NO_IDENTITY:
            raise
        if bot_login:
            # on GitHub only an app (type "Bot") answers when /user is refused: a person named so is never it
            return Author(login=bot_login, bot=t.host == "github"), worded(
                "comment.identity-given", {"status": status, "login": bot_login}
            )
        if t.host == "github":
            return Author(login=ACTIONS_BOT, bot=True), worded(
                "comment.identity-actions", {"status": status, "login": ACTIONS_BOT}
            )
        return None, worded("comment.identity-unknown", {"status": status})
    if not isinstance(me, dict) or me.get("id") is None:
        return None, worded("comment.identity-unanswered", {})
    return Author(id=me["id"], login=str(me.get("login") or me.get("username") or "")), ""


def _call(method: str, url: str, headers: dict[str, str], body: dict[str, Any] | None = None) -> tuple[Any, str]:
    """(decoded JSON, the Link header) of one API call; refusals become a clear InputError."""
    data = json.dumps(body).encode("utf-8") if body is not None else None
    request = urllib.request.Request(
        url, data=data, method=method, headers={**headers, "Content-Type": "application/json"}
    )
    try:
        with urllib.request.urlopen(request, timeout=30) as response:
            text = response.read().decode("utf-8")
            return (json.loads(text) if text else None), response.headers.get("Link", "")
    except urllib.error.HTTPError as exc:
        raise Refused("comment.refused", method=method, url=url, status=exc.code, reason=exc.reason) from exc
    except (urllib.error.URLError, TimeoutError, OSError) as exc:
        raise InputError("comment.unreachable", method=method, url=url, error=exc) from exc


def _comments(t: Target) -> list[dict[str, Any]]:
    """Every comment on the request, following the servers' `rel="next"` links page by page."""
    separator = "&" if "?" in t.comments_url else "?"
    url: str | None = f"{t.comments_url}{separator}per_page=100" if t.host != "gitea" else t.comments_url
    found: list[dict[str, Any]] = []
    for _ in range(MAX_PAGES):
        if url is None:
            break
        page, link = _call("GET", url, t.headers)
        found.extend(page or [])
        match = _NEXT.search(link)
        url = match.group(1) if match else None
    return found


def _created(comment: dict[str, Any]) -> tuple[str, int]:
    """What orders comments by age on every host: the creation time, then the id (both grow)."""
    raw = comment.get("id")
    return str(comment.get("created_at") or ""), raw if isinstance(raw, int) else 0


def _marked(comment: dict[str, Any]) -> bool:
    return str(comment.get("body") or "").startswith(MARKER)


def post(t: Target, markdown: str, me: Author | None) -> str:
    """Update the latest marked comment `me` wrote, or post one; say which.

    With no known author (`me` None) nothing is edited: a marked comment may be anyone's.
    """
    body = {"body": f"{MARKER}\n{markdown}"}
    ours = [c for c in _comments(t) if _marked(c) and me.wrote(t.host, c)] if me else []
    if ours:
        # the newest, whatever order the server lists them in (GitLab lists notes newest first)
        comment_id = max(ours, key=_created)["id"]
        _call(t.edit_method, t.edit_url(comment_id), t.headers, body)
        return tr("comment.updated", id=comment_id)
    created, _ = _call("POST", t.comments_url, t.headers, body)
    return tr("comment.posted", id=(created or {}).get("id", ""))


def within_limit(host: str, markdown: str, file: str) -> str:
    """`markdown` cut to what the server accepts once the marker is before it, saying so in the
    comment and in the log. A refused comment would leave the pull request without its score
    comment, or with an earlier one whose scores are no longer true."""
    limit = BODY_LIMITS[host]
    room = limit - len(MARKER) - 1
    if len(markdown) <= room:
        return markdown
    print(
        f"kaohe comment: {one_line(tr('comment.cut-log', file=file, length=len(markdown), limit=limit))}",
        file=sys.stderr,
    )
    return fit(markdown, room, tr("comment.cut", limit=limit))


def run(args: argparse.Namespace) -> int:
    env = dict(os.environ)
    host = args.host or detect_host(env)
    try:
        markdown = sys.stdin.read() if args.file == "-" else Path(args.file).read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise InputError("comment.unreadable-file", file=args.file, error=exc) from exc
    where = target(host, env)
    me, note = author(where, args.bot_login)
    if note:
        print(f"kaohe comment: {one_line(note)}", file=sys.stderr)
    body = within_limit(host, markdown, args.file)
    print(f"kaohe comment: {one_line(post(where, body, me))}", file=sys.stderr)
    return 0
