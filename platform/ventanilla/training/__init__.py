"""The bundled training module: NER for privacy, grounded-answer datasets and LoRA fine-tuning of the LLM."""
