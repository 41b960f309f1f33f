import { html } from './html.js';
import { getJson } from './api.js';
import { useApi } from './use-api.js';
import { href } from './route.js';
import { Level, Loaded } from './widgets.js';
import { TECHNIQUES } from './mitre-data.js';

const STANDARDS = ['pci_dss', 'gdpr', 'hipaa', 'nist_800_53', 'tsc', 'gpg13', 'cis'];

/** Flattens nested decoded fields to `a.b.c = value` rows. */
function flatten(value, prefix = '', out = []) {
  if (value !== null && typeof value === 'object' && !Array.isArray(value)) {
    for (const [k, v] of Object.entries(value)) flatten(v, prefix ? `${prefix}.${k}` : k, out);
  } else out.push([prefix, Array.isArray(value) ? value.join(', ') : String(value)]);
  return out;
}

const Fields = ({ rows }) => html`<table class="fields">${rows.map(([k, v]) => html`<tr><th>${k}</th><td>${v}</td></tr>`)}</table>`;

/** One alert: rule, decoder, decoded fields, full log, previous output, compliance and MITRE with names, links. */
export function AlertPage({ id }) {
  const state = useApi(() => getJson(`/alerts/${encodeURIComponent(id)}`), id);
  return html`<${Loaded} state=${state}>${(a) => {
    const mitre = a.rule.mitre ?? {};
    return html`<section class="alert-detail">
      <h2><${Level} level=${a.rule.level} /> ${a.rule.description}</h2>
      <${Fields} rows=${[
        ['time', a.timestamp],
        ['agent', html`<a href=${href('agent', {}, a.agent.id)}>${a.agent.name} (${a.agent.id})</a>`],
        ['rule', html`<a href=${href('events', { rule: a.rule.id })}>${a.rule.id}</a> · fired ${a.rule.firedtimes ?? 1} times`],
        ['groups', html`${(a.rule.groups ?? []).map((g) => html`<a class="tag" href=${href('events', { group: g })}>${g}</a> `)}`],
        ['location', a.location ?? ''],
        ['alert id', a.id],
      ]} />
      <h3>Decoder</h3>
      <${Fields} rows=${[['decoder', a.decoder?.name ?? ''], ...(a.decoder?.parent ? [['parent', a.decoder.parent]] : []), ...flatten(a.predecoder ?? {}, 'predecoder')]} />
      <h3>Decoded fields</h3>
      <div class="decoded">${a.data || a.syscheck ? html`<${Fields} rows=${[...flatten(a.data ?? {}), ...flatten(a.syscheck ?? {}, 'syscheck')]} />` : html`<p class="muted">none</p>`}</div>
      <h3>Full log</h3>
      <pre class="full-log">${a.full_log ?? ''}</pre>
      ${a.previous_output ? html`<h3>Previous output (correlated events)</h3><pre class="previous-output">${a.previous_output}</pre>` : ''}
      <h3>MITRE ATT&CK</h3>
      <div class="mitre">${(mitre.id ?? []).length === 0 ? html`<p class="muted">none</p>` : html`<table class="fields">${mitre.id.map((t, i) => html`<tr>
        <th><a href=${href('events', { compliance: `mitre:${t}` })}>${t}</a></th>
        <td>${mitre.technique?.[i] ?? TECHNIQUES[t]?.name ?? ''}</td>
        <td class="muted">${(TECHNIQUES[t]?.tactics ?? mitre.tactic ?? []).join(', ')}</td></tr>`)}</table>`}</div>
      <h3>Compliance</h3>
      <div class="compliance">${STANDARDS.filter((s) => a.rule[s]?.length).map((s) => html`<div><b>${s}</b> ${a.rule[s].map((r) => html`<a class="tag" href=${href('compliance', { standard: s, requirement: r })}>${r}</a> `)}</div>`)}</div>
      <details><summary>JSON</summary><pre>${JSON.stringify(a, null, 2)}</pre></details>
    </section>`;
  }}<//>`;
}
