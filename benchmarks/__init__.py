"""Performance benchmarks of the conversation engine (not run by pytest); see README.md."""
