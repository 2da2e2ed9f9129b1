"""A local stand-in for Microsoft Teams' side of a bot, served over real HTTP.

- The Bot Connector REST API at ``/{service}/v3/conversations/…``: it records
  every activity the bot sends or updates, answers with activity ids, can be
  told to fail (429 with Retry-After, 5xx, 403/404), and rejects cards that
  are not valid Adaptive Cards 1.5 or are over Teams' size limit.
- The identity side: OpenID metadata and a JWKS with a test key, so tests can
  sign activities as the Bot Framework would (and forge bad ones), and a token
  endpoint for the bot's own client-credentials token.
"""

from __future__ import annotations

import functools
import itertools
import json
import threading
import time
from collections import defaultdict, deque
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import urlsplit

import jsonschema
import jwt
from cryptography.hazmat.primitives.asymmetric import rsa

from tests.paths import SHARED

SCHEMA = SHARED / "schemas" / "adaptive-card-1.5.json"
MAX_CARD_BYTES = 28 * 1024
ISSUER = "https://api.botframework.com"
KEY_ID = "wxbind-test-key"
BOT_TOKEN = "bot-token-from-the-stand-in"


def card_problems(card: dict) -> list[str]:
    """What Teams would refuse in an Adaptive Card: the schema (when the shared copy is present) and the size."""
    problems = []
    size = len(json.dumps(card, ensure_ascii=False).encode("utf-8"))
    if size > MAX_CARD_BYTES:
        problems.append(f"card is {size} bytes; the limit is {MAX_CARD_BYTES}")
    if SCHEMA.exists():
        plain = {key: value for key, value in card.items() if key != "msteams"}  # a Teams-only key
        problems.extend(error.message[:300] for error in _validator().iter_errors(plain))
    return problems


@functools.cache
def _validator() -> jsonschema.Draft6Validator:
    return jsonschema.Draft6Validator(json.loads(SCHEMA.read_text(encoding="utf-8")))


@dataclass
class Sent:
    method: str  # POST (a new activity) or PUT (an update)
    conversation: str
    activity_id: str  # the id it got, or the one updated
    reply_to: str
    body: dict
    headers: dict
    status: int = 201  # what the stand-in answered
    at: float = field(default_factory=time.time)

    def cards(self) -> list[dict]:
        return [
            a["content"] for a in self.body.get("attachments", []) if a.get("contentType", "").endswith("card.adaptive")
        ]


class TeamsStandIn:
    def __init__(self, *, check_cards: bool = True) -> None:
        self.check_cards = check_cards
        self.sent: list[Sent] = []
        self.rejected: list[Sent] = []
        self.token_requests: list[dict] = []
        self.conversations_opened: list[dict] = []
        self.key_fetches = 0
        self.key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
        self._failures: dict[str, deque[tuple[int, dict]]] = defaultdict(deque)
        self._ids = itertools.count(1)
        self._lock = threading.Lock()
        self._server = ThreadingHTTPServer(("127.0.0.1", 0), self._handler_class())
        self._server.daemon_threads = True
        self._thread = threading.Thread(target=self._server.serve_forever, daemon=True)

    # Control -----------------------------------------------------------------

    @property
    def base(self) -> str:
        return f"http://127.0.0.1:{self._server.server_address[1]}"

    @property
    def service_url(self) -> str:
        return f"{self.base}/teams/"

    @property
    def openid_url(self) -> str:
        """Where the Bot Framework publishes its OpenID metadata; the keys are beside it, at ``…/keys``."""
        return f"{self.base}/v1/.well-known/openidconfiguration"

    @property
    def token_url(self) -> str:
        return f"{self.base}/token"

    def start(self) -> TeamsStandIn:
        self._thread.start()
        return self

    def stop(self) -> None:
        self._server.shutdown()
        self._server.server_close()

    def reset(self) -> None:
        with self._lock:
            self.sent.clear()
            self.rejected.clear()
            self.token_requests.clear()
            self.conversations_opened.clear()
            self.key_fetches = 0
            self._failures.clear()

    def fail(self, method: str, *, status: int, headers: dict | None = None, times: int = 1) -> None:
        """Make the next ``times`` sends (POST), updates (PUT) or conversation openings (OPEN) fail."""
        with self._lock:
            for _ in range(times):
                self._failures[method].append((status, headers or {}))

    def delivered(self, method: str | None = None) -> list[Sent]:
        """What reached the stand-in and was accepted."""
        return [s for s in self.sent if s.status < 300 and (method is None or s.method == method)]

    def wait_for(self, count: int = 1, *, method: str | None = None, timeout: float = 10.0) -> list[Sent]:
        """Every attempt (accepted or failed) once ``count`` arrived."""
        deadline = time.time() + timeout
        while time.time() < deadline:
            found = [s for s in self.sent if method is None or s.method == method]
            if len(found) >= count:
                return found
            time.sleep(0.02)
        raise AssertionError(f"expected {count} activities, got {self.sent}")

    def token(self, *, audience: str, issuer: str = ISSUER, expires_in: int = 300, key=None, **claims) -> str:
        """A bearer token as the Bot Framework signs the activities it sends to the bot."""
        now = int(time.time())
        payload = {"iss": issuer, "aud": audience, "iat": now, "nbf": now - 5, "exp": now + expires_in, **claims}
        return jwt.encode(payload, key or self.key, algorithm="RS256", headers={"kid": KEY_ID})

    # Serving ---------------------------------------------------------------------

    def _jwks(self) -> dict:
        public = jwt.algorithms.RSAAlgorithm.to_jwk(self.key.public_key(), as_dict=True)
        return {"keys": [{**public, "kid": KEY_ID, "use": "sig", "endorsements": ["msteams"]}]}

    def _handler_class(self):
        standin = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args) -> None:
                pass

            def do_GET(self) -> None:
                path = urlsplit(self.path).path
                if path == "/v1/.well-known/openidconfiguration":
                    metadata = {
                        "issuer": ISSUER,
                        "jwks_uri": f"{standin.base}/v1/.well-known/keys",
                        "id_token_signing_alg_values_supported": ["RS256"],
                    }
                    self._reply(200, metadata)
                elif path == "/v1/.well-known/keys":
                    with standin._lock:
                        standin.key_fetches += 1
                    self._reply(200, standin._jwks())
                else:
                    self._reply(404, {"error": "unknown path"})

            def do_POST(self) -> None:
                self._activity("POST")

            def do_PUT(self) -> None:
                self._activity("PUT")

            def _activity(self, method: str) -> None:
                length = int(self.headers.get("Content-Length") or 0)
                raw = self.rfile.read(length).decode("utf-8") if length else ""
                path = urlsplit(self.path).path
                if path == "/token":
                    standin.token_requests.append(dict(p.split("=", 1) for p in raw.split("&") if "=" in p))
                    self._reply(200, {"access_token": BOT_TOKEN, "token_type": "Bearer", "expires_in": 3600})
                    return
                parts = path.split("/")
                if method == "POST" and path.rstrip("/") == "/teams/v3/conversations":
                    body = json.loads(raw or "{}")
                    with standin._lock:
                        standin.conversations_opened.append(body)
                        failure = standin._failures["OPEN"].popleft() if standin._failures["OPEN"] else None
                    if failure:
                        self._reply(failure[0], {"error": {"code": "Failure", "message": "stand-in"}}, failure[1])
                        return
                    members = body.get("members") or [{}]
                    self._reply(201, {"id": f"a:direct-{members[0].get('id', '')}"})
                    return
                if len(parts) < 6 or parts[1] != "teams" or parts[2] != "v3" or parts[3] != "conversations":
                    self._reply(404, {"error": "unknown path"})
                    return
                conversation, rest = parts[4], parts[5:]
                target = rest[1] if len(rest) > 1 else ""
                body = json.loads(raw or "{}")
                with standin._lock:
                    failure = standin._failures[method].popleft() if standin._failures[method] else None
                    activity_id = target if method == "PUT" else f"activity-{next(standin._ids)}"
                reply_to = str(body.get("replyToId") or "") if method == "POST" else ""
                headers = {name.lower(): value for name, value in self.headers.items()}
                sent = Sent(method, conversation, activity_id, reply_to, body, headers)
                if failure:
                    status, headers = failure
                    sent.status = status
                    with standin._lock:
                        standin.sent.append(sent)
                    self._reply(status, {"error": {"code": "Failure", "message": f"stand-in {status}"}}, headers)
                    return
                problems = [p for card in sent.cards() for p in card_problems(card)] if standin.check_cards else []
                sent.status = 200 if method == "PUT" else 201
                with standin._lock:
                    (standin.rejected if problems else standin.sent).append(sent)
                if problems:
                    self._reply(400, {"error": {"code": "BadArgument", "message": "; ".join(problems)[:2000]}})
                    return
                self._reply(200 if method == "PUT" else 201, {"id": activity_id})

            def _reply(self, status: int, body: dict, headers: dict | None = None) -> None:
                data = json.dumps(body).encode()
                self.send_response(status)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(data)))
                for name, value in (headers or {}).items():
                    self.send_header(name, value)
                self.end_headers()
                self.wfile.write(data)

        return Handler
