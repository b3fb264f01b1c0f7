"""The knowledge base: the brochures' facts as validated, structured data."""

from bot.knowledge.errors import KnowledgeError, KnowledgeInvalidError
from bot.knowledge.loader import default_knowledge_dir, load_knowledge
from bot.knowledge.models import Knowledge, Qualification, Unit

__all__ = [
    "Knowledge",
    "KnowledgeError",
    "KnowledgeInvalidError",
    "Qualification",
    "Unit",
    "default_knowledge_dir",
    "load_knowledge",
]
