"""Language understanding: normalising text, finding entities, matching intents, keeping context."""
