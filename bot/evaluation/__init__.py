"""Scoring the assistant on a labelled question file, in the manner of `rasa test nlu`."""
