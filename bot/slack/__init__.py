"""The Slack surface: Block Kit rendering (``blocks``) and, beside it, the Bolt app that sends it."""
