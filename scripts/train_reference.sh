#!/usr/bin/env bash
# The recorded recipe of the shipped reference model (models/agir) and its direct-answer ablation.
# CPU only, about 75 min on 2 cores (see models/agir/README.md for the measured times); a GPU runs the same
# commands faster. Intermediate folders go to data/ and runs/ (git-ignored).
set -euo pipefail
cd "$(dirname "$0")/.."
agir=.venv/bin/agir
$agir synth --out data/ref_walks --subjects 400 --walks-per-subject 3 --seed 11 --fps 20
$agir corpus --data data/ref_walks --out data/ref_corpus
# the reference LM was trained with the first reference tokenizer (4 residual levels, 29 mm), which it carries
# in models/agir/motion_tokenizer; models/tokenizer is now its 6-level successor. Pass that copy to rebuild
# this model; pass models/tokenizer to train a new one on the current tokenizer.
tokenizer=${AGIR_REFERENCE_TOKENIZER:-models/agir/motion_tokenizer}
rm -rf runs/ref-tokenizer && cp -r "$tokenizer" runs/ref-tokenizer
$agir train --stage 1 --corpus data/ref_corpus --tokenizer runs/ref-tokenizer --out runs/ref-stage1 --config configs/reference-stage1.json
$agir train --stage 2 --corpus data/ref_corpus --init runs/ref-stage1 --out runs/ref-stage2 --config configs/reference-stage2.json
# a second pass over the stage-2 data (lower learning rate, another data order)
$agir train --stage 2 --corpus data/ref_corpus --init runs/ref-stage2 --out runs/ref-stage2b --config configs/reference-stage2b.json
$agir train --stage 2 --corpus data/ref_corpus --init runs/ref-stage1 --out runs/ref-direct --config configs/reference-direct.json
$agir evaluate --corpus data/ref_corpus --model runs/ref-stage2b --model runs/ref-direct --out runs/ref-evaluation.json --update-card
rm -rf models/agir && cp -r runs/ref-stage2b models/agir && cp runs/ref-evaluation.json models/agir/evaluation.json
