"""ilm-bot: a Slack assistant for the ILM Level 3 coaching and mentoring qualifications."""

__version__ = "0.1.0"
