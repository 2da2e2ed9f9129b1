"""What each kind of Slack request must look like before a listener reads it: one JSON Schema per kind.

Only what wxbind reads is constrained (with the lengths Slack uses), so new
fields Slack adds pass; a signed request that breaks its kind's schema gets 400
at the edge, before Bolt or any listener sees it.
"""

from __future__ import annotations

from functools import cache

from jsonschema import Draft202012Validator
from jsonschema.exceptions import best_match

_ID = {"type": "string", "minLength": 1, "maxLength": 64}
_TEXT = {"type": "string", "maxLength": 40_000}
_OPTIONAL_TEAM = {"anyOf": [{"type": "null"}, {"type": "object", "properties": {"id": _ID}}]}
_USER = {"type": "object", "required": ["id"], "properties": {"id": _ID}}
_OPTION = {"anyOf": [{"type": "null"}, {"type": "object", "properties": {"value": {"type": "string"}}}]}

_ACTION = {
    "type": "object",
    "required": ["action_id"],
    "properties": {
        "action_id": {"type": "string", "minLength": 1, "maxLength": 255},
        "block_id": {"type": "string", "maxLength": 255},
        "value": {"type": "string", "maxLength": 2000},
        "selected_option": _OPTION,
        "selected_user": {"anyOf": [{"type": "null"}, _ID]},
    },
}

_INPUT = {
    "type": "object",
    "properties": {
        "type": {"type": "string"},
        "value": {"anyOf": [{"type": "null"}, {"type": "string", "maxLength": 3000}]},
        "selected_option": _OPTION,
    },
}

# Interactive payloads (form field "payload").
INTERACTIONS = {
    "block_actions": {
        "type": "object",
        "required": ["type", "user", "actions"],
        "properties": {
            "user": _USER,
            "team": _OPTIONAL_TEAM,
            "actions": {"type": "array", "minItems": 1, "maxItems": 25, "items": _ACTION},
            "response_url": {"type": "string", "maxLength": 2000},
            "trigger_id": {"type": "string", "maxLength": 255},
            "channel": {"anyOf": [{"type": "null"}, {"type": "object", "properties": {"id": _ID}}]},
            "container": {"type": "object"},
            "message": {"type": "object"},
        },
    },
    "view_submission": {
        "type": "object",
        "required": ["type", "user", "view"],
        "properties": {
            "user": _USER,
            "team": _OPTIONAL_TEAM,
            "view": {
                "type": "object",
                "required": ["id", "callback_id", "state"],
                "properties": {
                    "id": _ID,
                    "callback_id": {"type": "string", "maxLength": 255},
                    "private_metadata": {"type": "string", "maxLength": 3000},
                    "state": {
                        "type": "object",
                        "required": ["values"],
                        "properties": {
                            "values": {
                                "type": "object",
                                "maxProperties": 100,
                                "additionalProperties": {
                                    "type": "object",
                                    "maxProperties": 25,
                                    "additionalProperties": _INPUT,
                                },
                            }
                        },
                    },
                },
            },
        },
    },
    "view_closed": {
        "type": "object",
        "required": ["type", "user", "view"],
        "properties": {"user": _USER, "view": {"type": "object", "properties": {"id": _ID}}},
    },
}

# JSON bodies (the Events API).
EVENTS = {
    "url_verification": {
        "type": "object",
        "required": ["type", "challenge"],
        "properties": {"challenge": {"type": "string", "maxLength": 1000}},
    },
    "event_callback": {
        "type": "object",
        "required": ["type", "team_id", "event"],
        "properties": {
            "team_id": _ID,
            "event_id": {"type": "string", "maxLength": 255},
            "event": {
                "type": "object",
                "required": ["type"],
                "properties": {
                    "type": {"type": "string", "maxLength": 255},
                    "user": _ID,
                    "bot_id": {"type": "string"},
                    "text": _TEXT,
                    "channel": _ID,
                    "channel_type": {"type": "string"},
                    "ts": {"type": "string", "maxLength": 64},
                    "thread_ts": {"type": "string", "maxLength": 64},
                },
            },
        },
    },
}

# Slash commands (form fields, each a string).
SLASH_COMMAND = {
    "type": "object",
    "required": ["command", "user_id", "team_id"],
    "properties": {
        "command": {"type": "string", "pattern": "^/", "maxLength": 64},
        "text": _TEXT,
        "user_id": _ID,
        "team_id": _ID,
        "channel_id": {"type": "string", "maxLength": 64},
        "response_url": {"type": "string", "maxLength": 2000},
        "trigger_id": {"type": "string", "maxLength": 255},
    },
}


_SCHEMAS = {
    **{f"interaction:{kind}": schema for kind, schema in INTERACTIONS.items()},
    **{f"event:{kind}": schema for kind, schema in EVENTS.items()},
    "command": SLASH_COMMAND,
}


@cache
def _validator(kind: str) -> Draft202012Validator:
    return Draft202012Validator(_SCHEMAS[kind])


def problem(kind: str, document) -> str | None:
    """Why ``document`` is not a valid request of ``kind`` ("interaction:block_actions", "command", …), or None.

    Kinds wxbind does not handle have no schema: Bolt acknowledges them and does nothing.
    """
    if kind not in _SCHEMAS:
        return None
    error = best_match(_validator(kind).iter_errors(document))
    if error is None:
        return None
    where = "/".join(str(part) for part in error.absolute_path) or "payload"
    return f"{where}: {error.message[:200]}"
