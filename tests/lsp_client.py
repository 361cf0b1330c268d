"""A minimal Language Server Protocol client over stdio, to drive an editor's TOML server in tests.

It speaks what an editor speaks (Content-Length framed JSON-RPC): initialize with the repository
as workspace, open a document, ask for completion at a position, and shut down. Requests the
server sends back (workspace/configuration, capability registration) get the answers an editor
with default settings gives.
"""

from __future__ import annotations

import json
import queue
import subprocess
import threading
from pathlib import Path
from typing import Any


class LanguageServer:
    def __init__(self, command: list[str], root: Path, timeout: float = 30) -> None:
        self.root = root
        self.timeout = timeout
        self.process = subprocess.Popen(
            command, cwd=root, stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.PIPE
        )
        self.messages: queue.Queue[dict[str, Any] | None] = queue.Queue()
        self.notifications: list[dict[str, Any]] = []
        self._next_id = 0
        threading.Thread(target=self._read, daemon=True).start()

    def _read(self) -> None:
        out = self.process.stdout
        assert out is not None
        while True:
            headers: dict[str, str] = {}
            while (line := out.readline()) not in (b"\r\n", b"\n"):
                if not line:
                    self.messages.put(None)
                    return
                name, _, value = line.decode("ascii").partition(":")
                headers[name.strip().lower()] = value.strip()
            self.messages.put(json.loads(out.read(int(headers["content-length"]))))

    def _send(self, message: dict[str, Any]) -> None:
        body = json.dumps({"jsonrpc": "2.0", **message}).encode("utf-8")
        assert self.process.stdin is not None
        self.process.stdin.write(b"Content-Length: %d\r\n\r\n" % len(body) + body)
        self.process.stdin.flush()

    def notify(self, method: str, params: dict[str, Any]) -> None:
        self._send({"method": method, "params": params})

    def request(self, method: str, params: dict[str, Any] | None = None) -> Any:
        """Send a request and return its result; a server that dies or errors fails the test."""
        self._next_id += 1
        wanted = self._next_id
        self._send({"id": wanted, "method": method, **({"params": params} if params is not None else {})})
        while True:
            try:
                message = self.messages.get(timeout=self.timeout)
            except queue.Empty:
                raise AssertionError(f"no answer to {method} within {self.timeout} s") from None
            if message is None:
                stderr = self.process.stderr.read().decode("utf-8", "replace") if self.process.stderr else ""
                raise AssertionError(f"the language server exited during {method}:\n{stderr[-3000:]}")
            if "method" in message and "id" in message:  # a request from the server
                self._send({"id": message["id"], "result": _default_answer(message)})
            elif "method" in message:
                self.notifications.append(message)
            elif message.get("id") == wanted:
                if "error" in message:
                    raise AssertionError(f"{method} failed: {message['error']}")
                return message.get("result")

    def initialize(self) -> None:
        uri = self.root.as_uri()
        self.request(
            "initialize",
            {
                "processId": None,
                "rootUri": uri,
                "workspaceFolders": [{"uri": uri, "name": self.root.name}],
                "capabilities": {"workspace": {"configuration": True}, "textDocument": {"completion": {}}},
            },
        )
        self.notify("initialized", {})

    def open(self, path: str, text: str) -> str:
        uri = (self.root / path).as_uri()
        self.notify(
            "textDocument/didOpen", {"textDocument": {"uri": uri, "languageId": "toml", "version": 1, "text": text}}
        )
        return uri

    def complete(self, uri: str, line: int, character: int) -> list[str]:
        """Labels offered at (0-based) line and character."""
        result = self.request(
            "textDocument/completion",
            {"textDocument": {"uri": uri}, "position": {"line": line, "character": character}},
        )
        items = result.get("items", []) if isinstance(result, dict) else (result or [])
        return [item["label"] for item in items]

    def close(self) -> None:
        try:
            self.request("shutdown")
            self._send({"method": "exit"})
            self.process.wait(timeout=10)
        finally:
            if self.process.poll() is None:
                self.process.kill()
                self.process.wait()


def _default_answer(message: dict[str, Any]) -> Any:
    if message["method"] == "workspace/configuration":
        return [{} for _ in message["params"].get("items", [])]
    return None
