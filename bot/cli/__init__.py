"""The `ilm-bot` command line."""
