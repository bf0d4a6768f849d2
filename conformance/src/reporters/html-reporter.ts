import type { CheckOutcome } from '../check-outcome.js';
import type { RequirementRow, RunReport } from '../run-report.js';
import type { TranscriptEntry } from '../transcript.js';
import { VERDICTS } from '../verdicts.js';
import type { Reporter } from './reporter.js';
import { escapeMarkup as h } from './xml-text.js';

// One self-contained file: inline style and script, no fonts, images or scripts from the network,
// so the report opens from a CI artifact on a machine without access. Expectation links are shown as
// text, not followed: the page never points at the network.
const STYLE = `
body{font:14px/1.4 system-ui,sans-serif;margin:1.5em;color:#222}
h1{font-size:1.4em}table{border-collapse:collapse}td,th{padding:.2em .6em;border-bottom:1px solid #ddd;text-align:left}
.v{font-weight:600;padding:0 .4em;border-radius:3px}
.v-PASS{background:#d8f5d8}.v-FAIL,.v-UNEXPECTED-PASS{background:#f8d0d0}.v-NON-STRICT{background:#fdecc8}
.v-NOT-CHECKED{background:#eee}.v-EXPECTED-FAIL{background:#e3e0f8}
details{margin:.3em 0;border-left:3px solid #ccc;padding-left:.6em}
pre{background:#f6f6f6;padding:.5em;overflow-x:auto;white-space:pre-wrap;word-break:break-all;max-height:30em}
.failure{border:1px solid #e0a0a0;padding:.4em;margin:.3em 0}
.muted{color:#666}blockquote{margin:.4em 0;padding-left:.8em;border-left:3px solid #9ab;color:#345;white-space:pre-wrap}#filters label{margin-right:1em}
`;

const SCRIPT = `
function applyFilters(){
  var shown={};document.querySelectorAll('#filters input[type=checkbox]').forEach(function(b){shown[b.value]=b.checked});
  var text=document.getElementById('search').value.toLowerCase();
  document.querySelectorAll('.req').forEach(function(r){
    var ok=shown[r.dataset.verdict]&&(text===''||r.dataset.search.indexOf(text)>=0);
    r.style.display=ok?'':'none';
  });
}
document.querySelectorAll('#filters input').forEach(function(i){i.addEventListener('input',applyFilters)});
applyFilters();
`;

function verdictBadge(verdict: string): string {
  return `<span class="v v-${verdict.replace(' ', '-')}">${h(verdict)}</span>`;
}

function transcriptText(entries: readonly TranscriptEntry[]): string {
  return entries
    .map((entry) => {
      if (entry.kind === 'note') return `[${entry.atMs} ms] # ${entry.text}`;
      if (entry.kind === 'live') return `[${entry.atMs} ms] ${entry.channel} ${entry.direction === 'sent' ? '>' : '<'} ${entry.text}`;
      const request = [`[${entry.atMs} ms] > ${entry.request.method} ${entry.request.url}`, ...Object.entries(entry.request.headers).map(([k, v]) => `> ${k}: ${v}`)];
      if (entry.request.body !== undefined) request.push(`> ${entry.request.body}`);
      const response = entry.response
        ? [`< ${entry.response.status} (${entry.durationMs} ms)`, ...Object.entries(entry.response.headers).map(([k, v]) => `< ${k}: ${v}`), `< ${entry.response.body}`]
        : [`< no answer: ${entry.error ?? ''}`];
      return [...request, ...response].join('\n');
    })
    .join('\n\n');
}

function checkSection(check: CheckOutcome): string {
  const failures = check.failures
    .map((f) => `<div class="failure"><b>${h(f.requirement)}</b><br>expected: <code>${h(f.expected)}</code><br>observed: <code>${h(f.actual)}</code></div>`)
    .join('');
  const status = check.status === 'not-checkable' ? `not checkable: ${check.reason ?? ''}` : check.status;
  return `<details${check.status === 'failed' ? ' open' : ''}><summary><code>${h(check.checkId)}</code> — ${h(check.description)} <span class="muted">(${h(status)}, ${check.durationMs} ms)</span></summary>${failures}<pre>${h(transcriptText(check.transcript))}</pre></details>`;
}

function requirementSection(row: RequirementRow): string {
  const foreign = row.failures
    .filter((f) => !row.checks.some((check) => check.checkId === f.checkId))
    .map((f) => `<div class="failure">seen by <code>${h(f.checkId)}</code><br>expected: <code>${h(f.expected)}</code><br>observed: <code>${h(f.actual)}</code></div>`)
    .join('');
  const search = `${row.id} ${row.title} ${row.area} ${row.level} ${row.verdict}`.toLowerCase();
  const expectation = row.expectation ? `<p>Expectation: ${h(row.expectation.reason)}${row.expectation.link ? ` — <code>${h(row.expectation.link)}</code>` : ''}</p>` : '';
  return `<details class="req" data-verdict="${h(row.verdict)}" data-search="${h(search)}"${row.verdict === 'FAIL' || row.verdict === 'UNEXPECTED-PASS' ? ' open' : ''}>
<summary>${verdictBadge(row.verdict)} <b>${h(row.id)}</b> (${h(row.level)}) ${h(row.title)} — <a href="${h(row.specLink)}">spec</a>${row.reason ? ` <span class="muted">${h(row.reason)}</span>` : ''}</summary>
<blockquote>${h(row.text)}</blockquote>
${expectation}${foreign}${row.checks.map(checkSection).join('\n')}
</details>`;
}

function areaSummary(report: RunReport): string {
  const areas = [...new Set(report.requirements.map((row) => row.area))];
  const header = `<tr><th>area</th>${VERDICTS.map((v) => `<th>${verdictBadge(v)}</th>`).join('')}</tr>`;
  const rows = areas.map((area) => {
    const inArea = report.requirements.filter((row) => row.area === area);
    return `<tr><td>${h(area)}</td>${VERDICTS.map((v) => `<td>${inArea.filter((row) => row.verdict === v).length || ''}</td>`).join('')}</tr>`;
  });
  return `<table>${header}${rows.join('')}</table>`;
}

/** report.html: one self-contained page with a summary by area, filters and every transcript. */
export class HtmlReporter implements Reporter {
  readonly fileName = 'report.html';

  render(report: RunReport): string {
    const run = report.run;
    const filters = VERDICTS.map((v) => `<label><input type="checkbox" value="${h(v)}" checked> ${verdictBadge(v)}</label>`).join('');
    return `<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><title>mana-conformance: ${h(run.target)}</title><style>${STYLE}</style></head>
<body>
<h1>mana-conformance ${report.passed ? 'passed' : 'failed'}: ${h(report.summary)}</h1>
<p>Target <code>${h(run.target)}</code> (${h(run.targetKind)}${run.versions.server ? `, server ${h(run.versions.server)}` : ''}), protocol ${h(run.versions.protocol)}, suite ${h(run.versions.suite)}, Node ${h(run.versions.node)}.
Seed <code>${run.seed}</code>${run.strict ? ', strict' : ''}; ${h(run.startedAt)}, ${(run.durationMs / 1000).toFixed(1)} s.
${run.only.length ? `Only: <code>${h(run.only.join(' '))}</code>. ` : ''}${run.skip.length ? `Skip: <code>${h(run.skip.join(' '))}</code>. ` : ''}${run.expectationsFile ? `Expectations: <code>${h(run.expectationsFile)}</code>.` : ''}</p>
<p class="muted">${h(run.scope)}</p>
${areaSummary(report)}
<div id="filters"><p>${filters} <input id="search" type="search" placeholder="filter by ID or title"></p></div>
${report.requirements.map(requirementSection).join('\n')}
<script>${SCRIPT}</script>
</body></html>
`;
  }
}
