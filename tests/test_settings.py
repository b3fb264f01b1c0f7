"""One typed settings object: every variable documented, secrets from files, bad values named before anything runs."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from botprocess import BotProcess, get
from fakeslack import FakeSlack
from hypothesis import given, settings
from hypothesis import strategies as st
from slack_payloads import app_home_opened, event_callback, json_request

from bot.cli.main import main
from bot.errors import SettingError
from bot.settings import SECRETS, Settings

ROOT = Path(__file__).resolve().parents[1]


def readme_variables() -> list[str]:
    """The first column of the README's configuration table."""
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    section = text.split("## Configuration", 1)[1].split("\n## ", 1)[0]
    return re.findall(r"^\| `([A-Z_]+)` \|", section, flags=re.M)


def test_the_readme_table_documents_exactly_the_settings() -> None:
    documented = readme_variables()
    assert len(documented) == len(set(documented)), "a variable is documented twice"
    assert set(documented) == set(Settings.variables()), (
        f"undocumented: {sorted(set(Settings.variables()) - set(documented))}; "
        f"documented but not read: {sorted(set(documented) - set(Settings.variables()))}"
    )


def test_defaults_with_nothing_set() -> None:
    s = Settings.load({})
    assert s.port == 3000 and s.log_level == "INFO" and s.ilm_shutdown_seconds == 20
    assert s.slack_bot_token is None and s.database_url is None and s.ilm_admin_users == frozenset()
    assert s.slack_api_url == "https://slack.com/api/"


def test_values_are_typed() -> None:
    s = Settings.load(
        {
            "PORT": "8080",
            "LOG_LEVEL": "debug",
            "ILM_ADMIN_USERS": " U1, U2 ,,",
            "ILM_REMINDER_GRACE": "90m",
            "SLACK_API_URL": "http://127.0.0.1:9/api",
            "ILM_KNOWLEDGE_DIR": "/k",
            "SLACK_BOT_TOKEN": "xoxb-1\n",
        }
    )
    assert s.port == 8080 and s.log_level == "DEBUG" and s.log_level_number == 10
    assert s.ilm_admin_users == {"U1", "U2"} and s.ilm_reminder_grace == 5400
    assert s.slack_api_url == "http://127.0.0.1:9/api/" and s.ilm_knowledge_dir == Path("/k")
    assert s.secret("slack_bot_token") == "xoxb-1"
    assert "xoxb-1" not in repr(s) and "xoxb-1" not in str(s), "a secret in the settings' repr"


@pytest.mark.parametrize("name", SECRETS)
def test_each_secret_can_come_from_a_file(name: str, tmp_path: Path) -> None:
    path = tmp_path / "secret"
    path.write_text("value-from-file\n", encoding="utf-8")
    assert Settings.load({f"{name}_FILE": str(path)}).secret(name.lower()) == "value-from-file"
    # blank counts as unset, so an empty variable beside the file is not a conflict
    assert Settings.load({name: "  ", f"{name}_FILE": str(path)}).secret(name.lower()) == "value-from-file"
    with pytest.raises(SettingError, match=f"both {name} and {name}_FILE are set"):
        Settings.load({name: "direct", f"{name}_FILE": str(path)})
    with pytest.raises(SettingError, match=rf"{name}_FILE: cannot read .*missing \(No such file"):
        Settings.load({f"{name}_FILE": str(tmp_path / "missing")})
    with pytest.raises(SettingError, match=rf"{name}_FILE: cannot read"):
        Settings.load({f"{name}_FILE": str(tmp_path)})  # a directory
    path.write_text("\n", encoding="utf-8")
    with pytest.raises(SettingError, match=rf"{name}_FILE: .* is empty"):
        Settings.load({f"{name}_FILE": str(path)})


#: Variables with a checked format -> a strategy of values each must refuse.
BAD = {
    "PORT": st.one_of(
        st.text(max_size=8).filter(lambda t: not t.strip().isdigit() and t.strip()),
        st.integers(65536, 10**7).map(str),
        st.just("0"),
    ),
    "LOG_LEVEL": st.text(min_size=1, max_size=10).filter(
        lambda t: t.strip() and t.strip().upper() not in {"DEBUG", "INFO", "WARNING", "ERROR", "CRITICAL"}
    ),
    "ILM_SYNC_SECONDS": st.one_of(
        st.floats(60.01, 1e9).map(str),
        st.floats(-1e9, 0.19).map(str),
        st.text(alphabet="abcxyz-", min_size=1, max_size=6),
    ),
    "ILM_SHUTDOWN_SECONDS": st.one_of(st.floats(-1e9, 0).map(str), st.floats(3600.01, 1e9).map(str), st.just("nan")),
    "ILM_REMINDER_GRACE": st.one_of(
        st.just("0"),
        st.just("-5m"),
        st.just("soon"),
        st.just("6 hours"),
        st.text(alphabet="wy", min_size=1, max_size=3),
    ),
    "SLACK_API_URL": st.one_of(st.just("slack.com/api"), st.just("ftp://x"), st.just("https://")),
}


@settings(max_examples=120, deadline=None, derandomize=True)
@given(data=st.data())
def test_a_malformed_value_is_refused_naming_its_variable(data: st.DataObject) -> None:
    name = data.draw(st.sampled_from(sorted(BAD)))
    value = data.draw(BAD[name])
    with pytest.raises(SettingError) as refused:
        Settings.load({name: value})
    message = str(refused.value)
    assert message.startswith(name) and "Traceback" not in message, message


def test_every_bad_variable_is_reported_at_once() -> None:
    with pytest.raises(SettingError) as refused:
        Settings.load({"PORT": "x", "LOG_LEVEL": "loud"})
    assert "PORT" in str(refused.value) and "LOG_LEVEL" in str(refused.value)


def test_the_command_line_exits_1_with_the_message(capsys: pytest.CaptureFixture[str], monkeypatch) -> None:
    monkeypatch.setenv("LOG_LEVEL", "loud")
    with pytest.raises(SystemExit) as exited:
        main(["check", "C&M"])
    assert exited.value.code == 1
    assert capsys.readouterr().err.strip() == (
        "ilm-bot: LOG_LEVEL must be one of DEBUG, INFO, WARNING, ERROR, CRITICAL, got 'loud'"
    )


@pytest.mark.slow
def test_serve_runs_on_secret_files_alone(tmp_path: Path) -> None:
    """The Kubernetes deployment's way: tokens and database URL as mounted files, not variables."""
    with FakeSlack() as slack:
        files = {}
        values = {
            "SLACK_BOT_TOKEN": slack.bot_token,
            "SLACK_SIGNING_SECRET": slack.signing_secret,
            "DATABASE_URL": f"sqlite:///{tmp_path / 'bot.db'}",
        }
        for name, value in values.items():
            path = tmp_path / name.lower()
            path.write_text(value + "\n", encoding="utf-8")
            files[f"{name}_FILE"] = str(path)
        blank = dict.fromkeys(values, "")  # nothing inherited from the test's own environment
        bot = BotProcess(slack, tmp_path / "bot.log", **blank, **files)
        try:
            assert get(f"{bot.base}/readyz")[0] == 200
            mark = slack.mark()
            # accepted: signed with the secret from its file; answered: the fake accepts only the real bot token
            assert slack.send(bot.events, json_request(event_callback(app_home_opened("U1")))).status == 200
            assert slack.wait_for("views.publish", after=mark).ok
            assert (tmp_path / "bot.db").is_file()
        finally:
            bot.stop()
        assert slack.bot_token not in (tmp_path / "bot.log").read_text()
