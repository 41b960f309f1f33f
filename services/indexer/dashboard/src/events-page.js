import { useEffect, useState } from 'preact/hooks';
import { html } from './html.js';
import { getJson } from './api.js';
import { useApi } from './use-api.js';
import { href } from './route.js';
import { filtersOf, intervalFor } from './filters.js';
import { LevelHistogram } from './level-histogram.js';
import { ErrorBox, Level, time } from './widgets.js';
import { mitreName } from './mitre-data.js';

const PAGE = 50;
const FACETS = [
  { by: 'level', title: 'Level', filter: 'level', value: (k) => k, hint: 'minimum level' },
  { by: 'rule', title: 'Top rules', filter: 'rule' },
  { by: 'agent', title: 'Top agents', filter: 'agent' },
  { by: 'group', title: 'Top groups', filter: 'group' },
  { by: 'srcip', title: 'Top source IPs' },
  { by: 'compliance', title: 'Compliance', filter: 'compliance' },
  { by: 'mitre', title: 'MITRE ATT&CK', filter: 'compliance', value: (k) => `mitre:${k}`, label: (k) => mitreName(k) },
];

/** Security events: histogram by level, facets (top-N, each a filter), the alert table, the live tail. */
export function EventsPage({ params }) {
  const filters = filtersOf(params);
  const offset = Number(params.offset ?? 0) || 0;
  const [live, setLive] = useState(true);
  const [tick, setTick] = useState(0);
  useEffect(() => {
    if (!live) return undefined;
    const timer = setInterval(() => setTick((t) => t + 1), 3000);
    return () => clearInterval(timer);
  }, [live]);
  const key = `${JSON.stringify(filters)}|${offset}|${tick}`;
  const interval = intervalFor(filters);
  const table = useApi(() => getJson('/alerts', { ...filters, limit: PAGE, offset, count: 'true' }), key);
  const histogram = useApi(() => getJson('/aggregations', { ...filters, by: 'level', interval, size: 17 }), key);
  const facets = useApi(() => Promise.all(FACETS.map((f) => getJson('/aggregations', { ...filters, by: f.by, size: 8 }))), key);

  const go = (change) => {
    location.hash = href('events', { ...filters, ...change, offset: undefined });
  };
  const onSearch = (e) => {
    e.preventDefault();
    const data = new FormData(e.target);
    go({ q: data.get('q') || undefined, from: data.get('from') || undefined, to: data.get('to') || undefined });
  };
  const active = Object.entries(filters).filter(([k]) => k !== 'from' && k !== 'to');

  return html`<section class="events">
    <form class="search" onSubmit=${onSearch}>
      <input name="q" placeholder="Full-text search (words ANDed, word* prefix)" value=${filters.q ?? ''} />
      <label>from <input name="from" size="10" value=${filters.from ?? ''} title="24h, 7d, an ISO date or epoch ms" /></label>
      <label>to <input name="to" size="10" value=${filters.to ?? ''} placeholder="now" /></label>
      <button type="submit">Search</button>
      <label class="live"><input type="checkbox" checked=${live} onChange=${(e) => setLive(e.target.checked)} /> live</label>
    </form>
    <div class="chips">${active.map(([k, v]) => html`<a class="chip" href=${href('events', { ...filters, [k]: undefined })} title="remove this filter">${k}: ${v} ✕</a>`)}</div>
    ${table.error ? html`<${ErrorBox} error=${table.error} />` : ''}
    <div class="events-body">
      <aside class="facets">
        ${facets.data ? FACETS.map((f, i) => html`<div class="facet" data-facet=${f.by}>
          <h3>${f.title}</h3>
          ${facets.data[i].buckets.length === 0 ? html`<p class="muted">none</p>` : ''}
          <ul>${facets.data[i].buckets.map((b) => html`<li>
            ${f.filter ? html`<a href=${href('events', { ...filters, [f.filter]: f.value ? f.value(b.key) : b.key, offset: undefined })} title=${f.hint ?? ''}>${b.key}${b.label || f.label ? html` <span class="muted">${b.label ?? f.label(b.key)}</span>` : ''}</a>` : html`<span>${b.key}</span>`}
            <span class="count">${b.count}</span></li>`)}</ul>
        </div>`) : ''}
      </aside>
      <div class="main">
        ${histogram.data ? html`<${LevelHistogram} buckets=${histogram.data.buckets} intervalMs=${(histogram.data.interval ?? 60000)} />` : ''}
        ${table.data ? html`<${AlertTable} alerts=${table.data.items} />
          <p class="pager">${table.data.total} alerts${offset > 0 ? html` · <a href=${href('events', { ...filters, offset: Math.max(0, offset - PAGE) })}>newer</a>` : ''}${table.data.next !== undefined ? html` · <a href=${href('events', { ...filters, offset: table.data.next })}>older</a>` : ''}</p>` : ''}
      </div>
    </div>
  </section>`;
}

export function AlertTable({ alerts }) {
  if (alerts.length === 0) return html`<p class="muted">No alert matches.</p>`;
  return html`<table class="alerts">
    <thead><tr><th>time</th><th>agent</th><th>rule</th><th>level</th><th>description</th><th>MITRE</th></tr></thead>
    <tbody>${alerts.map((a) => html`<tr data-alert=${a.id}>
      <td class="nowrap"><a href=${href('alert', {}, a.id)}>${time(a.timestamp.replace(/\+0000$/, 'Z'))}</a></td>
      <td><a href=${href('agent', {}, a.agent.id)}>${a.agent.name}</a></td>
      <td><a href=${href('events', { rule: a.rule.id })}>${a.rule.id}</a></td>
      <td><${Level} level=${a.rule.level} /></td>
      <td><a href=${href('alert', {}, a.id)}>${a.rule.description}</a></td>
      <td>${(a.rule.mitre?.id ?? []).join(', ')}</td>
    </tr>`)}</tbody>
  </table>`;
}
