"""The skeleton animation of the report: joints embedded as JSON, drawn by a few lines of JavaScript into an
SVG with play/pause and a time slider (side view, camera following the pelvis). No network needed."""

from __future__ import annotations

import json

import numpy as np

from agir.skeleton import PARENTS, Motion

PLAYER_FPS = 25.0


def side_view(motion: Motion, fps: float = PLAYER_FPS) -> dict:
    """Frames resampled to ``fps`` and projected on the vertical plane along the walk's main direction:
    u (metres, along the walk, relative to the pelvis) and v (height, metres)."""
    joints = np.nan_to_num(motion.joints, nan=0.0)
    step = max(int(round(motion.fps / fps)), 1)
    frames = joints[::step]
    root = frames[:, 0, [0, 2]]
    centred = root - root.mean(0)
    direction = np.linalg.svd(centred, full_matrices=False)[2][0] if len(root) > 2 and np.abs(centred).sum() > 0 else np.array([1.0, 0.0])
    u = frames[..., [0, 2]] @ direction
    along = u - u[:, :1]
    return {"fps": motion.fps / step, "parents": list(PARENTS),
            "u": np.round(along, 3).tolist(), "v": np.round(frames[..., 1], 3).tolist(),
            "root": np.round(u[:, 0] - u[0, 0], 3).tolist()}  # fmt: skip


PLAYER_JS = """
(function(){
  const d = JSON.parse(document.getElementById('skeleton-data').textContent);
  const svg = document.getElementById('skeleton'), btn = document.getElementById('play'),
        slider = document.getElementById('scrub'), clock = document.getElementById('clock');
  const n = d.u.length; slider.max = n - 1;
  const W = 420, H = 300, S = 130, ox = W / 2, oy = H - 30;
  const lines = d.parents.map(() => { const l = document.createElementNS('http://www.w3.org/2000/svg', 'line');
    l.setAttribute('class', 'bone'); svg.appendChild(l); return l; });
  const ground = document.getElementById('ground-ticks');
  let frame = 0, playing = false, last = null;
  function draw(i) {
    const u = d.u[i], v = d.v[i];
    d.parents.forEach((p, j) => { if (p < 0) { lines[j].setAttribute('visibility', 'hidden'); return; }
      lines[j].setAttribute('x1', ox + S * u[p]); lines[j].setAttribute('y1', oy - S * v[p]);
      lines[j].setAttribute('x2', ox + S * u[j]); lines[j].setAttribute('y2', oy - S * v[j]);
      lines[j].setAttribute('class', j % 3 === 1 || [4,7,10,13,16,18,20].includes(j) ? 'bone left' : 'bone'); });
    const shift = (d.root[i] * S) % 40; ground.setAttribute('transform', 'translate(' + (-shift) + ',0)');
    slider.value = i; clock.textContent = (i / d.fps).toFixed(1) + ' s';
  }
  function tick(t) { if (!playing) return; if (last === null) last = t;
    const steps = Math.floor((t - last) / 1000 * d.fps);
    if (steps > 0) { frame = (frame + steps) % n; last += steps * 1000 / d.fps; draw(frame); }
    requestAnimationFrame(tick); }
  btn.addEventListener('click', () => { playing = !playing; btn.textContent = playing ? 'Pause' : 'Play';
    last = null; if (playing) requestAnimationFrame(tick); });
  slider.addEventListener('input', () => { frame = +slider.value; draw(frame); });
  draw(0);
})();
"""


def player_html(motion: Motion) -> str:
    data = json.dumps(side_view(motion), separators=(",", ":"))
    ticks = "".join(f'<line x1="{x}" y1="270" x2="{x - 8}" y2="280" class="grid"/>' for x in range(0, 900, 40))
    return (f'<div class="player"><svg id="skeleton" viewBox="0 0 420 300" role="img" aria-label="skeleton animation">'
            f'<line x1="0" y1="270" x2="420" y2="270" class="floor"/><g id="ground-ticks">{ticks}</g></svg>'
            f'<div><button id="play" type="button">Play</button> <input id="scrub" type="range" min="0" value="0"> '
            f'<span id="clock">0.0 s</span> <span class="muted">side view; the camera follows the pelvis; left side darker</span></div>'
            f'<script type="application/json" id="skeleton-data">{data}</script><script>{PLAYER_JS}</script></div>')  # fmt: skip
