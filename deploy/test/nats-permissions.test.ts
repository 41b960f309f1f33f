import { test } from 'node:test';
import assert from 'node:assert/strict';
import { appendFileSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { connect, type NatsConnection } from '@nats-io/transport-node';
import { jetstream, jetstreamManager } from '@nats-io/jetstream';
import { connectBus, createLogger, ensureDurable, findNatsServer, listRulesetReplicas, trimConsumed } from '@vigil/common';
import { waitFor } from '@vigil/common/testing';
import { SERVICE_NAMES, startServices, type ServiceName } from '../../services/cli/src/services.ts';
import type { VigilConfig } from '../../services/cli/src/config.ts';
import { readDeadLetters } from '../../services/cli/src/commands/dlq.ts';
import { agentsCommand } from '../../services/cli/src/commands/agents.ts';
import { sshdLine, startWebhookRecorder, testConfig, testConfigDocument } from '../../services/cli/test/harness.ts';
import { NATS_CONFS, natsUsers, overlayPartitions, startConfiguredNats } from './nats-server-conf.ts';

/**
 * The NATS users of deploy/ (one per service, each with its own publish/subscribe allow lists) on a real
 * nats-server: the whole pipeline runs with each service on its own user, `vigil dlq` and `vigil agents` run
 * with the indexer's (as in docs/kubernetes.md), and what a service must not do is refused.
 */
const binary = findNatsServer();
const skip = binary ? undefined : 'nats-server is not installed (apt-get install -y nats-server)';
if (skip) console.log(`# skipping the NATS permission tests: ${skip}`);

const password = (user: string) => `test-password-${user}`;

function asUser(config: VigilConfig, user: string): VigilConfig {
  return { ...config, nats: { ...config.nats, user, password: password(user) } };
}

/** Violations the server logged, as `user publish|subscribe subject`. */
function violations(log: string): string[] {
  return [...log.matchAll(/(Publish|Subscription) Violation - User "([^"]+)", Subject "([^"]+)"/g)].map((m) => `${m[2]} ${m[1] === 'Publish' ? 'publish' : 'subscribe'} ${m[3]}`);
}

/** The permission errors a connection reported (status events), as `publish|subscription subject`. */
function permissionErrors(nc: NatsConnection): string[] {
  const seen: string[] = [];
  void (async () => {
    for await (const s of nc.status()) {
      const error = (s as { error?: { name?: string; operation?: string; subject?: string } }).error;
      if (s.type === 'error' && error?.name === 'PermissionViolationError') seen.push(`${error.operation} ${error.subject}`);
    }
  })();
  return seen;
}

for (const [overlay, confFile] of Object.entries(NATS_CONFS)) {
  test(`overlay ${overlay}: each service works under its own NATS user and is refused the rest`, { skip, timeout: 30_000 }, async (t) => {
    const conf = readFileSync(confFile, 'utf8');
    const users = natsUsers(conf);
    assert.deepEqual(users.map((u) => u.user).sort(), [...SERVICE_NAMES].sort(), 'one user per service');
    assert.ok(/permissions:/.test(conf), 'the users have permissions');
    // The file writes "$" as "\x24" in subjects (a "$" there is always an environment variable).
    assert.doesNotMatch(conf.replaceAll('\\x24', '$'), /"\$JS\.API\.>"|"\$JS\.>"|"hids\.>"|"\$KV\.>"|"\$JS\.ACK\.>"|"_INBOX\.\*"|"\*"|">"/, 'no blanket subjects');

    const dir = mkdtempSync(join(tmpdir(), `vigil-nats-perms-${overlay}-`));
    const env: Record<string, string> = { POD_NAME: 'vigil-nats-0' };
    for (const u of users) env[u.passwordVar] = password(u.user);
    const server = await startConfiguredNats(binary as string, conf, dir, env);
    const slack = await startWebhookRecorder();
    const running: Array<{ stop(): Promise<void> }> = [];
    const clients: NatsConnection[] = [];
    t.after(async () => {
      for (const r of running) await r.stop().catch(() => {});
      for (const c of clients) await c.close().catch(() => {});
      await slack.close();
      await server.stop();
      rmSync(dir, { recursive: true, force: true });
    });
    const client = async (user: string) => {
      // Each user may subscribe only to its own inboxes, as the services' connections use them.
      const nc = await connect({ servers: server.url, user, pass: password(user), name: `test-${user}`, inboxPrefix: `_INBOX_${user}` });
      clients.push(nc);
      return nc;
    };

    const watched = join(dir, 'auth.log');
    writeFileSync(watched, '');
    const document = testConfigDocument({ dataDir: join(dir, 'data'), natsUrl: server.url, watched: [watched], webhookUrl: slack.url });
    document['pipeline'] = { partitions: overlayPartitions(overlay), managerName: 'test-manager' };
    // Active response, dry run: the responder sends a command for the alert, the collector reports it (rule 201304).
    document['responder'] = { responses: [{ name: 'block', command: 'firewall-drop', rules: ['200100', '200103'] }] };
    (document['collector'] as Record<string, unknown>)['activeResponse'] = { enabled: true };
    const config = testConfig(document);
    const logger = createLogger({ level: 'error' });
    // Downstream first, each service alone on its connection and its user, as in the pods.
    for (const name of [...SERVICE_NAMES].reverse() as ServiceName[]) running.unshift(await startServices([name], asUser(config, name), logger));

    // 1. The pipeline: a line in a watched file becomes an indexed alert and a Slack post (KV hids_notified).
    const line = sshdLine('Failed password for root from 10.0.0.1 port 22 ssh2');
    appendFileSync(watched, line + '\n');
    // A raw event that is not JSON: the decoder dead-letters it (hids.dlq.decoder.*), for `vigil dlq` below.
    const collectorNc = await client('collector');
    await jetstream(collectorNc).publish('hids.raw.agent-1.log', 'not json', { msgID: 'agent-1:perm-test' });
    const db = new Database(config.indexer.sqlite.path, { readonly: true, fileMustExist: false });
    t.after(() => db.close());
    const logs = await waitFor(
      () => {
        try {
          const rows = db.prepare('SELECT json FROM alerts').all() as Array<{ json: string }>;
          return rows.length > 0 && slack.posts.length > 0 && rows.map((r) => (JSON.parse(r.json) as { full_log: string }).full_log);
        } catch {
          return undefined; // the table is created by the indexer
        }
      },
      20_000,
      'an indexed and posted alert',
    );
    assert.deepEqual(logs.filter((l) => !l.startsWith('vigil-collector')), [line]);
    // The dry-run command went responder → hids.ar.agent-1 → collector → its notice → an indexed alert.
    await waitFor(() => (db.prepare("SELECT count(*) AS n FROM alerts WHERE rule_id = '201304'").get() as { n: number }).n > 0, 20_000, 'the dry-run alert 201304');

    // 2. The operator commands, run in the indexer pod with the indexer's user.
    const indexerConfig = asUser(config, 'indexer');
    const letters = await waitFor(async () => {
      const l = await readDeadLetters(indexerConfig, logger);
      return l.length > 0 && l;
    }, 10_000, 'a dead letter');
    assert.deepEqual(letters.map((l) => [l.stage, l.subject]), [['decoder', 'hids.raw.agent-1.log']]);
    const printed: string[] = [];
    assert.equal(await agentsCommand(indexerConfig, logger, {}, (l) => printed.push(l)), 0);
    assert.equal(printed.length, 1);
    assert.match(printed[0] as string, /^host-1 \(agent-1\) .* active$/);
    // The ruleset registry (`vigil status`): the decoder and the rule engine recorded their hash under their users.
    const indexerBus = await connectBus(indexerConfig.nats, logger, 'test-rulesets');
    clients.push(indexerBus.nc);
    const replicas = await waitFor(async () => {
      const r = await listRulesetReplicas(indexerBus);
      return r.length >= 2 && r;
    }, 10_000, 'the ruleset registry');
    assert.deepEqual(replicas.map((r) => r.service).sort(), ['decoder', 'rule-engine']);

    // 3. Paths the run above does not take: every dead-letter stage of each service, a service started with new
    // stream limits (STREAM.UPDATE), a durable whose settings changed (CONSUMER.CREATE as an update).
    const dlqStages: Record<string, string[]> = {
      decoder: ['decoder'],
      'rule-engine': ['rule-engine'],
      indexer: ['indexer', 'indexer-elasticsearch', 'indexer-archives'],
      notifier: ['notifier', 'notifier-default'],
    };
    // The decoder raises the alert of a refused ruleset reload (rule 209001, as the manager) and no other.
    assert.ok((await jetstream(await client('decoder')).publish('hids.alerts.10.000.209001', '{}')).seq > 0, 'the decoder raises a refused reload');
    for (const [user, stages] of Object.entries(dlqStages)) {
      const js = jetstream(await client(user));
      for (const stage of stages) assert.ok((await js.publish(`hids.dlq.${stage}.PERMISSION_TEST`, '{}')).seq > 0, `${user} dead-letters as ${stage}`);
    }
    const changed = { ...config.nats, streams: { ...config.nats.streams, raw: { ...config.nats.streams.raw, maxAgeHours: config.nats.streams.raw.maxAgeHours + 1 } } };
    const updater = await connectBus({ ...changed, user: 'collector', password: password('collector') }, logger, 'test-stream-update');
    clients.push(updater.nc);
    assert.equal((await updater.jsm.streams.info('HIDS_RAW')).config.max_age, changed.streams.raw.maxAgeHours * 3600 * 1e9, 'the collector updated HIDS_RAW');
    const decoderBus = await connectBus({ ...config.nats, user: 'decoder', password: password('decoder'), consumers: { ...config.nats.consumers, ackWaitSeconds: 7 } }, logger, 'test-durable-update');
    clients.push(decoderBus.nc);
    await ensureDurable(decoderBus.jsm, decoderBus.config, { stream: 'HIDS_RAW', durable: 'decoder', filterSubject: 'hids.raw.>' });
    assert.equal((await decoderBus.jsm.consumers.info('HIDS_RAW', 'decoder')).config.ack_wait, 7e9, 'the decoder updated its durable');
    // Storage budgets: each stage trims its input stream of what was consumed; the indexer raises storage alerts.
    assert.ok((await trimConsumed(decoderBus.jsm, 'HIDS_RAW')) > 0, 'the decoder trimmed HIDS_RAW');
    const ruleEngineBus = await connectBus({ ...config.nats, user: 'rule-engine', password: password('rule-engine') }, logger, 'test-trim');
    clients.push(ruleEngineBus.nc);
    await trimConsumed(ruleEngineBus.jsm, 'HIDS_DECODED');
    const indexerAlerts = await connectBus({ ...config.nats, user: 'indexer', password: password('indexer') }, logger, 'test-storage-alert');
    clients.push(indexerAlerts.nc);
    const [stored] = await indexerAlerts.publisher.publishAll([{ subject: 'hids.alerts.7.000.201100', data: '{}' }]);
    assert.ok(stored?.ok, 'the indexer published a storage alert');

    // Everything so far ran without a single permission violation.
    assert.deepEqual(violations(server.log()), [], 'no violation while the services and commands ran');

    // 4. What is refused. Publishes: the server answers -ERR 'Permissions Violation for Publish to ...'.
    const denied: Array<[user: string, subject: string, why: string]> = [
      ['collector', 'hids.alerts.12.agent-1.200100', 'forge an alert'],
      ['collector', 'hids.decoded.0.agent-1', 'skip the decoder'],
      ['collector', '$JS.API.STREAM.DELETE.HIDS_RAW', 'delete a stream'],
      ['collector', '$JS.API.CONSUMER.MSG.NEXT.HIDS_RAW.decoder', "pull the decoder's events"],
      ['decoder', 'hids.alerts.12.agent-1.200100', 'forge an alert'],
      ['decoder', '$KV.HIDS_AGENTS.agent-1', 'rewrite the agent registry'],
      ['decoder', 'hids.alerts.10.000.209002', 'forge an alert of the manager'],
      ['indexer', '$KV.HIDS_RULESETS.decoder.x', 'rewrite the ruleset registry'],
      ['rule-engine', 'hids.raw.agent-1.log', 'forge a raw event'],
      ['rule-engine', '$JS.API.CONSUMER.MSG.NEXT.HIDS_DECODED.indexer-archives', "pull the indexer's events"],
      ['indexer', 'hids.alerts.12.agent-1.200100', 'forge an alert'],
      ['indexer', 'hids.alerts.12.000.200100', 'forge an alert of the manager'],
      ['decoder', '$JS.API.STREAM.PURGE.HIDS_ALERTS', 'purge the alerts'],
      ['rule-engine', '$JS.API.STREAM.PURGE.HIDS_RAW', 'purge the raw events'],
      ['indexer', '$JS.API.STREAM.PURGE.HIDS_ALERTS', 'purge the alerts'],
      ['indexer', '$KV.HIDS_AGENTS.agent-1', 'rewrite the agent registry'],
      ['notifier', '$JS.ACK.HIDS_ALERTS.indexer.1.1.1.1.1.1', "ack the indexer's alerts"],
      ['notifier', '$JS.API.CONSUMER.DELETE.HIDS_ALERTS.indexer', "delete the indexer's durable"],
      // Active response: only the responder publishes commands.
      ['collector', 'hids.ar.agent-1', 'send itself an active-response command'],
      ['collector', 'hids.ar.agent-2', 'send another agent an active-response command'],
      ['decoder', 'hids.ar.agent-1', 'send an active-response command'],
      ['rule-engine', 'hids.ar.agent-1', 'send an active-response command'],
      ['indexer', 'hids.ar.agent-1', 'send an active-response command'],
      ['notifier', 'hids.ar.agent-1', 'send an active-response command'],
      ['responder', 'hids.alerts.12.agent-1.200100', 'forge an alert'],
      ['responder', 'hids.raw.agent-1.log', 'forge a raw event'],
      ['indexer', '$KV.HIDS_RESPONSES.agent-1.x', "rewrite the responder's records"],
    ];
    const connections = new Map<string, NatsConnection>();
    const errors = new Map<string, string[]>();
    for (const user of SERVICE_NAMES) {
      const nc = user === 'collector' ? collectorNc : await client(user);
      connections.set(user, nc);
      errors.set(user, permissionErrors(nc));
    }
    for (const [user, subject] of denied) {
      const nc = connections.get(user) as NatsConnection;
      nc.publish(subject, 'x');
      await nc.flush();
    }
    // Subscriptions: the collector may not read raw events, nor any service another's pulled messages.
    const subscribeDenied: Array<[user: string, subject: string]> = [
      ['collector', 'hids.raw.>'],
      ['notifier', 'hids.alerts.>'],
      ['decoder', '$KV.HIDS_AGENTS.>'],
      ['decoder', '_INBOX_indexer.>'],
      ['collector', '_INBOX.>'],
      // A collector cannot read the command subjects directly (only through its durable, delivered to its inbox).
      ['collector', 'hids.ar.>'],
      ['responder', 'hids.ar.>'],
    ];
    const subscriptionErrors: string[] = [];
    for (const [user, subject] of subscribeDenied) {
      const nc = connections.get(user) as NatsConnection;
      nc.subscribe(subject, {
        callback: (err) => {
          if (err) subscriptionErrors.push(`${user} ${subject}: ${err.message}`);
        },
      });
      await nc.flush();
    }
    // And through the JetStream API: the collector cannot delete a stream.
    const jsm = await jetstreamManager(collectorNc, { checkAPI: false });
    await assert.rejects(jsm.streams.delete('HIDS_RAW'), /permission|violation|timeout/i);

    await waitFor(() => violations(server.log()).length >= denied.length + subscribeDenied.length, 5_000, 'every violation in the server log');
    const logged = violations(server.log());
    for (const [user, subject, why] of denied) {
      assert.ok(logged.includes(`${user} publish ${subject}`), `${user} may not ${why} (${subject}); logged: ${logged.join('; ')}`);
      assert.ok(errors.get(user)?.includes(`publish ${subject}`), `${user}'s connection reports the violation on ${subject}`);
    }
    for (const [user, subject] of subscribeDenied) {
      assert.ok(logged.includes(`${user} subscribe ${subject}`), `${user} may not subscribe to ${subject}; logged: ${logged.join('; ')}`);
      assert.ok(subscriptionErrors.some((e) => e.startsWith(`${user} ${subject}:`)), `${user}'s subscription to ${subject} fails`);
    }
  });
}
