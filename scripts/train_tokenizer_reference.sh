#!/usr/bin/env bash
# The recorded recipe of the shipped reference tokenizer (models/tokenizer): about 25 min of training on one core of the
# 2-core CPU (OMP_NUM_THREADS=1; see models/tokenizer/README.md for the measured time), then its evaluation
# on an independent held-out set of new synthetic subjects. Intermediate folders go to data/ and runs/.
set -euo pipefail
cd "$(dirname "$0")/.."
agir=.venv/bin/agir
$agir synth --out data/synth-tokenizer-3000 --subjects 3000 --walks-per-subject 1 --seed 1 --fps 20
$agir synth --out data/synth-heldout --subjects 40 --walks-per-subject 1 --seed 2 --fps 20
OMP_NUM_THREADS=1 $agir tokenizer train --data data/synth-tokenizer-3000 --out runs/tokenizer-reference --config configs/tokenizer-reference.json
$agir tokenizer evaluate --model runs/tokenizer-reference --data data/synth-heldout --json | tee runs/tokenizer-reference-heldout.json
rm -rf models/tokenizer && mkdir -p models/tokenizer
cp runs/tokenizer-reference/{config.json,model.safetensors,feature_stats.json,README.md,training_log.jsonl} models/tokenizer/
