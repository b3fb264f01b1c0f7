"""In-process listener tests (a package, so its conftest and helpers never clash with the suite's)."""
