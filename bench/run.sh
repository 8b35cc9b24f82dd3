#!/usr/bin/env bash
# Benchmarks on the bundled data. Figures are measured in one run so that ratios are comparable.
set -euo pipefail
cd "$(dirname "$0")/.."
QA=../shared/data/qa/legal-boe-dense_retrieval_v1-dev
BIN=.venv/bin
echo "== ingest (incremental; use 'ventanilla ingest --all --force' for a full rebuild)"
$BIN/ventanilla ingest --all --json
echo "== retrieval: hybrid vs BM25-only vs dense-only, same index, same run"
$BIN/ventanilla bench retrieval --questions $QA/questions.jsonl --judgments $QA/judgments.jsonl \
  --split development --domain all
echo "== audit trail: overhead per request and records/s on SQLite and PostgreSQL"
$BIN/python bench/audit.py
# privacy (issue 4): our anonymization pipeline vs presidio's out-of-the-box Spanish setup, one run
echo "== privacy: MEDDOCAN dev, ventanilla vs presidio-es (strict/span F1, leak rate, docs/s, ratio)"
$BIN/ventanilla privacy bench --brat ../shared/data/meddocan/dev
echo "== languages: cross-lingual nDCG@10 per question language next to Spanish, same index"
$BIN/ventanilla bench xling --no-ablation
echo "== generation: latency breakdown of asks through the local vLLM (starts and stops it)"
bash bench/generation.sh
