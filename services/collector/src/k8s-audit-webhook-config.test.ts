import { test } from 'node:test';
import assert from 'node:assert/strict';
import { loadConfig } from '@vigil/common';
import { checkK8sAuditWebhookConfig, K8sAuditWebhookConfig } from './k8s-audit-webhook-config.ts';

const config = (document: Record<string, unknown>) => loadConfig(K8sAuditWebhookConfig, { document });

test('the audit webhook is off by default; its defaults match the kubeadm audit log path', () => {
  const c = config({});
  assert.equal(c.enabled, false);
  assert.equal(c.location, '/var/log/kubernetes/audit/audit.log');
  checkK8sAuditWebhookConfig(c, {});
});

test('an enabled webhook needs TLS files and at least one way to authenticate the API server, checked at start-up', () => {
  assert.throws(() => checkK8sAuditWebhookConfig(config({ enabled: true, clientCa: 'ca.crt' }), {}), /tlsCert and tlsKey are required/);
  assert.throws(() => checkK8sAuditWebhookConfig(config({ enabled: true, tlsCert: 'a.crt', tlsKey: 'a.key' }), {}), /set clientCa .* or tokenEnv/);
  assert.throws(() => checkK8sAuditWebhookConfig(config({ enabled: true, tlsCert: 'a.crt', tlsKey: 'a.key', tokenEnv: 'AUDIT_TOKEN' }), {}), /AUDIT_TOKEN is not set/);
  checkK8sAuditWebhookConfig(config({ enabled: true, tlsCert: 'a.crt', tlsKey: 'a.key', tokenEnv: 'AUDIT_TOKEN' }), { AUDIT_TOKEN: 'x' });
  checkK8sAuditWebhookConfig(config({ enabled: true, tlsCert: 'a.crt', tlsKey: 'a.key', clientCa: 'ca.crt' }), {});
  assert.throws(() => config({ enabled: true, tokenEnv: 'not a name' }), /tokenEnv/);
});
