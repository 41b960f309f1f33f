import { useState } from 'preact/hooks';
import { html } from './html.js';
import { postJson } from './api.js';
import { ErrorBox } from './widgets.js';

const EXAMPLE = 'Dec 10 01:02:03 web01 sshd[1234]: Failed password for root from 203.0.113.7 port 52113 ssh2';

/** Rule testing: pasted log lines through `vigil logtest` (one session), its output as it prints it. */
export function LogtestPage() {
  const [result, setResult] = useState();
  const [error, setError] = useState();
  const [busy, setBusy] = useState(false);
  const submit = async (e) => {
    e.preventDefault();
    setBusy(true);
    setError(undefined);
    try {
      setResult(await postJson('/ui/logtest', { lines: new FormData(e.target).get('lines') }));
    } catch (err) {
      setError(err);
      setResult(undefined);
    } finally {
      setBusy(false);
    }
  };
  return html`<section class="logtest">
    <h2>Rule testing</h2>
    <p class="muted">Log lines, one per line, through the configured rulesets as <code>vigil logtest</code> runs them: pre-decoding, decoding and the rule that fires. The lines form one session (correlation included).</p>
    <form onSubmit=${submit}>
      <textarea name="lines" rows="6" placeholder=${EXAMPLE}></textarea>
      <button type="submit" disabled=${busy}>${busy ? 'Testing…' : 'Test'}</button>
    </form>
    ${error ? html`<${ErrorBox} error=${error} />` : ''}
    ${result ? html`${result.messages ? html`<pre class="logtest-messages muted">${result.messages}</pre>` : ''}<pre class="logtest-output">${result.output || '(no output)'}</pre>` : ''}
  </section>`;
}
