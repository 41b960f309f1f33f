import { html } from './html.js';
import { getJson } from './api.js';
import { useApi } from './use-api.js';
import { href } from './route.js';
import { Loaded, time } from './widgets.js';
import { AlertTable } from './events-page.js';

/** An agent is active when it sent an alert in the last 15 minutes, silent otherwise. */
const ACTIVE_MS = 15 * 60_000;
const status = (agent) => (Date.now() - Date.parse(agent.lastAlert) < ACTIVE_MS ? html`<span class="ok">active</span>` : html`<span class="warn">silent since ${time(agent.lastAlert)}</span>`);

export function AgentsPage() {
  const state = useApi(() => getJson('/agents'), 'agents');
  return html`<section><h2>Agents</h2><${Loaded} state=${state}>${({ items }) => html`<table class="agents">
    <thead><tr><th>id</th><th>name</th><th>IP</th><th>status</th><th>OS</th><th>version</th><th>first alert</th></tr></thead>
    <tbody>${items.map((a) => html`<tr data-agent=${a.id}>
      <td><a href=${href('agent', {}, a.id)}>${a.id}</a></td><td><a href=${href('agent', {}, a.id)}>${a.name}</a></td><td>${a.ip ?? ''}</td>
      <td>${status(a)}</td><td class="muted">${a.os ?? 'not reported'}</td><td class="muted">${a.version ?? 'not reported'}</td><td>${time(a.firstAlert)}</td></tr>`)}</tbody>
  </table>`}<//></section>`;
}

/** One agent: its recent alerts, FIM changes (syscheck alerts) and SCA results with the failing checks. */
export function AgentPage({ id }) {
  const alerts = useApi(() => getJson('/alerts', { agent: id, limit: 20 }), id);
  const fim = useApi(() => getJson('/alerts', { agent: id, group: 'syscheck', limit: 20 }), id);
  const sca = useApi(() => getJson(`/agents/${encodeURIComponent(id)}/sca`), id);
  return html`<section class="agent">
    <h2>Agent ${id}</h2>
    <p><a href=${href('events', { agent: id })}>all its events</a></p>
    <h3>Recent alerts</h3>
    <${Loaded} state=${alerts}>${(d) => html`<${AlertTable} alerts=${d.items} />`}<//>
    <h3>File integrity changes</h3>
    <${Loaded} state=${fim}>${(d) => d.items.length === 0 ? html`<p class="muted">none</p>` : html`<table class="fim">
      <thead><tr><th>time</th><th>path</th><th>event</th><th>changed</th></tr></thead>
      <tbody>${d.items.map((a) => html`<tr><td class="nowrap"><a href=${href('alert', {}, a.id)}>${a.timestamp}</a></td><td>${a.syscheck?.path ?? ''}</td><td>${a.syscheck?.event ?? ''}</td><td>${(a.syscheck?.changed_attributes ?? []).join(', ')}</td></tr>`)}</tbody></table>`}<//>
    <h3>Configuration assessment (SCA)</h3>
    <${Loaded} state=${sca}>${(r) => html`
      ${r.summaries.length === 0 ? html`<p class="muted">no scan summary yet</p>` : html`<table class="sca-summary"><thead><tr><th>policy</th><th>score</th><th>passed</th><th>failed</th><th>scan</th></tr></thead>
        <tbody>${r.summaries.map((s) => html`<tr><td>${s.name} <span class="muted">${s.policyId}</span></td><td>${s.score}%</td><td>${s.passed}</td><td>${s.failed}</td><td>${time(s.time)}</td></tr>`)}</tbody></table>`}
      <h4>Failing checks</h4>
      ${r.checks.filter((c) => c.result === 'failed').length === 0 ? html`<p class="muted">none</p>` : html`<table class="sca-failed"><thead><tr><th>policy</th><th>check</th><th>title</th><th>since</th></tr></thead>
        <tbody>${r.checks.filter((c) => c.result === 'failed').map((c) => html`<tr><td>${c.policy}</td><td>${c.checkId}</td><td><a href=${href('alert', {}, c.alertId)}>${c.title}</a></td><td>${time(c.time)}</td></tr>`)}</tbody></table>`}`}<//>
  </section>`;
}
