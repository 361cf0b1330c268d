#!/usr/bin/env python3
"""Post `kaohe diff` as a pull/merge-request comment, updating the previous one instead of adding more.

Standard library only (CI images need nothing but Python). Talks to the internal server's API:

  GitLab: post-comment.py gitlab  diff.md   (CI_API_V4_URL, CI_PROJECT_ID, CI_MERGE_REQUEST_IID, KAOHE_BOT_TOKEN)
  GitHub: post-comment.py github  diff.md   (API_URL, REPOSITORY, PR_NUMBER, KAOHE_BOT_TOKEN)
  Gitea:  post-comment.py gitea   diff.md   (the same, with API_URL = https://git.example/api/v1)

GitHub and Gitea share the comment API (/repos/{owner}/{repo}/issues/{number}/comments), so
`github` and `gitea` behave the same. Copy this script into the data repository's docs/ci/.

The token comes from a CI variable / secret, never from the repository.
"""

from __future__ import annotations

import json
import os
import sys
import urllib.request
from typing import Any

MARKER = "<!-- kaohe-diff -->"


def _call(method: str, url: str, headers: dict[str, str], body: dict[str, Any] | None = None) -> Any:
    data = json.dumps(body).encode("utf-8") if body is not None else None
    request = urllib.request.Request(
        url, data=data, method=method, headers={**headers, "Content-Type": "application/json"}
    )
    with urllib.request.urlopen(request, timeout=30) as response:
        text = response.read().decode("utf-8")
    return json.loads(text) if text else None


def endpoints(host: str, env: dict[str, str]) -> tuple[str, dict[str, str]]:
    """The comments URL of the request under review, and the authentication header."""
    token = env["KAOHE_BOT_TOKEN"]
    if host == "gitlab":
        url = (
            f"{env['CI_API_V4_URL']}/projects/{env['CI_PROJECT_ID']}/merge_requests/{env['CI_MERGE_REQUEST_IID']}/notes"
        )
        return url, {"PRIVATE-TOKEN": token}
    # GitHub and Gitea share the path: /repos/{owner}/{repo}/issues/{number}/comments
    url = f"{env['API_URL'].rstrip('/')}/repos/{env['REPOSITORY']}/issues/{env['PR_NUMBER']}/comments"
    return url, {"Authorization": f"token {token}", "Accept": "application/json"}


def post(host: str, markdown: str, env: dict[str, str]) -> str:
    url, headers = endpoints(host, env)
    body = {"body": f"{MARKER}\n{markdown}"}
    existing = [c for c in _call("GET", url + "?per_page=100", headers) or [] if MARKER in (c.get("body") or "")]
    if existing:
        comment_id = existing[-1]["id"]
        if host == "gitlab":
            _call("PUT", f"{url}/{comment_id}", headers, body)
        else:  # GitHub and Gitea edit through /issues/comments/{id}
            base = url.rsplit("/issues/", 1)[0]
            _call("PATCH", f"{base}/issues/comments/{comment_id}", headers, body)
        return f"updated comment {comment_id}"
    created = _call("POST", url, headers, body)
    return f"posted comment {created.get('id') if created else ''}"


def main(argv: list[str]) -> int:
    if len(argv) != 3 or argv[1] not in ("gitlab", "github", "gitea"):
        print(__doc__, file=sys.stderr)
        return 2
    with open(argv[2], encoding="utf-8") as fh:
        markdown = fh.read()
    try:
        print(post(argv[1], markdown, dict(os.environ)))
    except KeyError as exc:
        print(f"post-comment: missing CI variable {exc}", file=sys.stderr)
        return 2
    except OSError as exc:
        print(f"post-comment: the server refused or could not be reached: {exc}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
