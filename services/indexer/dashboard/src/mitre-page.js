import { html } from './html.js';
import { getJson } from './api.js';
import { useApi } from './use-api.js';
import { href } from './route.js';
import { Loaded } from './widgets.js';
import { ATTACK_SOURCE, TACTICS, TECHNIQUES } from './mitre-data.js';

const PARENTS = Object.entries(TECHNIQUES).filter(([id]) => !id.includes('.'));

/** Tactics × techniques, each cell coloured by its alert count (sub-techniques count towards their parent). */
export function MitrePage({ params }) {
  const from = params.from ?? '7d';
  const only = params.only !== '0';
  const state = useApi(() => getJson('/aggregations', { by: 'mitre', from, size: 1000 }), from);
  return html`<section class="mitre-page">
    <h2>MITRE ATT&CK</h2>
    <p class="muted">Last ${from} · <a href=${href('mitre', { from, only: only ? '0' : undefined })}>${only ? 'show every technique' : 'only techniques with alerts'}</a> · ${ATTACK_SOURCE.split(' (')[0]}</p>
    <${Loaded} state=${state}>${(d) => {
      const counts = new Map();
      for (const b of d.buckets) counts.set(b.key.split('.')[0], (counts.get(b.key.split('.')[0]) ?? 0) + b.count);
      const max = Math.max(1, ...counts.values());
      return html`<div class="matrix">${TACTICS.map((t) => {
        const cells = PARENTS.filter(([id, tech]) => tech.tactics.includes(t.name) && (!only || counts.has(id)));
        const total = cells.reduce((s, [id]) => s + (counts.get(id) ?? 0), 0);
        return html`<div class="tactic" data-tactic=${t.name}><h3>${t.name} <span class="count">${total}</span></h3>
          ${cells.map(([id, tech]) => {
            const n = counts.get(id) ?? 0;
            const subs = d.buckets.filter((b) => b.key === id || b.key.startsWith(`${id}.`));
            return html`<div class="technique" data-technique=${id} style=${n ? `background: rgba(224, 69, 58, ${0.15 + (0.75 * n) / max})` : ''}>
              <b>${id}</b> ${tech.name} ${n ? html`<span class="count">${n}</span>` : ''}
              ${subs.map((b) => html`<div class="sub"><a href=${href('events', { compliance: `mitre:${b.key}`, from })}>${b.key} ${TECHNIQUES[b.key]?.name ?? ''}: ${b.count}</a></div>`)}
            </div>`;
          })}</div>`;
      })}</div>`;
    }}<//>
  </section>`;
}
