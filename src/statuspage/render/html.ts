/**
 * The status page as static HTML: no JavaScript at all, one shared stylesheet, readable on a phone
 * (one column below 40em) and in dark mode (`prefers-color-scheme`), with headings in order, a
 * `lang`, text for every colour and contrast of at least 4.5:1 for text. Times are UTC and written
 * without Intl, so the same record gives the same bytes on any machine.
 */
import { MAINTENANCE_LABELS, STATE_LABELS, type Maintenance, type PublicStatus, type ShownState } from '../model.js';
import type { ComponentView, DayCell, IncidentView, MaintenanceView, PageModel, ShownUpdate } from '../page.js';
import { escapeHtml as e, incidentFile } from './escape.js';

const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

/** `26 Nov 2026, 14:32 UTC` */
export function humanTime(d: Date): string {
  const iso = d.toISOString();
  return `${Number(iso.slice(8, 10))} ${MONTHS[Number(iso.slice(5, 7)) - 1]} ${iso.slice(0, 4)}, ${iso.slice(11, 16)} UTC`;
}

const time = (d: Date) => `<time datetime="${d.toISOString()}">${humanTime(d)}</time>`;

const IMPACT_LABELS = { none: 'No impact', minor: 'Minor', major: 'Major', critical: 'Critical' } as const;
export const STATUS_LABELS: Record<PublicStatus, string> = {
  investigating: 'Investigating',
  identified: 'Identified',
  monitoring: 'Monitoring',
  resolved: 'Resolved',
};

/** The one stylesheet; on a phone the strips show the last 30 days. */
export function stylesheet(days: number): string {
  return `:root{color-scheme:light dark;--bg:#fff;--fg:#1f2328;--muted:#59636e;--line:#d1d9e0;--card:#f6f8fa;--ok:#1a7f37;--minor:#9a6700;--major:#bc4c00;--critical:#cf222e;--maint:#0969da;--empty:#d1d9e0}
@media (prefers-color-scheme:dark){:root{--bg:#0d1117;--fg:#e6edf3;--muted:#9198a1;--line:#3d444d;--card:#151b23;--ok:#3fb950;--minor:#d29922;--major:#f0883e;--critical:#ff7b72;--maint:#58a6ff;--empty:#3d444d}}
*{box-sizing:border-box}
body{margin:0;background:var(--bg);color:var(--fg);font:16px/1.5 system-ui,-apple-system,"Segoe UI",Roboto,sans-serif}
a{color:var(--maint)}
.skip{position:absolute;left:-999px}.skip:focus{left:1rem;top:1rem}
header,main,footer{max-width:52rem;margin:0 auto;padding:1rem}
h1{font-size:1.6rem;margin:.5rem 0}
h2{font-size:1.25rem;margin:2rem 0 .75rem}
h3{font-size:1.05rem;margin:0 0 .25rem}
.banner{padding:1rem 1.25rem;border-radius:.5rem;color:#fff;font-size:1.2rem;font-weight:600;margin:1rem 0}
.banner.none{background:#1a7f37}.banner.minor{background:#7d4e00}.banner.major{background:#a40e26}.banner.critical{background:#82071e}.banner.maintenance{background:#0550ae}
.card{background:var(--card);border:1px solid var(--line);border-radius:.5rem;padding:1rem;margin:0 0 1rem}
.meta{color:var(--muted);font-size:.9rem;margin:0}
ol.updates{list-style:none;margin:.75rem 0 0;padding:0}
ol.updates li{border-top:1px solid var(--line);padding:.5rem 0}
ol.updates p{margin:0;white-space:pre-wrap;overflow-wrap:anywhere}
ul.components{list-style:none;margin:0;padding:0}
ul.components>li{border:1px solid var(--line);border-radius:.5rem;padding:.75rem 1rem;margin:0 0 .75rem}
.row{display:flex;flex-wrap:wrap;justify-content:space-between;gap:.25rem 1rem}
.name{font-weight:600}
.state{font-weight:600}
.s-operational{color:var(--ok)}.s-degraded_performance{color:var(--minor)}.s-partial_outage{color:var(--major)}.s-major_outage{color:var(--critical)}.s-under_maintenance{color:var(--maint)}
ol.strip{display:flex;gap:1px;list-style:none;margin:.5rem 0 .25rem;padding:0;height:2rem}
ol.strip li{flex:1;min-width:0;background:var(--ok);border-radius:1px}
ol.strip li.d-degraded_performance{background:var(--minor)}ol.strip li.d-partial_outage{background:var(--major)}ol.strip li.d-major_outage{background:var(--critical)}ol.strip li.d-under_maintenance{background:var(--maint)}
.strip-legend{display:flex;justify-content:space-between;color:var(--muted);font-size:.8rem}
.sr{position:absolute;width:1px;height:1px;overflow:hidden;clip:rect(0 0 0 0);white-space:nowrap}
ul.history{list-style:none;padding:0}
ul.history li{padding:.5rem 0;border-bottom:1px solid var(--line)}
footer{color:var(--muted);font-size:.9rem;border-top:1px solid var(--line);margin-top:2rem}
.strip-legend .from-short{display:none}
@media (max-width:40em){body{font-size:15px}ol.strip li:nth-child(-n+${Math.max(0, days - 30)}){display:none}.strip-legend .from-long{display:none}.strip-legend .from-short{display:inline}}
`;
}

function layout(model: PageModel, root: string, title: string, body: string): string {
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="color-scheme" content="light dark">
<title>${e(title)}</title>
<link rel="stylesheet" href="${root}style.css">
<link rel="icon" href="data:,">
<link rel="alternate" type="application/atom+xml" title="${e(model.name)} — incident history" href="${root}history.atom">
</head>
<body>
<a class="skip" href="#main">Skip to content</a>
<header><p class="meta"><a href="${root}index.html">${e(model.name)}</a></p></header>
<main id="main">
${body}
</main>
<footer><p>Last change ${time(model.updatedAt)} · <a href="${root}history/index.html">Incident history</a> · <a href="${root}history.atom">Atom feed</a> · <a href="${root}api/v2/summary.json">JSON (Statuspage v2)</a></p></footer>
</body>
</html>
`;
}

function componentNames(model: PageModel, ids: string[]): string {
  return ids.map((id) => model.components.find((c) => c.id === id)?.name ?? id).join(', ');
}

function updateItem(u: ShownUpdate): string {
  return `<li><p><strong>${STATUS_LABELS[u.status]}</strong> — ${e(u.body)}</p><p class="meta">${time(u.at)}</p></li>`;
}

function incidentCard(model: PageModel, v: IncidentView, root: string, heading: 'h2' | 'h3'): string {
  const i = v.incident;
  const affects = v.components.length ? ` · Affects ${e(componentNames(model, v.components))}` : '';
  return `<article class="card" id="${i.id.toLowerCase()}">
<${heading}><a href="${root}history/${incidentFile(i.id)}">${e(i.title)}</a></${heading}>
<p class="meta">${STATUS_LABELS[v.status]} · Impact: ${IMPACT_LABELS[v.impact]}${affects}</p>
${v.updates.length ? `<ol class="updates">\n${v.updates.map(updateItem).join('\n')}\n</ol>` : ''}
</article>`;
}

function maintenanceCard(model: PageModel, m: Maintenance): string {
  return `<article class="card" id="${m.id.toLowerCase()}">
<h3>${e(m.title)}</h3>
<p class="meta">${MAINTENANCE_LABELS[m.status]} · ${time(m.startedAt ?? m.scheduledFor)} → ${time(m.completedAt ?? m.scheduledUntil)} · Affects ${e(componentNames(model, m.components))}</p>
${m.body ? `<p>${e(m.body)}</p>` : ''}
</article>`;
}

function dayLabel(d: DayCell): string {
  const parts = (Object.keys(d.minutes) as ShownState[])
    .filter((s) => s !== 'operational')
    .map((s) => `${STATE_LABELS[s].toLowerCase()} ${Math.round(d.minutes[s]!)} min`);
  return `${d.date}: ${parts.length ? parts.join(', ') : 'no incidents'} · ${d.uptimePercent}% uptime`;
}

function componentItem(c: ComponentView, days: number): string {
  const cells = c.days
    .map((d) => {
      const label = e(dayLabel(d));
      return d.state === 'operational'
        ? `<li title="${label}"></li>`
        : `<li class="d-${d.state}" title="${label}"><span class="sr">${label}</span></li>`;
    })
    .join('');
  return `<li id="component-${c.id}">
<div class="row"><span class="name">${e(c.name)}</span><span class="state s-${c.state}">${STATE_LABELS[c.state]}</span></div>
${c.description ? `<p class="meta">${e(c.description)}</p>` : ''}
<ol class="strip" aria-label="${e(c.name)}: daily history">${cells}</ol>
<div class="strip-legend"><span><span class="from-long">${days} days ago</span><span class="from-short">30 days ago</span></span><span>${c.uptimePercent}% uptime</span><span>Today</span></div>
</li>`;
}

export function indexHtml(model: PageModel, days: number): string {
  const sections: string[] = [
    `<h1>${e(model.name)}</h1>`,
    `<p class="banner ${model.indicator}" role="status">${e(model.description)}</p>`,
  ];
  if (model.active.length) {
    sections.push(
      `<section aria-labelledby="h-active"><h2 id="h-active">Maintenance in progress</h2>\n${model.active.map((m) => maintenanceCard(model, m.maintenance)).join('\n')}\n</section>`,
    );
  }
  if (model.open.length) {
    sections.push(
      `<section aria-labelledby="h-open"><h2 id="h-open">Current incidents</h2>\n${model.open.map((v) => incidentCard(model, v, '', 'h3')).join('\n')}\n</section>`,
    );
  }
  const groups = model.groups
    .map((g) =>
      g.name === null
        ? `<ul class="components">\n${g.components.map((c) => componentItem(c, days)).join('\n')}\n</ul>`
        : `<h3>${e(g.name)}</h3>\n<ul class="components">\n${g.components.map((c) => componentItem(c, days)).join('\n')}\n</ul>`,
    )
    .join('\n');
  sections.push(
    `<section aria-labelledby="h-components"><h2 id="h-components">Components</h2>\n<p class="meta">Uptime over the last ${days} days (${model.firstDay} to ${model.lastDay}, UTC): a major outage counts in full, a partial outage at 30 %.</p>\n${groups || '<p>No components are listed.</p>'}\n</section>`,
  );
  if (model.upcoming.length) {
    sections.push(
      `<section aria-labelledby="h-upcoming"><h2 id="h-upcoming">Scheduled maintenance</h2>\n${model.upcoming.map((m) => maintenanceCard(model, m.maintenance)).join('\n')}\n</section>`,
    );
  }
  if (model.completed.length) {
    sections.push(
      `<section aria-labelledby="h-completed"><h2 id="h-completed">Completed maintenance</h2>\n${model.completed.map((m) => maintenanceCard(model, m.maintenance)).join('\n')}\n</section>`,
    );
  }
  const past = model.incidents.filter((v) => !model.open.includes(v)).slice(0, 10);
  sections.push(
    `<section aria-labelledby="h-past"><h2 id="h-past">Past incidents</h2>\n${past.length ? `<ul class="history">\n${past.map((v) => historyItem(v, '')).join('\n')}\n</ul>` : '<p>No incidents reported.</p>'}\n<p><a href="history/index.html">All incidents</a></p>\n</section>`,
  );
  return layout(model, '', model.name, sections.join('\n'));
}

function historyItem(v: IncidentView, root: string): string {
  const i = v.incident;
  return `<li><a href="${root}history/${incidentFile(i.id)}">${e(i.title)}</a> <span class="meta">· ${STATUS_LABELS[v.status]} · ${time(i.startedAt)}${v.resolvedAt ? ` → ${time(v.resolvedAt)}` : ''}</span></li>`;
}

export function historyIndexHtml(model: PageModel): string {
  const months = new Map<string, IncidentView[]>();
  for (const v of model.incidents) {
    const iso = v.incident.startedAt.toISOString();
    const key = `${MONTHS[Number(iso.slice(5, 7)) - 1]} ${iso.slice(0, 4)}`;
    const list = months.get(key) ?? [];
    list.push(v);
    months.set(key, list);
  }
  const body = [`<h1>Incident history</h1>`];
  if (months.size === 0) body.push('<p>No incidents reported.</p>');
  for (const [month, list] of months) {
    body.push(`<h2>${month}</h2>\n<ul class="history">\n${list.map((v) => historyItem(v, '../')).join('\n')}\n</ul>`);
  }
  return layout(model, '../', `Incident history — ${model.name}`, body.join('\n'));
}

export function incidentHtml(model: PageModel, v: IncidentView): string {
  const i = v.incident;
  const affects = v.components.length ? `<p>Affected: ${e(componentNames(model, v.components))}</p>` : '';
  const body = `<h1>${e(i.title)}</h1>
<p class="meta">${STATUS_LABELS[v.status]} · Impact: ${IMPACT_LABELS[v.impact]} · Started ${time(i.startedAt)}${v.resolvedAt ? ` · Resolved ${time(v.resolvedAt)}` : ''}</p>
${affects}
<h2>Updates</h2>
${v.updates.length ? `<ol class="updates">\n${v.updates.map(updateItem).join('\n')}\n</ol>` : '<p>No updates yet.</p>'}`;
  return layout(model, '../', `${i.title} — ${model.name}`, body);
}

export type { MaintenanceView };
