#!/usr/bin/env bash
# The tokens-only ablation of the reference model: the same recipe without the measurement line in the
# prompt (include_parameters: false), so the LM sees only the motion tokens, as AGIR as published. Stage 1
# (40 steps) and one stage-2 pass (120 steps): half the reference model's stage-2 budget, like the direct
# ablation. Needs data/ref_corpus from scripts/train_reference.sh. CPU, about 30 min on 2 cores.
set -euo pipefail
cd "$(dirname "$0")/.."
agir=.venv/bin/agir
rm -rf runs/ref-tokenizer && cp -r models/agir/motion_tokenizer runs/ref-tokenizer
$agir train --stage 1 --corpus data/ref_corpus --tokenizer runs/ref-tokenizer --out runs/ref-tokens-only-stage1 --config configs/reference-tokens-only-stage1.json
$agir train --stage 2 --corpus data/ref_corpus --init runs/ref-tokens-only-stage1 --out runs/ref-tokens-only --config configs/reference-tokens-only-stage2.json
$agir evaluate --corpus data/ref_corpus --model runs/ref-tokens-only --walks-per-subject 1 --out runs/ref-tokens-only-evaluation.json
