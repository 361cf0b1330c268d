"""The CI examples: valid YAML that runs the commands, and a comment poster that updates in place."""

from __future__ import annotations

import importlib.util
import json
import threading
from http.server import BaseHTTPRequestHandler, HTTPServer

import pytest
import yaml

from tests.conftest import ROOT

CI = ROOT / "docs" / "ci"


def _poster():
    spec = importlib.util.spec_from_file_location("post_comment", CI / "post-comment.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_gitlab_ci_runs_check_diff_and_build():
    config = yaml.safe_load((CI / "gitlab-ci.yml").read_text(encoding="utf-8"))
    assert config["variables"]["GIT_DEPTH"] == 0
    assert "kaohe check --format gitlab > gl-code-quality-report.json || status=$?" in config["check"]["script"]
    assert config["check"]["artifacts"]["reports"]["codequality"] == "gl-code-quality-report.json"
    assert any(line.startswith("kaohe diff ") for line in config["score-diff"]["script"])
    assert "kaohe build" in config["site"]["script"]


def test_actions_workflow_runs_check_diff_and_build():
    workflow = yaml.safe_load((CI / "github-actions.yml").read_text(encoding="utf-8"))
    steps = workflow["jobs"]["check"]["steps"]
    runs = "\n".join(s.get("run", "") for s in steps)
    assert "kaohe check --format github" in runs and "kaohe diff " in runs and "kaohe build" in runs
    assert steps[0]["with"]["fetch-depth"] == 0


class _Server:
    """A stand-in for the git server's comment API, recording every request."""

    def __init__(self):
        self.comments: list[dict] = []
        self.requests: list[tuple[str, str]] = []
        owner = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args):
                pass

            def _reply(self, data):
                body = json.dumps(data).encode()
                self.send_response(200)
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            def _body(self):
                return json.loads(self.rfile.read(int(self.headers["Content-Length"])))

            def do_GET(self):
                owner.requests.append(("GET", self.path))
                self._reply(owner.comments)

            def do_POST(self):
                owner.requests.append(("POST", self.path))
                comment = {"id": len(owner.comments) + 1, "body": self._body()["body"]}
                owner.comments.append(comment)
                self._reply(comment)

            def _edit(self):
                owner.requests.append((self.command, self.path))
                comment_id = int(self.path.rsplit("/", 1)[1])
                owner.comments[comment_id - 1]["body"] = self._body()["body"]
                self._reply(owner.comments[comment_id - 1])

            do_PUT = _edit
            do_PATCH = _edit

        self.httpd = HTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.httpd.server_port}"
        threading.Thread(target=self.httpd.serve_forever, daemon=True).start()


@pytest.mark.parametrize("host", ["gitlab", "github"])
def test_comment_is_posted_once_then_updated(host):
    server = _Server()
    try:
        env = {
            "KAOHE_BOT_TOKEN": "t",
            "CI_API_V4_URL": server.url + "/api/v4",
            "CI_PROJECT_ID": "7",
            "CI_MERGE_REQUEST_IID": "3",
            "API_URL": server.url,
            "REPOSITORY": "qxn/kaohe",
            "PR_NUMBER": "3",
        }
        poster = _poster()
        assert poster.post(host, "first", env) == "posted comment 1"
        assert poster.post(host, "second", env) == "updated comment 1"
        assert len(server.comments) == 1 and server.comments[0]["body"].endswith("\nsecond")
        base = "/api/v4/projects/7/merge_requests/3/notes" if host == "gitlab" else "/repos/qxn/kaohe/issues/3/comments"
        edit = ("PUT", base + "/1") if host == "gitlab" else ("PATCH", "/repos/qxn/kaohe/issues/comments/1")
        assert server.requests == [
            ("GET", base + "?per_page=100"),
            ("POST", base),
            ("GET", base + "?per_page=100"),
            edit,
        ]
    finally:
        server.httpd.shutdown()
