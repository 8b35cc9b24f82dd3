"""Hybrid retrieval: lexical sparse + dense vectors in Qdrant, fused, with citation resolution."""
