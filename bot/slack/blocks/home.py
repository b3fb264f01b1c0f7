"""The App Home, `/ilm help` and the forget-me confirmation."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from bot.knowledge.models import Knowledge

from bot.slack.blocks.kit import (
    ACTION_EXAMPLE,
    ACTION_FORGET_CANCEL,
    ACTION_FORGET_CONFIRM,
    ELLIPSIS,
    MAX_CONFIRM_BUTTON,
    MAX_CONFIRM_TEXT,
    MAX_CONFIRM_TITLE,
    MAX_HOME_BLOCKS,
    MAX_MESSAGE_BLOCKS,
    Block,
    actions,
    button,
    context,
    divider,
    escape,
    fallback,
    fit,
    header,
    indexed_buttons,
    plain,
    section,
    split_text,
)
from bot.slack.blocks.progress import progress_blocks

# -- App Home, help, forget-me -----------------------------------------------------------------


def home_view(
    progress: Mapping[str, Any] | None,
    examples: Sequence[str],
    capabilities: str,
    *,
    knowledge: Knowledge | None = None,
    name: str = "ILM Coach",
    top: Sequence[Block] = (),
    extra: Sequence[Block] = (),
) -> dict[str, Any]:
    """The App Home tab (for views.publish): welcome, what to ask, example buttons, and the dashboard.

    ``top`` goes first (HR's switch to the cohort), ``extra`` after the dashboard (recent entries).
    """
    blocks: list[Block] = [
        *top,
        header(f"👋 Welcome to {name}"),
        section(escape(capabilities.strip()) or "Ask me about the ILM Level 3 coaching and mentoring qualifications."),
        section("*Try asking* (or send me a DM, mention me in a channel, or use `/ilm your question`):"),
    ]
    questions = [e for e in dict.fromkeys(x.strip() for x in examples) if e][:10]
    blocks.extend(actions(indexed_buttons(ACTION_EXAMPLE, [(q, q) for q in questions]), "examples"))
    blocks.append(context("`/ilm help` lists every command  ·  `/ilm progress` shows your progress in a message"))
    blocks.append(divider())
    if progress is not None:
        blocks.append(header("📊 Your progress"))
        blocks.extend(progress_blocks(progress, knowledge=knowledge))
    else:
        blocks.append(
            section(
                "*Track your progress*\n"
                + escape(
                    "Enrol with `/ilm enrol <qualification>`, then record units with `/ilm done <unit>` "
                    "and hours with `/ilm log <hours> <kind>`; your dashboard appears here."
                )
            )
        )
    blocks.extend(extra)
    note = "…more than fits here: use `/ilm progress` for the rest."
    return {"type": "home", "blocks": fit(blocks, MAX_HOME_BLOCKS, note)}


def help_blocks(capabilities: str, commands: Sequence[tuple[str, str]]) -> tuple[str, list[Block]]:
    """(fallback, blocks) for ``/ilm help``: what the bot knows, then each command and what it does."""
    lines = [f"• `{escape(cmd)}` — {escape(what)}" for cmd, what in commands]
    blocks: list[Block] = [header("How to use ILM Coach"), section(escape(capabilities.strip()) or ELLIPSIS)]
    if lines:
        blocks.append(section("*Commands*"))
        blocks.extend(section(p) for p in split_text("\n".join(lines)))
    blocks.append(context("You can also DM me or mention me in a channel; I answer in a thread."))
    text = capabilities.strip() + "\n" + "\n".join(f"{cmd} — {what}" for cmd, what in commands)
    return fallback(text), fit(blocks, MAX_MESSAGE_BLOCKS, "…and more commands.")


def confirm_forget_blocks() -> tuple[str, list[Block]]:
    """(fallback, blocks) for ``/ilm forget-me``: nothing is deleted until the danger button is confirmed."""
    explain = (
        "*Forget me?* This deletes everything I store about you: your enrolments, the units you "
        "recorded, the hours you logged, reminders and our conversation context. It can't be undone."
    )
    confirm = {
        "title": plain("Delete your data?", MAX_CONFIRM_TITLE),
        "text": plain("All your progress records will be deleted permanently.", MAX_CONFIRM_TEXT),
        "confirm": plain("Delete", MAX_CONFIRM_BUTTON),
        "deny": plain("Keep it", MAX_CONFIRM_BUTTON),
        "style": "danger",
    }
    buttons = [
        button("Delete my data", ACTION_FORGET_CONFIRM, "forget", style="danger", confirm=confirm),
        button("Cancel", ACTION_FORGET_CANCEL, "cancel"),
    ]
    blocks = [section(explain), *actions(buttons, "forget")]
    return fallback("Forget me? This deletes everything I store about you. Confirm with the button."), blocks
