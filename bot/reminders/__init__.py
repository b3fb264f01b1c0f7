"""HR reminders: scheduled messages to a channel or to every learner on a qualification, sent exactly once.

The pure parts (no database, no Slack) read what HR types: ``when`` (the
time, with an injected ``now`` and time zone), ``target`` and ``command``;
``messages`` words what HR is told. ``scheduling`` runs the checks that need
Slack and the knowledge base before ``store`` keeps a reminder. ``queue`` is
the scheduler's side of the tables (claiming work in transactions),
``outbox`` talks to Slack, and ``scheduler`` ties them together in the
background thread ``ilm-bot serve`` starts. How "exactly once" is achieved,
and where it stops, is in ``docs/reminders.md``.
"""
