"""dossier-kg: a linked-data knowledge graph of a Dutch parliamentary policy dossier."""

__version__ = "0.1.0"
