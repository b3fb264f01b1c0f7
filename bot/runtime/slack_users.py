"""Finding a Slack user by email (``users.lookupByEmail``, scope ``users:read.email``), for CSV imports.

Shared by ``ilm-bot learner import`` and the import in Slack, so both name
the same person for the same address and fail the same way. Every address is
looked up once per import. "No such user" is an answer (``None``, reported
on the row); anything else (a missing scope, a bad token, Slack unreachable)
stops the import, which then records nothing.
"""

from __future__ import annotations

from collections.abc import Callable

from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError, SlackClientError
from slack_sdk.http_retry.builtin_handlers import RateLimitErrorRetryHandler

from bot.errors import ServiceError

SCOPE = "users:read.email"


def email_lookup(client: WebClient) -> Callable[[str], str | None]:
    """A function from an email to the Slack user id that has it, or None when nobody does."""

    def lookup(email: str) -> str | None:
        try:
            response = client.users_lookupByEmail(email=email)
        except SlackApiError as exc:
            error = str(exc.response.get("error") or "unknown_error")
            if error == "users_not_found":
                return None
            if error == "missing_scope":
                raise ServiceError(f"Slack refused to look up emails: the app needs the scope {SCOPE}") from None
            raise ServiceError(f"Slack refused to look up an email: {error}") from None
        except (SlackClientError, OSError) as exc:
            raise ServiceError(f"cannot reach Slack to look up emails: {type(exc).__name__}") from None
        return str(response["user"]["id"])

    return lookup


def client_for(token: str, api_url: str, timeout: int = 10) -> WebClient:
    """A client that waits out 429s (a large import looks up many addresses)."""
    client = WebClient(token=token, base_url=api_url, timeout=timeout)
    client.retry_handlers.append(RateLimitErrorRetryHandler(max_retry_count=5))
    return client
