"""``python -m bot``: the same entry point as the ``ilm-bot`` command (useful where scripts aren't on PATH)."""

from bot.cli.main import main

if __name__ == "__main__":
    raise SystemExit(main())
