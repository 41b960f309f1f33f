import { html } from './html.js';

export const ErrorBox = ({ error }) =>
  html`<div class="error" role="alert">${error.parameter ? html`<b>Filter “${error.parameter}”: </b>` : ''}${error.parameter ? error.message.replace(/^parameter '[^']*': /, '') : error.message}</div>`;

/** Loading, error or the content of one API answer. */
export function Loaded({ state, children }) {
  if (state.error) return html`<${ErrorBox} error=${state.error} />`;
  if (!state.data) return html`<p class="muted">Loading…</p>`;
  return children(state.data);
}

export const time = (t) => (t ? new Date(t).toISOString().replace('T', ' ').replace(/\.\d+Z$/, 'Z').replace(/Z$/, ' UTC') : '');

/** Wazuh's level bands: 0–6 low, 7–11 medium, 12+ high. */
export const levelClass = (level) => (level >= 12 ? 'lvl-high' : level >= 7 ? 'lvl-med' : 'lvl-low');
export const Level = ({ level }) => html`<span class=${`level ${levelClass(level)}`}>${level}</span>`;
