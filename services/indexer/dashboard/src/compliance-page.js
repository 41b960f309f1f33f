import { html } from './html.js';
import { getJson } from './api.js';
import { useApi } from './use-api.js';
import { href } from './route.js';
import { Loaded } from './widgets.js';
import { AlertTable } from './events-page.js';

const STANDARDS = [
  ['pci_dss', 'PCI DSS'],
  ['gdpr', 'GDPR'],
  ['hipaa', 'HIPAA'],
  ['nist_800_53', 'NIST 800-53'],
  ['tsc', 'TSC'],
];

/** Alert counts per requirement of one standard over a time range; a requirement's alerts below it. */
export function CompliancePage({ params }) {
  const standard = STANDARDS.some(([s]) => s === params.standard) ? params.standard : 'pci_dss';
  const from = params.from ?? '7d';
  // No compliance filter: with only a time range the counts come from the hourly rollup (a filter would read every
  // tag row of the range); the exact counts of this standard's requirements are the same either way.
  const counts = useApi(() => getJson('/aggregations', { by: 'compliance', from, size: 1000 }), `${standard}|${from}`);
  const requirement = params.requirement;
  const alerts = useApi(
    () => (requirement ? getJson('/alerts', { compliance: `${standard}:${requirement}`, from, limit: 50 }) : Promise.resolve(undefined)),
    `${standard}|${requirement}|${from}`,
  );
  return html`<section class="compliance-page">
    <h2>Regulatory compliance</h2>
    <nav class="tabs">${STANDARDS.map(([s, name]) => html`<a class=${s === standard ? 'on' : ''} href=${href('compliance', { standard: s, from })}>${name}</a>`)}
      <span class="muted"> over the last ${from}</span></nav>
    <${Loaded} state=${counts}>${(d) => {
      const rows = d.buckets.filter((b) => b.key.startsWith(`${standard}:`)).map((b) => ({ requirement: b.key.slice(standard.length + 1), count: b.count }));
      return rows.length === 0 ? html`<p class="muted">No alert maps to ${standard} in this range.</p>` : html`<table class="requirements">
        <thead><tr><th>requirement</th><th>alerts</th></tr></thead>
        <tbody>${rows.map((r) => html`<tr data-requirement=${r.requirement} class=${r.requirement === requirement ? 'on' : ''}>
          <td><a href=${href('compliance', { standard, from, requirement: r.requirement })}>${r.requirement}</a></td>
          <td class="count"><a href=${href('events', { compliance: `${standard}:${r.requirement}`, from })}>${r.count}</a></td></tr>`)}</tbody></table>`;
    }}<//>
    ${requirement ? html`<h3>Alerts behind ${standard} ${requirement}</h3><${Loaded} state=${alerts}>${(d) => html`<${AlertTable} alerts=${d?.items ?? []} />`}<//>` : ''}
  </section>`;
}
