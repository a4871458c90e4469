"""``agir report``: one self-contained HTML file (inline CSS, SVG and JavaScript; opens without a network)
with the score and its probabilities, the rationale with every claim checked, the parameter table, the
plots and a skeleton animation."""

from __future__ import annotations

import datetime as _dt
from html import escape

import numpy as np

from agir import __version__
from agir.assess.assessment import Assessment
from agir.corpus.measures import MEASURES, flat_parameters
from agir.gait.analysis import GaitAnalysis
from agir.gait.turns import smoothed_yaw_deg
from agir.report.player import player_html
from agir.report.svg import COLOURS, Plot, Series, bar_chart, line_plot
from agir.skeleton import JOINT_INDEX, Motion

DISCLAIMER = ("A research tool, not a diagnosis. The score is a model's estimate on MDS-UPDRS item 3.10 from motion "
              "alone; it has not been validated for clinical decisions.")  # fmt: skip
CSS = """
body{font:15px/1.45 system-ui,-apple-system,Segoe UI,Roboto,sans-serif;margin:0 auto;max-width:1000px;padding:16px 24px;color:#1d2430}
h1{font-size:22px;margin:8px 0} h2{font-size:17px;margin:26px 0 8px;border-bottom:1px solid #dde2ea;padding-bottom:4px}
.muted{color:#6b7585;font-size:13px} .warning{background:#fff4e5;border:1px solid #f0c27b;padding:8px 12px;border-radius:6px}
.verdict{display:flex;gap:28px;align-items:center;flex-wrap:wrap} .score{font-size:56px;font-weight:700;color:#1f6fb2}
table{border-collapse:collapse;width:100%;font-size:14px} td,th{border-bottom:1px solid #e6e9ef;padding:4px 8px;text-align:left}
th{background:#f5f7fa} td.low,td.high{background:#fdecea;font-weight:600} td.normal{background:#eaf7ee}
.claim{border-radius:4px;padding:0 2px} .claim.ok{background:#eaf7ee} .claim.bad{background:#fdecea;text-decoration:underline wavy #c92a2a}
tr.bad td{background:#fdecea} .plot{width:100%;height:auto;margin:6px 0} .plot .title{font-weight:600;font-size:13px}
.plot .tick,.plot .legend{font-size:11px;fill:#4a5260} .plot .axis{font-size:12px;fill:#4a5260}
.plot .grid{stroke:#e6e9ef} .plot .band{fill:#2b8a3e;opacity:.12} .plot .span{fill:#7048e8;opacity:.12}
.plot .bar{fill:#a5c3e0} .plot .bar.chosen{fill:#1f6fb2} .player svg{width:420px;max-width:100%;background:#fafbfc;border:1px solid #e6e9ef}
.bone{stroke:#1f6fb2;stroke-width:4;stroke-linecap:round} .bone.left{stroke:#0b3d66} .floor{stroke:#9aa3b0;stroke-width:2}
"""


def _claim_table(assessment: Assessment) -> str:
    rows = []
    for i, c in enumerate(assessment.claims):
        rng = f"{c['healthy_range'][0]:g}–{c['healthy_range'][1]:g} {c['unit']}" if c["healthy_range"] else "—"
        measured = "—" if c["measured"] is None else f"{c['measured']:g} {c['unit'] or ''}"
        verdict = "agrees" if c["consistent"] else f"disagrees: {escape(c['reason'])}"
        rows.append(f'<tr id="claim-{i}" class="{"ok" if c["consistent"] else "bad"}"><td>{escape(c["text"])}</td>'
                    f'<td>{escape(c["parameter"] or "—")}</td><td>{measured}</td><td>{rng}</td><td>{verdict}</td></tr>')  # fmt: skip
    return ('<table id="claims"><tr><th>claim</th><th>parameter</th><th>measured</th><th>healthy range</th><th>check</th></tr>'
            + "".join(rows) + "</table>")  # fmt: skip


def _linked_rationale(assessment: Assessment) -> str:
    """The rationale with each checked claim marked and linked to its row in the claims table."""
    text = escape(assessment.rationale)
    for i, c in enumerate(assessment.claims):
        piece = escape(c["text"])
        if piece and piece in text:
            title = escape(c["reason"])
            text = text.replace(piece, f'<a href="#claim-{i}" class="claim {"ok" if c["consistent"] else "bad"}" title="{title}">{piece}</a>', 1)
    return f'<p id="rationale">{text}</p>'


def _parameter_table(flat: dict) -> str:
    rows = [("Speed", "speed_m_s", None), ("Stride length", "stride_length_m", None), ("Step length", "step_length_m", None),
            ("Cadence", "cadence_steps_per_min", None), ("Step width", "step_width_m", None),
            ("Stride-time variability", "stride_time_cv_pct", None), ("Double support", "double_support_pct", None),
            ("Arm swing", "arm_swing_left_m", "arm_swing_right_m"), ("Arm-swing asymmetry", "arm_swing_asymmetry_pct", None),
            ("Foot clearance", "foot_clearance_left_m", "foot_clearance_right_m"), ("Trunk flexion", "trunk_flexion_deg", None),
            ("Turn: steps", "turn_steps", None), ("Turn: duration", "turn_duration_s", None)]  # fmt: skip

    def cell(name: str, colspan: int = 1) -> str:
        value = flat.get(name)
        if value is None:
            return f'<td colspan="{colspan}" class="na">not measured</td>'
        judgement = MEASURES[name].judge(value)[0]
        return f'<td colspan="{colspan}" class="{judgement}">{escape(MEASURES[name].show(value))} ({judgement})</td>'

    out = ['<table id="parameters"><tr><th>parameter</th><th>left</th><th>right</th><th>healthy range</th></tr>']
    for label, left, right in rows:
        cells = cell(left) + cell(right) if right else cell(left, 2)
        out.append(f"<tr><td>{label}</td>{cells}<td>{escape(MEASURES[left].show_range())}</td></tr>")
    out.append("</table>")
    return "".join(out)


def _plots(motion: Motion, analysis: GaitAnalysis) -> str:
    fps = motion.fps
    strides = analysis.strides
    per_side = {side: [s for s in strides if s.side == side] for side in ("left", "right")}
    step = Plot("Step length per stride", "time (s)", "step length (m)", band=(MEASURES["step_length_m"].low, MEASURES["step_length_m"].high))
    arms = Plot("Arm swing per stride (wrist excursion)", "time (s)", "arm swing (m)", band=(MEASURES["arm_swing_left_m"].low, MEASURES["arm_swing_left_m"].high))
    for colour, (side, items) in zip(COLOURS, per_side.items()):
        t = np.array([s.start_s for s in items])
        step.series.append(Series(f"{side} step", t, np.array([np.nan if s.step_length_m is None else s.step_length_m for s in items]), colour))
    for colour, side in zip(COLOURS, ("left", "right")):
        t = np.array([s.start_s for s in strides])
        arms.series.append(Series(f"{side} arm", t, np.array([np.nan if s.arm_swing_m.get(side) is None else s.arm_swing_m[side] for s in strides]), colour))
    time = np.arange(motion.n_frames) / fps
    feet = Plot("Foot height (toe base) with heel strikes (coloured dots) and toe offs (grey dots)", "time (s)", "height (m)")
    for colour, side in zip(COLOURS, ("left", "right")):
        height = motion.joints[:, JOINT_INDEX[f"{side}_foot"], 1]
        feet.series.append(Series(f"{side} foot", time, height, colour))
        events = analysis.events.get(side)
        if events is not None:
            feet.series.append(Series(f"{side} heel strike", time[events.heel_strikes], height[events.heel_strikes], colour, dots=True))
            feet.series.append(Series(f"{side} toe off", time[events.toe_offs], height[events.toe_offs], "#868e96", dots=True))
    trunk = Plot("Trunk flexion over time (forward positive)", "time (s)", "trunk flexion (deg)",
                 band=(MEASURES["trunk_flexion_deg"].low, MEASURES["trunk_flexion_deg"].high))  # fmt: skip
    if analysis.trunk_flexion_deg_series is not None:
        trunk.series.append(Series("trunk", time[: len(analysis.trunk_flexion_deg_series)], analysis.trunk_flexion_deg_series))
    spans = [(t.start_s, t.start_s + t.duration_s, f"turn of {t.angle_deg:.0f} deg in {t.duration_s:.1f} s") for t in analysis.turns]
    turn = Plot("Heading over time; turns shaded", "time (s)", "heading (deg)", spans=spans)
    turn.series.append(Series("heading", time, smoothed_yaw_deg(motion)))
    return "".join(line_plot(p, css_id=i) for p, i in ((step, "plot-steps"), (arms, "plot-arms"), (feet, "plot-feet"),
                                                         (trunk, "plot-trunk"), (turn, "plot-turn")))  # fmt: skip


def render_report(motion: Motion, analysis: GaitAnalysis, assessment: Assessment | None = None) -> str:
    """The whole report as one HTML string."""
    flat = assessment.parameters if assessment else flat_parameters(analysis.parameters)
    src = motion.source
    title = f"Gait report: {escape(src.path.split('/')[-1])}"
    if assessment:
        chosen = str(assessment.score)
        faith = "n/a" if assessment.faithfulness is None else f"{assessment.faithfulness:.0%}"
        disagree = sum(1 for c in assessment.claims if not c["consistent"])
        verdict = (f'<div class="verdict"><div><div class="muted">MDS-UPDRS 3.10 score</div><div class="score" id="score">{chosen}</div></div>'
                   f'<div>{bar_chart(assessment.probabilities, chosen)}<div class="muted">class probabilities read from the model</div></div></div>'
                   f"<h2>Rationale</h2>{_linked_rationale(assessment)}"
                   f'<p class="muted">{len(assessment.claims)} claims checked against the measurements; faithfulness {faith}'
                   + (f'; <strong>{disagree} disagree (flagged in red)</strong>' if disagree else "") + "</p>"
                   + _claim_table(assessment))  # fmt: skip
        model = escape(assessment.model)
    else:
        verdict = '<p class="warning" id="score">No model was used: measurements only (no score, no rationale).</p>'
        model = "none (measurements only)"
    notes = "".join(f"<li>{escape(n)}</li>" for n in list(src.notes) + list(analysis.parameters.notes))
    return f"""<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>{title}</title><style>{CSS}</style></head><body>
<h1>{title}</h1>
<p class="warning" id="disclaimer">{escape(DISCLAIMER)}</p>
<p class="muted" id="provenance">Input <code>{escape(src.path)}</code> ({escape(src.format)}, {motion.fps:g} fps, {motion.n_frames} frames,
{motion.n_frames / motion.fps:.1f} s, layout {escape(src.layout)}) · model {model} · agir {__version__} ·
{_dt.datetime.now().strftime('%Y-%m-%d %H:%M')}</p>
<h2>Verdict</h2>{verdict}
<h2>Gait parameters</h2>{_parameter_table(flat)}
<h2>Over the walk</h2>{_plots(motion, analysis)}
<h2>The walk</h2>{player_html(motion)}
{f'<h2>Notes</h2><ul>{notes}</ul>' if notes else ''}
</body></html>
"""
