/** The inspector page's styles (served as inspector.css: the page's CSP allows no inline style). */
export const INSPECTOR_CSS = `
:root { color-scheme: dark; --bg: #15171c; --panel: #1d2027; --line: #2c313b; --text: #d8dde6; --dim: #8b93a3; --accent: #5fb3ff; --ok: #6fd08c; --bad: #ff6b6b; --warn: #ffc14d; }
* { box-sizing: border-box; }
body { margin: 0; font: 12px/1.4 ui-monospace, SFMono-Regular, Menlo, Consolas, monospace; background: var(--bg); color: var(--text); }
header { display: flex; gap: 16px; align-items: baseline; padding: 8px 12px; border-bottom: 1px solid var(--line); }
header h1 { font-size: 14px; margin: 0; }
#status.open { color: var(--ok); } #status.closed, #status.connecting { color: var(--warn); }
main { display: grid; grid-template-columns: minmax(0, 3fr) minmax(0, 2fr); gap: 8px; padding: 8px; }
section { background: var(--panel); border: 1px solid var(--line); border-radius: 4px; padding: 6px 8px; min-width: 0; }
section.wide { grid-column: 1 / -1; }
h2 { font-size: 12px; margin: 0 0 6px; color: var(--accent); text-transform: uppercase; letter-spacing: .05em; }
table { width: 100%; border-collapse: collapse; }
th, td { text-align: left; padding: 2px 6px; border-bottom: 1px solid var(--line); vertical-align: top; white-space: nowrap; overflow: hidden; text-overflow: ellipsis; max-width: 320px; }
th { color: var(--dim); font-weight: normal; }
td.num { text-align: right; font-variant-numeric: tabular-nums; }
.ok { color: var(--ok); } .bad { color: var(--bad); } .warn { color: var(--warn); } .dim { color: var(--dim); }
canvas.scope { width: 200px; height: 40px; background: #0d0f13; border-radius: 2px; display: block; }
.text-preview { white-space: pre-wrap; word-break: break-all; max-height: 60px; overflow: auto; max-width: 320px; }
details { margin-left: 10px; } summary { cursor: pointer; color: var(--dim); }
.tree-leaf { margin-left: 10px; white-space: pre-wrap; word-break: break-all; }
#log-scroll { max-height: 280px; overflow: auto; }
.toolbar { display: flex; gap: 6px; align-items: center; margin-bottom: 6px; flex-wrap: wrap; }
input, select, button, textarea { font: inherit; background: #0d0f13; color: var(--text); border: 1px solid var(--line); border-radius: 3px; padding: 2px 6px; }
button { cursor: pointer; } button:hover { border-color: var(--accent); }
form.action { display: flex; gap: 6px; align-items: center; margin-bottom: 6px; flex-wrap: wrap; }
#console-out { white-space: pre-wrap; max-height: 140px; overflow: auto; color: var(--dim); }
td.timeline { white-space: normal; max-width: 720px; }
ol.gestures { margin: 0; padding-left: 16px; } ol.gestures li { word-break: break-all; }
.placeholder { color: var(--dim); font-style: italic; }
h2.below { margin-top: 10px; }
label.filter { margin-left: auto; color: var(--dim); cursor: pointer; }
.rate-cell { display: flex; gap: 8px; align-items: center; }
.rate-cell canvas.scope { width: 100px; height: 20px; }
button.expand { padding: 0 4px; border: none; background: none; color: var(--accent); }
tr.rate-line td { color: var(--accent); } tr.frame-row td { font-size: 11px; }
`;
