"""The assistant core: everything that answers a question, independent of any surface."""
