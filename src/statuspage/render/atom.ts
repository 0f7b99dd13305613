/** The incident history as an Atom feed (RFC 4287): one entry per incident, its public updates as content. */
import type { IncidentView, PageModel } from '../page.js';
import { escapeHtml, escapeXml, incidentFile } from './escape.js';
import { humanTime, STATUS_LABELS } from './html.js';
import { RECENT } from './json.js';

export function atomFeed(model: PageModel, base: string): string {
  const feedId = base ? `${base}history.atom` : `urn:ir:status-page:${encodeURIComponent(model.name)}`;
  const entries = model.incidents.slice(0, RECENT).map((v) => entry(v, base, feedId));
  return `<?xml version="1.0" encoding="utf-8"?>
<feed xmlns="http://www.w3.org/2005/Atom" xml:lang="en">
<id>${escapeXml(feedId)}</id>
<title>${escapeXml(model.name)} — incident history</title>
<updated>${model.updatedAt.toISOString()}</updated>
<link rel="self" type="application/atom+xml" href="${escapeXml(base)}history.atom"/>
<link rel="alternate" type="text/html" href="${escapeXml(base)}index.html"/>
<author><name>${escapeXml(model.name)}</name></author>
${entries.join('\n')}${entries.length ? '\n' : ''}</feed>
`;
}

function entry(v: IncidentView, base: string, feedId: string): string {
  const i = v.incident;
  const content = v.updates
    .map(
      (u) =>
        `<p><small>${humanTime(u.at)}</small><br><strong>${STATUS_LABELS[u.status]}</strong> — ${escapeHtml(u.body)}</p>`,
    )
    .join('');
  return `<entry>
<id>${escapeXml(base ? `${base}history/${incidentFile(i.id)}` : `${feedId}:${i.id}`)}</id>
<title>${escapeXml(i.title)}</title>
<published>${i.declaredAt.toISOString()}</published>
<updated>${v.updatedAt.toISOString()}</updated>
<link rel="alternate" type="text/html" href="${escapeXml(base)}history/${incidentFile(i.id)}"/>
<content type="html">${escapeXml(content || `<p>${STATUS_LABELS[v.status]}</p>`)}</content>
</entry>`;
}
