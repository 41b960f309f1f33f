/**
 * Who may post audit events: the API server, known by its client certificate (verified by the TLS layer against
 * `clientCa`) and/or the bearer token of its webhook kubeconfig. Every configured method must pass.
 */
export interface WebhookCredentials {
  /** Whether a client certificate is required, and what the TLS layer found. */
  certificate: { required: boolean; presented: boolean; verified: boolean; error?: string | undefined };
  /** The expected token (undefined: no token required) and the `Authorization` header received. */
  token: { expected: string | undefined; header: string | undefined; equal: (a: string, b: string) => boolean };
}

export type AuthDecision = { ok: true } | { ok: false; status: 401 | 403; reason: string };

/** 401 when a required credential is missing, 403 when one is presented but wrong. */
export function authorizeWebhook(c: WebhookCredentials): AuthDecision {
  if (c.certificate.required) {
    if (!c.certificate.presented) return { ok: false, status: 401, reason: 'no client certificate' };
    if (!c.certificate.verified) return { ok: false, status: 403, reason: `client certificate not trusted: ${c.certificate.error ?? 'not signed by clientCa'}` };
  }
  if (c.token.expected !== undefined) {
    const header = c.token.header;
    if (header === undefined || header === '') return { ok: false, status: 401, reason: 'no bearer token' };
    const m = /^Bearer\s+(\S+)\s*$/i.exec(header);
    if (!m) return { ok: false, status: 401, reason: 'Authorization is not a bearer token' };
    if (!c.token.equal(m[1] as string, c.token.expected)) return { ok: false, status: 403, reason: 'wrong bearer token' };
  }
  return { ok: true };
}
