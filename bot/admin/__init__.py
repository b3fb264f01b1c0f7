"""Knowledge versions: snapshots of the YAML, reload and rollback, and what admins review."""
