"""Parsers and identifiers for Spanish legal texts (BOE XML, legalize Markdown, plain text)."""
