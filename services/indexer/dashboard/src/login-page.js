import { useState } from 'preact/hooks';
import { html } from './html.js';
import { postJson } from './api.js';

/** The only page shown before login: the configured token, or a user name and password. */
export function LoginPage({ methods, onLogin }) {
  const [error, setError] = useState();
  const submit = async (e) => {
    e.preventDefault();
    const data = Object.fromEntries(new FormData(e.target));
    try {
      await postJson('/ui/login', data.token ? { token: data.token } : { username: data.username, password: data.password });
      onLogin();
    } catch (err) {
      setError(err.message);
    }
  };
  return html`<main class="login"><form onSubmit=${submit}>
    <h1>Vigil</h1>
    ${methods.includes('token') ? html`<label>API token <input name="token" type="password" autocomplete="current-password" /></label>` : ''}
    ${methods.includes('password') ? html`<label>User <input name="username" autocomplete="username" /></label><label>Password <input name="password" type="password" autocomplete="current-password" /></label>` : ''}
    <button type="submit">Log in</button>
    ${error ? html`<p class="error" role="alert">${error}</p>` : ''}
  </form></main>`;
}
