"""Generative answers through an OpenAI-compatible endpoint (vLLM): grounded prompts, a Haystack chat
generator configured per domain, citation checking, fallback policy, streaming and a local model server.
"""
