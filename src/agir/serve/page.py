"""The one page of the web app: drop (or choose) a motion file, see its report."""

INDEX_HTML = """<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>AGIR gait assessment</title>
<style>
body{font:15px/1.45 system-ui,sans-serif;margin:0 auto;max-width:1040px;padding:16px 24px;color:#1d2430}
#drop{border:2px dashed #9aa3b0;border-radius:10px;padding:28px;text-align:center;background:#fafbfc}
#drop.over{background:#eef5fc;border-color:#1f6fb2} #status{margin:10px 0;min-height:1.4em} .error{color:#c92a2a}
iframe{width:100%;height:1800px;border:1px solid #e6e9ef;border-radius:6px;display:none}
</style></head><body>
<h1>AGIR: gait impairment assessment</h1>
<p>Drop a walk (.bvh .c3d .trc .npy .npz) to measure it, score it on MDS-UPDRS item 3.10 and read why.
The file is processed on this server and not kept. <strong>A research tool, not a diagnosis.</strong></p>
<div id="drop"><p>Drop a motion file here, or</p><input type="file" id="file" accept=".bvh,.c3d,.trc,.npy,.npz"></div>
<div id="status"></div>
<iframe id="report" title="report"></iframe>
<p><a href="/docs">API documentation</a></p>
<script>
const drop = document.getElementById('drop'), input = document.getElementById('file'),
      statusBox = document.getElementById('status'), frame = document.getElementById('report');
async function send(file) {
  statusBox.className = ''; statusBox.textContent = 'Assessing ' + file.name + ' ...'; frame.style.display = 'none';
  const body = new FormData(); body.append('file', file);
  try {
    const r = await fetch('/api/report', {method: 'POST', body});
    if (!r.ok) { const e = await r.json().catch(() => ({error: r.statusText}));
      statusBox.className = 'error'; statusBox.textContent = 'Error: ' + e.error; return; }
    frame.srcdoc = await r.text(); frame.style.display = 'block'; statusBox.textContent = 'Report for ' + file.name;
  } catch (err) { statusBox.className = 'error'; statusBox.textContent = 'Error: ' + err; }
}
input.addEventListener('change', () => input.files.length && send(input.files[0]));
drop.addEventListener('dragover', e => { e.preventDefault(); drop.classList.add('over'); });
drop.addEventListener('dragleave', () => drop.classList.remove('over'));
drop.addEventListener('drop', e => { e.preventDefault(); drop.classList.remove('over');
  if (e.dataTransfer.files.length) send(e.dataTransfer.files[0]); });
</script></body></html>
"""
