"""The Slack app manifest is valid for Slack and declares everything the bot relies on.

A manifest that Slack rejects, or that forgets a scope or an event, only shows up
when someone creates or updates the app by hand; these tests catch it in CI. The
schema is Slack's own (MIT, copied beside ``../shared``); the repo keeps a copy in
``deploy/schema/`` so the validation never skips in a clone without ``../shared``.
"""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import jsonschema
import pytest
import yaml

ROOT = Path(__file__).resolve().parents[1]
MANIFEST = ROOT / "deploy" / "manifest.yaml"
SCHEMA_NAME = "manifest.schema.1.0.0.json"
LICENCE_NAME = "LICENSE-manifest-schema"
SHARED_SCHEMA = ROOT.parent / "shared" / "slack" / SCHEMA_NAME
REPO_SCHEMA = ROOT / "deploy" / "schema" / SCHEMA_NAME

COMMANDS = {"/ilm", "/ilm-admin", "/ilm-hr"}
BOT_EVENTS = {
    "app_mention",
    "message.im",
    "app_home_opened",
    "assistant_thread_started",
    "assistant_thread_context_changed",
    "message.channels",
    "message.groups",
}
#: Shortcut callback ids the listeners handle (bot/slack/blocks/forms.py), and their kind.
SHORTCUTS = {"log_hours": "global", "record_unit": "global", "ask_assistant": "message"}
#: The scope each capability needs; the bot breaks in production (not in tests) without it.
REQUIRED_SCOPES = {
    "app_mentions:read": "app_mention events",
    "chat:write": "chat.postMessage, chat.postEphemeral, chat.update",
    "commands": "slash commands",
    "im:history": "message.im events",
    "im:read": "conversations.info on DMs",
    "im:write": "conversations.open for DMs",
    "users:read": "users.info (time zones, names)",
    "channels:read": "conversations.info on public channels",
    "groups:read": "conversations.info on private channels",
    "channels:history": "conversations.history: reminder read-back after a crash",
    "groups:history": "conversations.history on private channels",
    "assistant:write": "assistant.threads.* and the assistant events",
}
#: Scopes Slack requires for each bot event (https://api.slack.com/events).
EVENT_SCOPES = {
    "app_mention": "app_mentions:read",
    "message.im": "im:history",
    "message.channels": "channels:history",
    "message.groups": "groups:history",
    "assistant_thread_started": "assistant:write",
    "assistant_thread_context_changed": "assistant:write",
}


def schema_path() -> Path:
    """Slack's schema from ../shared when present, else the repo's copy (which must then exist)."""
    return SHARED_SCHEMA if SHARED_SCHEMA.is_file() else REPO_SCHEMA


@pytest.fixture(scope="module")
def manifest() -> dict[str, Any]:
    return yaml.safe_load(MANIFEST.read_text(encoding="utf-8"))


@pytest.fixture(scope="module")
def validator() -> jsonschema.Draft7Validator:
    schema = json.loads(schema_path().read_text(encoding="utf-8"))
    jsonschema.Draft7Validator.check_schema(schema)
    return jsonschema.Draft7Validator(schema)


def test_the_repo_keeps_the_schema_and_its_licence() -> None:
    assert REPO_SCHEMA.is_file()
    assert (REPO_SCHEMA.parent / LICENCE_NAME).read_text(encoding="utf-8").startswith("MIT License")
    if SHARED_SCHEMA.is_file():  # the copy must not drift from the shared original
        assert REPO_SCHEMA.read_bytes() == SHARED_SCHEMA.read_bytes()


def test_manifest_validates_against_slacks_schema(manifest: dict[str, Any], validator) -> None:
    errors = sorted(validator.iter_errors(manifest), key=lambda e: list(e.path))
    assert not errors, "\n".join(f"{'/'.join(map(str, e.path))}: {e.message}" for e in errors)


def test_the_validator_rejects_a_broken_manifest(manifest: dict[str, Any], validator) -> None:
    """Guard against a schema that accepts anything (e.g. the wrong file)."""
    broken = json.loads(json.dumps(manifest))
    broken["features"]["slash_commands"][0]["command"] = "ilm"  # no leading slash
    broken["settings"]["surprise"] = True
    messages = [e.message for e in validator.iter_errors(broken)]
    assert any("does not match" in m for m in messages)
    assert any("surprise" in m for m in messages)


def test_slash_commands(manifest: dict[str, Any]) -> None:
    commands = {c["command"]: c for c in manifest["features"]["slash_commands"]}
    assert set(commands) == COMMANDS
    for c in commands.values():
        assert c["description"].strip() and c["usage_hint"].strip()
    assert "forget-me" in commands["/ilm"]["usage_hint"]
    assert "progress" in commands["/ilm-hr"]["usage_hint"]
    # /ilm-hr progress @user must receive the user id, which Slack only sends when escaping.
    assert commands["/ilm-hr"]["should_escape"] is True


def test_events_interactivity_and_socket_mode(manifest: dict[str, Any]) -> None:
    settings = manifest["settings"]
    assert set(settings["event_subscriptions"]["bot_events"]) == BOT_EVENTS
    assert settings["interactivity"]["is_enabled"] is True
    assert settings["socket_mode_enabled"] is True
    assert settings["org_deploy_enabled"] is False
    assert settings["token_rotation_enabled"] is False


def test_app_home(manifest: dict[str, Any]) -> None:
    home = manifest["features"]["app_home"]
    assert home == {"home_tab_enabled": True, "messages_tab_enabled": True, "messages_tab_read_only_enabled": False}
    assert manifest["features"]["bot_user"]["always_online"] is True


def test_scopes(manifest: dict[str, Any]) -> None:
    scopes = manifest["oauth_config"]["scopes"]["bot"]
    assert len(scopes) == len(set(scopes)), "duplicate scope"
    missing = {s: why for s, why in REQUIRED_SCOPES.items() if s not in scopes}
    assert not missing, f"missing scopes: {missing}"
    for event in manifest["settings"]["event_subscriptions"]["bot_events"]:
        if event in EVENT_SCOPES:
            assert EVENT_SCOPES[event] in scopes, event


def test_display_information(manifest: dict[str, Any]) -> None:
    info = manifest["display_information"]
    # The schema spells this constraint "regex", which JSON Schema ignores, so check it here.
    assert re.fullmatch(r"#[0-9a-fA-F]{3}([0-9a-fA-F]{3})?", info["background_color"])
    assert info["name"] and len(info["name"]) <= 35


def test_assistant_view_and_shortcuts(manifest: dict[str, Any]) -> None:
    """Issue 16: the assistant pane is declared, and every shortcut the listeners handle (and only those)."""
    from bot.slack.blocks.forms import SHORTCUT_ASK, SHORTCUT_LOG_HOURS, SHORTCUT_RECORD_UNIT

    features = manifest["features"]
    assert features["assistant_view"]["assistant_description"].strip()
    assert len(features["assistant_view"]["suggested_prompts"]) >= 3
    shortcuts = {s["callback_id"]: s["type"] for s in features["shortcuts"]}
    assert (
        shortcuts
        == SHORTCUTS
        == {SHORTCUT_LOG_HOURS: "global", SHORTCUT_RECORD_UNIT: "global", SHORTCUT_ASK: "message"}
    )
    names = {s["name"] for s in features["shortcuts"]}
    assert names == {"Log practice hours", "Record a unit", "Ask the ILM assistant"}
