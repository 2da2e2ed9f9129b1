"""A local stand-in for Slack's Web API and response URLs, served over real HTTP.

It records every call, answers the methods wxbind uses, can be told to fail
(rate limits, server errors, permanent errors), and rejects invalid Block Kit
as Slack does, after checking every block with slack_sdk's own models.
"""

from __future__ import annotations

import itertools
import json
import threading
import time
from collections import defaultdict, deque
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import parse_qsl, urlsplit

import yaml
from slack_sdk.errors import SlackObjectFormationError
from slack_sdk.models.blocks import Block

MESSAGE_BLOCK_LIMIT = 50
VIEW_BLOCK_LIMIT = 100
MANIFEST = Path(__file__).resolve().parent.parent / "slack" / "manifest.yml"

# The bot scope each Web API method needs, as Slack documents it (https://api.slack.com/methods/<method>).
# None: the method needs no scope.
METHOD_SCOPES = {
    "auth.test": None,
    "chat.postMessage": "chat:write",
    "chat.postEphemeral": "chat:write",
    "chat.update": "chat:write",
    "users.info": "users:read",
    "usergroups.users.list": "usergroups:read",
    "views.open": None,
    "conversations.open": "im:write",
    "files.info": "files:read",
}


def granted_scopes() -> set[str]:
    """The bot scopes the app manifest asks for."""
    manifest = yaml.safe_load(MANIFEST.read_text(encoding="utf-8"))
    return set(manifest["oauth_config"]["scopes"]["bot"])


def block_problems(blocks, *, limit: int = MESSAGE_BLOCK_LIMIT) -> list[str]:
    """What Slack would reject in these blocks; empty when they are valid."""
    if isinstance(blocks, str):
        try:
            blocks = json.loads(blocks)
        except ValueError:
            return ["blocks is not JSON"]
    if not isinstance(blocks, list):
        return ["blocks must be a list"]
    problems = []
    if len(blocks) > limit:
        problems.append(f"{len(blocks)} blocks; the limit is {limit}")
    seen_ids = set()
    for number, raw in enumerate(blocks):
        try:
            block = Block.parse(raw)
            if block is None:
                problems.append(f"block {number}: unknown type {raw.get('type')!r}")
                continue
            block.validate_json()
            block.to_dict()  # validates every nested element too
        except (SlackObjectFormationError, AttributeError, TypeError, KeyError) as error:
            problems.append(f"block {number} ({raw.get('type')}): {error}")
            continue
        block_id = raw.get("block_id")
        if block_id is not None:
            if block_id in seen_ids:
                problems.append(f"block {number}: duplicate block_id {block_id!r}")
            seen_ids.add(block_id)
        if raw.get("type") == "actions":
            action_ids = [element.get("action_id") for element in raw.get("elements", [])]
            if len(action_ids) != len(set(action_ids)):
                problems.append(f"block {number}: duplicate action_id in one block")
    return problems


@dataclass
class Call:
    method: str  # a Web API method, or "response_url"
    payload: dict
    headers: dict
    at: float = field(default_factory=time.time)


@dataclass
class Failure:
    status: int = 200
    error: str | None = None
    headers: dict = field(default_factory=dict)


class SlackStandIn:
    def __init__(self) -> None:
        self.calls: list[Call] = []
        self.rejected: list[Call] = []
        self.locales: dict[str, str] = {}
        self.usergroup_members: list[str] = []
        self.files: dict[str, tuple[str, str, bytes]] = {}  # file id -> (name, mimetype, content)
        self.downloads: list[dict] = []  # the headers of each file download
        self.token = "xoxb-test-token"
        self.scopes = granted_scopes()
        self._failures: dict[str, deque[Failure]] = defaultdict(deque)
        self._storms: dict[str, tuple[float, Failure]] = {}
        self._lock = threading.Lock()
        self._ts = itertools.count(1)
        self._server = ThreadingHTTPServer(("127.0.0.1", 0), self._handler_class())
        self._server.daemon_threads = True
        self._thread = threading.Thread(target=self._server.serve_forever, daemon=True)

    # Control ---------------------------------------------------------------

    @property
    def base(self) -> str:
        return f"http://127.0.0.1:{self._server.server_address[1]}"

    @property
    def api_url(self) -> str:
        return f"{self.base}/api/"

    def response_url(self, name: str = "r1") -> str:
        return f"{self.base}/response/{name}"

    def start(self) -> SlackStandIn:
        self._thread.start()
        return self

    def stop(self) -> None:
        self._server.shutdown()
        self._server.server_close()

    def fail(self, method: str, *, status: int = 200, error: str | None = None, headers=None, times: int = 1):
        """Make the next ``times`` calls of ``method`` fail this way."""
        with self._lock:
            for _ in range(times):
                self._failures[method].append(Failure(status=status, error=error, headers=headers or {}))

    def fail_for(self, method: str, seconds: float, *, status: int = 200, headers=None, error: str | None = None):
        """Make every call of ``method`` fail this way for the next ``seconds``."""
        with self._lock:
            self._storms[method] = (time.time() + seconds, Failure(status=status, error=error, headers=headers or {}))

    def calls_to(self, method: str) -> list[Call]:
        with self._lock:
            return [call for call in self.calls if call.method == method]

    def wait_for(self, method: str, count: int = 1, timeout: float = 10.0) -> list[Call]:
        """The calls to ``method`` once there are at least ``count`` of them (lazy listeners run after the ack)."""
        deadline = time.time() + timeout
        while time.time() < deadline:
            found = self.calls_to(method)
            if len(found) >= count:
                return found
            time.sleep(0.02)
        raise AssertionError(f"expected {count} call(s) to {method}, got {len(self.calls_to(method))}: {self.calls}")

    def reset(self) -> None:
        self.files.clear()
        self.downloads.clear()
        with self._lock:
            self.calls.clear()
            self.rejected.clear()
            self._failures.clear()
            self._storms.clear()
            self.usergroup_members = []

    # Serving ---------------------------------------------------------------

    def _handler_class(self):
        standin = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args) -> None:  # keep test output clean
                pass

            def do_GET(self) -> None:
                if urlsplit(self.path).path.startswith("/files-pri/"):
                    self._download()
                    return
                self._handle(dict(parse_qsl(urlsplit(self.path).query)))

            def _download(self) -> None:
                """files.slack.com: a file's bytes, for a request with the bot's token only."""
                file_id = urlsplit(self.path).path.split("/")[2]
                with standin._lock:
                    standin.downloads.append(dict(self.headers))
                found = standin.files.get(file_id)
                authorized = self.headers.get("Authorization") == f"Bearer {standin.token}"
                status = 200 if found and authorized else (403 if found else 404)
                data = found[2] if status == 200 else b"no"
                self.send_response(status)
                self.send_header("Content-Type", found[1] if status == 200 else "text/plain")
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)

            def do_POST(self) -> None:
                length = int(self.headers.get("Content-Length") or 0)
                raw = self.rfile.read(length).decode("utf-8") if length else ""
                if "json" in (self.headers.get("Content-Type") or ""):
                    payload = json.loads(raw or "{}")
                else:
                    payload = dict(parse_qsl(raw))
                payload.update(dict(parse_qsl(urlsplit(self.path).query)))
                self._handle(payload)

            def _handle(self, payload: dict) -> None:
                path = urlsplit(self.path).path
                if path.startswith("/response/"):
                    status, body, headers = standin._respond_to_response_url(payload, dict(self.headers))
                elif path.startswith("/api/"):
                    status, body, headers = standin._respond_to_api(path[5:], payload, dict(self.headers))
                else:
                    status, body, headers = 404, {"ok": False, "error": "unknown_path"}, {}
                data = body.encode() if isinstance(body, str) else json.dumps(body).encode()
                self.send_response(status)
                self.send_header("Content-Type", "text/plain" if isinstance(body, str) else "application/json")
                self.send_header("Content-Length", str(len(data)))
                for name, value in headers.items():
                    self.send_header(name, value)
                self.end_headers()
                self.wfile.write(data)

        return Handler

    def _scripted_failure(self, method: str):
        with self._lock:
            until, failure = self._storms.get(method, (0.0, None))
            if time.time() < until:
                return failure
            queue = self._failures.get(method)
            return queue.popleft() if queue else None

    def _respond_to_response_url(self, payload: dict, headers: dict):
        call = Call("response_url", payload, headers)
        failure = self._scripted_failure("response_url")
        if failure:
            return failure.status, failure.error or "error", failure.headers
        problems = block_problems(payload["blocks"]) if "blocks" in payload else []
        with self._lock:
            (self.rejected if problems else self.calls).append(call)
        if problems:
            return 400, "invalid_blocks: " + "; ".join(problems), {}
        return 200, "ok", {}

    def _respond_to_api(self, method: str, payload: dict, headers: dict):
        call = Call(method, payload, headers)
        failure = self._scripted_failure(method)
        if failure:
            with self._lock:
                self.calls.append(call)
            body = {"ok": False, "error": failure.error} if failure.error else "server error"
            return failure.status, body, failure.headers
        if headers.get("Authorization") != f"Bearer {self.token}":
            return 200, {"ok": False, "error": "invalid_auth"}, {}
        needed = METHOD_SCOPES.get(method, f"unknown method {method}")
        if needed is not None and needed not in self.scopes:
            with self._lock:
                self.rejected.append(call)
            return 200, {"ok": False, "error": "missing_scope", "needed": needed, "provided": ",".join(self.scopes)}, {}
        problems = []
        if "blocks" in payload:
            problems = block_problems(payload["blocks"])
        if isinstance(payload.get("view"), dict | str):
            view = json.loads(payload["view"]) if isinstance(payload["view"], str) else payload["view"]
            problems = block_problems(view.get("blocks", []), limit=VIEW_BLOCK_LIMIT)
        with self._lock:
            (self.rejected if problems else self.calls).append(call)
        if problems:
            return 200, {"ok": False, "error": "invalid_blocks", "errors": problems}, {}
        return 200, self._answer(method, payload), {}

    def _answer(self, method: str, payload: dict) -> dict:
        if method == "auth.test":
            return {
                "ok": True,
                "url": "https://wxbind-test.slack.com/",
                "team": "Test",
                "user": "wxbind",
                "team_id": "T0TEST",
                "user_id": "UBOT",
                "bot_id": "BBOT",
            }
        if method == "users.info":
            user = payload.get("user", "")
            if user not in self.locales:
                return {"ok": False, "error": "user_not_found"}
            return {
                "ok": True,
                "user": {
                    "id": user,
                    "name": user.lower(),
                    "locale": self.locales[user],
                    "profile": {"real_name": f"User {user}"},
                },
            }
        if method in {"chat.postMessage", "chat.update", "chat.postEphemeral"}:
            channel = str(payload.get("channel", "C0"))
            return {
                "ok": True,
                # Posting to a user id posts in the bot's direct conversation with them, whose id Slack returns.
                "channel": f"D{channel}" if channel[:1] in {"U", "W"} else channel,
                "ts": f"{int(time.time())}.{next(self._ts):06d}",
            }
        if method == "files.info":
            file_id = str(payload.get("file", ""))
            if file_id not in self.files:
                return {"ok": False, "error": "file_not_found"}
            name, mimetype, content = self.files[file_id]
            download = f"{self.base}/files-pri/{file_id}/download/{name}"
            return {
                "ok": True,
                "file": {
                    "id": file_id,
                    "name": name,
                    "mimetype": mimetype,
                    "size": len(content),
                    "url_private_download": download,
                },
            }
        if method == "usergroups.users.list":
            return {"ok": True, "users": list(self.usergroup_members)}
        if method == "conversations.open":
            return {"ok": True, "channel": {"id": "D" + str(payload.get("users", "U0")).replace(",", "")}}
        if method.startswith("views."):
            return {"ok": True, "view": {"id": f"V{next(self._ts)}"}}
        return {"ok": True}
