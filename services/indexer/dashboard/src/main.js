import { render } from 'preact';
import { useEffect, useState } from 'preact/hooks';
import { html } from './html.js';
import { getJson, postJson } from './api.js';
import { href, useRoute } from './route.js';
import { EventsPage } from './events-page.js';
import { AlertPage } from './alert-page.js';
import { AgentPage, AgentsPage } from './agents-page.js';
import { CompliancePage } from './compliance-page.js';
import { MitrePage } from './mitre-page.js';
import { LoginPage } from './login-page.js';
import { LogtestPage } from './logtest-page.js';
import { NOT_YET_PAGES, NotYetPage } from './not-yet-page.js';

const NAV = [
  ['events', 'Security events'],
  ['agents', 'Agents'],
  ['compliance', 'Compliance'],
  ['mitre', 'MITRE ATT&CK'],
  ['logtest', 'Rule testing'],
  ['vulnerabilities', 'Vulnerabilities'],
  ['inventory', 'Inventory'],
  ['response', 'Active response'],
];

function Page({ route }) {
  switch (route.page) {
    case 'events':
      return html`<${EventsPage} params=${route.params} />`;
    case 'alert':
      return html`<${AlertPage} id=${route.arg} />`;
    case 'agents':
      return html`<${AgentsPage} />`;
    case 'agent':
      return html`<${AgentPage} id=${route.arg} />`;
    case 'compliance':
      return html`<${CompliancePage} params=${route.params} />`;
    case 'mitre':
      return html`<${MitrePage} params=${route.params} />`;
    case 'logtest':
      return html`<${LogtestPage} />`;
    default:
      return NOT_YET_PAGES.includes(route.page) ? html`<${NotYetPage} page=${route.page} />` : html`<p class="error">No page “${route.page}”.</p>`;
  }
}

/** The app: asks /ui/session first and shows the login page until there is a session; nothing else loads before. */
function App() {
  const [session, setSession] = useState();
  const route = useRoute();
  const check = () => getJson('/ui/session').then(setSession, (error) => setSession({ authenticated: false, methods: [], error }));
  useEffect(() => {
    check();
    const onLoggedOut = () => check();
    window.addEventListener('vigil:logged-out', onLoggedOut);
    return () => window.removeEventListener('vigil:logged-out', onLoggedOut);
  }, []);
  if (!session) return html`<p class="muted">Loading…</p>`;
  if (!session.authenticated) return html`<${LoginPage} methods=${session.methods} onLogin=${check} />`;
  const logout = async () => {
    await postJson('/ui/logout', {});
    check();
  };
  const current = route.page === 'alert' ? 'events' : route.page === 'agent' ? 'agents' : route.page;
  return html`<div class="app">
    <header><b class="brand">Vigil</b>
      <nav>${NAV.map(([page, title]) => html`<a class=${page === current ? 'on' : ''} href=${href(page)}>${title}</a>`)}</nav>
      ${session.user !== 'anonymous' ? html`<button class="logout" onClick=${logout}>log out</button>` : ''}
    </header>
    <main><${Page} route=${route} /></main>
  </div>`;
}

render(html`<${App} />`, document.getElementById('app'));
