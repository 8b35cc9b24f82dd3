"""Ventanilla: retrieval-augmented domain assistants for Spanish public services."""

__version__ = "0.1.0"
