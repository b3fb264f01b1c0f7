"""The Slack app manifest is valid for Slack, declares everything the bot relies on, and is what the code registers.

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
from hypothesis import given, settings
from hypothesis import strategies as st
from slack_sdk import WebClient
from slack_sdk.web.base_client import BaseClient

from bot.cli.main import main
from bot.slack import manifest as app_manifest

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
#: The scope each capability needs; the bot breaks in production (not in tests) without it.
REQUIRED_SCOPES = {
    "app_mentions:read": "app_mention events",
    "chat:write": "chat.postMessage, chat.postEphemeral, chat.update",
    "commands": "slash commands",
    "im:history": "message.im events",
    "im:read": "conversations.info on DMs",
    "im:write": "conversations.open for DMs",
    "users:read": "users.info (time zones, names)",
    "users:read.email": "users.lookupByEmail: CSV imports that name learners by email",
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


# --- generated from the registered listeners -------------------------------------------------------------------------


def test_the_shipped_manifest_is_the_commands_output() -> None:
    """deploy/manifest.yaml is `ilm-bot manifest --socket-mode`: regenerate it after changing a listener."""
    assert MANIFEST.read_text(encoding="utf-8") == app_manifest.render(), (
        "deploy/manifest.yaml is stale: run `ilm-bot manifest --socket-mode > deploy/manifest.yaml`"
    )


def test_it_lists_what_the_listeners_register() -> None:
    found = app_manifest.registered()
    assert set(found.commands) == COMMANDS
    assert {"message", "app_mention", "app_home_opened"} <= set(found.events)
    assert found.interactive  # buttons and the reminder modal


def test_http_mode_points_every_request_url_at_the_events_endpoint(validator) -> None:
    http = app_manifest.build("https://bot.example.com")
    assert not list(validator.iter_errors(http))
    url = "https://bot.example.com/slack/events"
    assert http["settings"]["socket_mode_enabled"] is False
    assert http["settings"]["event_subscriptions"]["request_url"] == url
    assert http["settings"]["interactivity"]["request_url"] == url
    assert {c["url"] for c in http["features"]["slash_commands"]} == {url}
    socket = app_manifest.build()
    assert "request_url" not in socket["settings"]["event_subscriptions"]
    assert all("url" not in c for c in socket["features"]["slash_commands"])
    # the same app otherwise
    assert http["oauth_config"] == socket["oauth_config"]
    events = [m["settings"]["event_subscriptions"]["bot_events"] for m in (http, socket)]
    assert events[0] == events[1]


def test_a_listener_without_its_declaration_is_refused_by_name() -> None:
    found = app_manifest.registered()
    found.commands.append("/ilm-new")
    with pytest.raises(app_manifest.ManifestError, match="/ilm-new"):
        app_manifest.build(found=found)
    found = app_manifest.registered()
    found.events.append("reaction_added")
    with pytest.raises(app_manifest.ManifestError, match="reaction_added"):
        app_manifest.build(found=found)
    found = app_manifest.registered()
    found.commands.remove("/ilm-hr")  # a declaration left behind when its listener goes
    with pytest.raises(app_manifest.ManifestError, match="/ilm-hr"):
        app_manifest.build(found=found)


def test_an_assistant_adds_its_events_scope_and_view(validator) -> None:
    recorder = app_manifest.Recorder()
    recorder.assistant(object())
    found = app_manifest.registered()
    found.events += [e for e in recorder.registered.events if e not in found.events]
    found.assistant = True
    built = app_manifest.build(found=found)
    assert not list(validator.iter_errors(built))
    assert {"assistant_thread_started", "assistant_thread_context_changed"} <= set(
        built["settings"]["event_subscriptions"]["bot_events"]
    )
    assert "assistant:write" in built["oauth_config"]["scopes"]["bot"]
    assert built["features"]["assistant_view"]["assistant_description"]


def test_the_recorder_refuses_a_registration_it_does_not_understand() -> None:
    with pytest.raises(AttributeError):
        app_manifest.Recorder().function("my_function")  # a new kind of listener must be handled, not dropped


def test_every_web_api_method_the_code_calls_has_its_scopes_declared() -> None:
    """Scopes come from METHOD_SCOPES; a call added in the code without its line there would fail in production."""
    called = set()
    for path in (ROOT / "bot").rglob("*.py"):
        for name in re.findall(r"\.([a-z]+_[A-Za-z0-9_]+)\(", path.read_text(encoding="utf-8")):
            # WebClient's own methods are Slack's (chat_postMessage); BaseClient's (api_call) are the transport
            if callable(getattr(WebClient, name, None)) and not hasattr(BaseClient, name):
                called.add(name)
    assert called, "the scan found no Web API calls: the pattern is broken"
    assert called == set(app_manifest.METHOD_SCOPES), (
        f"undeclared: {sorted(called - set(app_manifest.METHOD_SCOPES))}; "
        f"declared but never called: {sorted(set(app_manifest.METHOD_SCOPES) - called)}"
    )


HOSTS = st.from_regex(r"[a-z][a-z0-9-]{0,20}(\.[a-z][a-z0-9-]{0,20}){1,3}", fullmatch=True)


@settings(max_examples=60, deadline=None, derandomize=True)
@given(host=HOSTS, path=st.sampled_from(["", "/", "/slack/events", "/bot", "/bot/slack/events/"]))
def test_any_https_address_gives_the_events_endpoint(host: str, path: str) -> None:
    url = app_manifest.events_url(f"https://{host}{path}")
    assert url.startswith(f"https://{host}/") and url.endswith("/slack/events") and url.count("/slack/events") == 1


@settings(max_examples=80, deadline=None, derandomize=True)
@given(
    text=st.one_of(
        st.text(max_size=30).filter(lambda t: not t.strip().startswith("https://")),
        st.builds(lambda h: f"http://{h}", HOSTS),
        st.builds(lambda h, q: f"https://{h}/?{q}", HOSTS, st.text(min_size=1, max_size=5)),
        st.just("https://"),
    )
)
def test_anything_but_an_https_address_is_refused_with_the_reason(text: str) -> None:
    with pytest.raises(app_manifest.ManifestError, match="--url must be an https:// address"):
        app_manifest.events_url(text)


def test_the_command_prints_each_mode_and_refuses_a_bad_url(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["manifest"]) == 0
    assert capsys.readouterr().out == app_manifest.render()
    assert main(["manifest", "--url", "https://bot.example.com"]) == 0
    printed = yaml.safe_load(capsys.readouterr().out)
    assert printed == app_manifest.build("https://bot.example.com")
    with pytest.raises(SystemExit) as exited:
        main(["manifest", "--url", "http://bot.example.com"])
    assert exited.value.code == 2
    assert "--url must be an https:// address" in capsys.readouterr().err


def test_assistant_view_and_shortcuts(manifest: dict[str, Any]) -> None:
    """Issue 16: the assistant pane is declared, and every shortcut the listeners handle (and only those)."""
    from bot.slack.blocks.forms import SHORTCUT_ASK, SHORTCUT_LOG_HOURS, SHORTCUT_RECORD_UNIT

    features = manifest["features"]
    assert features["assistant_view"]["assistant_description"].strip()
    shortcuts = {s["callback_id"]: s["type"] for s in features["shortcuts"]}
    assert shortcuts == {SHORTCUT_LOG_HOURS: "global", SHORTCUT_RECORD_UNIT: "global", SHORTCUT_ASK: "message"}
    names = {s["name"] for s in features["shortcuts"]}
    assert names == {"Log practice hours", "Record a unit", "Ask the ILM assistant"}
    assert "assistant:write" in manifest["oauth_config"]["scopes"]["bot"]
