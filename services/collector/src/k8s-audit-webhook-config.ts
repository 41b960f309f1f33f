import { Type, type Static } from '@sinclair/typebox';
import { ConfigError } from '@vigil/common';

/**
 * The Kubernetes API server's audit webhook (`--audit-webhook-config-file`): the API server POSTs `audit.k8s.io/v1`
 * EventList batches here over HTTPS, and each item becomes one raw event exactly as the line the log backend
 * (`--audit-log-path`) would have written, with `location` as that file's path.
 */
export const K8sAuditWebhookConfig = Type.Object(
  {
    enabled: Type.Boolean({ default: false }),
    listen: Type.String({ minLength: 1, default: '0.0.0.0', description: 'Address to listen on' }),
    port: Type.Integer({ minimum: 0, maximum: 65535, default: 8443, description: '0: any free port (tests)' }),
    tlsCert: Type.Optional(Type.String({ minLength: 1, description: "PEM file of the endpoint's certificate (required when enabled)" })),
    tlsKey: Type.Optional(Type.String({ minLength: 1, description: "PEM file of the endpoint's private key (required when enabled)" })),
    clientCa: Type.Optional(
      Type.String({ minLength: 1, description: 'PEM file of the CA that issued the API server’s client certificate: a request without a certificate signed by it is refused' }),
    ),
    tokenEnv: Type.Optional(
      Type.String({ pattern: '^[A-Za-z_][A-Za-z0-9_]*$', description: 'Environment variable holding the bearer token the API server sends (the `token` of its webhook kubeconfig); a request without it is refused' }),
    ),
    location: Type.String({
      minLength: 1,
      default: '/var/log/kubernetes/audit/audit.log',
      description: 'Location of the events: the path under which the audit log file would be collected, so that decoding and rules are the same for both',
    }),
    maxBodyBytes: Type.Integer({ minimum: 1024, default: 32 * 1024 * 1024, description: 'Larger request bodies are refused (413) and reported' }),
  },
  { additionalProperties: false, default: {} },
);
export type K8sAuditWebhookConfig = Static<typeof K8sAuditWebhookConfig>;

/** What the schema cannot say: an enabled webhook needs its certificate and key, and at least one way to authenticate the API server. */
export function checkK8sAuditWebhookConfig(config: K8sAuditWebhookConfig, env: NodeJS.ProcessEnv = process.env): void {
  if (!config.enabled) return;
  const key = 'collector.k8sAuditWebhook';
  if (!config.tlsCert || !config.tlsKey) throw new ConfigError(`${key}: tlsCert and tlsKey are required when enabled (the API server only posts over HTTPS)`);
  if (!config.clientCa && !config.tokenEnv) throw new ConfigError(`${key}: set clientCa (client certificates) or tokenEnv (bearer token), or both: an unauthenticated endpoint would take forged audit events`);
  if (config.tokenEnv && !env[config.tokenEnv]) throw new ConfigError(`${key}.tokenEnv: the environment variable ${config.tokenEnv} is not set or empty`);
}
