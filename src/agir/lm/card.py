"""The model card (README.md) of an AGIR language-model folder, written from its ``agir_lm.json``."""

from __future__ import annotations


def _recipe(recipe: dict | None) -> list[str]:
    if not recipe or not recipe.get("synth"):
        return []
    synth = recipe["synth"]
    fps = f" --fps {synth['fps']:g}" if synth.get("fps") else ""
    return ["## Data", "",
            f"Synthetic walks: `agir synth --subjects {synth['subjects']} --walks-per-subject {synth['walks_per_subject']} "
            f"--seed {synth['seed']}{fps}` ({synth['subjects'] * synth['walks_per_subject']} walks of {synth['subjects']} "
            f"subjects, scores 0-3 in equal shares), then `agir corpus` with {recipe.get('corpus')}.", ""]  # fmt: skip


def model_card(info: dict) -> str:
    c = info["config"]
    lines = [
        "---", "library_name: peft", f"base_model: {c['base_model']}", "tags: [agir, gait, parkinson, mds-updrs, motion-tokens]", "---",
        f"# AGIR reasoning model (stage {info['stage']})", "",
        "Reads a walk as motion tokens (VQ-VAE in `motion_tokenizer/`)"
        + (" plus the gait parameters measured on it" if c["include_parameters"] else "")
        + (", writes a clinical rationale and scores gait on MDS-UPDRS item 3.10." if c["answer"] == "rationale"
           else ", and answers the MDS-UPDRS 3.10 score directly (no rationale: the ablation)."),
        "", "**A research tool, not a diagnosis.** Trained on synthetic walks whose labels come from an engineering "
        "prior (see the corpus card); no patient data.", "",
        "## Settings", "", "| setting | value |", "| --- | --- |",
        *(f"| {k} | {v} |" for k, v in c.items()), "",
        f"Held-out subjects ({info['split']} fold {info['fold']}): {len(info['held_out_subjects'])}; "
        f"training subjects: {len(info['training_subjects'])}. Evaluate only on the held-out ones.", "",
        *_recipe(info.get("corpus_recipe")),
        "## Training history", "",
        "| stage | corpus | examples | steps | loss | seconds | tokens/s | processes | bf16 |", "| --- | --- | --- | --- | --- | --- | --- | --- | --- |",
        *(f"| {h['stage']} | {h['corpus']} | {h['examples']} | {h['steps']} | {h['train_loss']} | {h['seconds']} | "
          f"{h['tokens_per_second']} | {h['processes']} | {h['bf16']} |" for h in info["history"]), "",
        "Commands:", "", "```", *(h.get("command") or "(library call)" for h in info["history"]), "```", "",
    ]  # fmt: skip
    if info.get("notes"):
        lines += ["## Notes", "", *(f"- {note}" for note in info["notes"]), ""]
    if info.get("evaluation"):
        lines += ["## Evaluation on held-out subjects", "", info["evaluation"].get("markdown", ""), ""]
    lines += ["## Limitations", "",
              "- Synthetic training data: the scores follow a documented label model, not clinicians' ratings.",
              "- Score 4 (walks only with assistance) never occurs in training; the model will not give it reliably.",
              "- Motion is cropped to the middle of the walk; the measured parameters cover the whole walk.", ""]  # fmt: skip
    return "\n".join(lines)
