"""Answers: intent plus knowledge gives text, Block Kit blocks and the rules result."""
