import { existsSync } from 'node:fs';
import { isAbsolute, join, resolve } from 'node:path';
import { errorMessage, type Logger } from '@vigil/common';
import { ChildProcessRunner } from './command-runner.ts';
import { diffScans, resultsOf, type ScanResults } from './diff-scans.ts';
import { evaluatePolicy } from './evaluate-policy.ts';
import type { ScaHost } from './host-access.ts';
import { loadPolicyFiles } from './policy-files.ts';
import type { PolicyScan } from './policy-types.ts';
import { ProcTable } from './process-table.ts';
import { RootFileSystem } from './root-file-system.ts';
import type { ScaConfig } from './sca-config.ts';
import { checkPayload, summaryPayload, type ScaPayload } from './sca-payload.ts';
import { ScanStateFile } from './scan-state-file.ts';

/**
 * Runs the configured SCA policies on start and then every `intervalSeconds`, one scan at a time, and hands the
 * payloads of each policy scan to `publish`: one `check` payload per check whose result changed since the last
 * scan, then one `summary` payload. A policy whose requirements are not met publishes nothing. The last results
 * are kept in a state file once published, so a restart reports only real changes.
 */

export interface ScaScannerOptions {
  config: ScaConfig;
  /** Stores the payloads of one policy scan (in order); resolves once they are safely published. */
  publish: (payloads: ScaPayload[]) => Promise<unknown>;
  logger: Logger;
  /** Where a relative `config.stateFile` lives (the collector's state directory); without it, no state is kept. */
  stateDir?: string;
  /** Replaces the host built from the config (tests). */
  host?: ScaHost;
  now?: () => Date;
}

export interface PolicyScanReport {
  policyId: string;
  scan: PolicyScan;
  published: number;
}

export interface ScaScanner {
  /** Runs one scan of every policy now (after any scan in progress); resolves with what was found. */
  scanNow(): Promise<PolicyScanReport[]>;
  /** Stops the schedule and waits for a scan in progress. */
  stop(): Promise<void>;
}

/** The host described by the config: files under rootDir, processes from its proc, commands maybe wrapped. */
export function hostFromConfig(config: ScaConfig): ScaHost {
  const root = resolve(config.rootDir);
  let disabledReason: string | undefined;
  if (!config.commands.enabled) disabledReason = 'Command rules are disabled by configuration (sca.commands.enabled: false)';
  else if (root !== '/' && config.commands.wrapper.length === 0)
    disabledReason = `Commands would run in the collector's own environment, not on the host under ${root}: set sca.commands.wrapper (e.g. ['chroot', '${root}'])`;
  const hostProc = join(root, 'proc');
  const procDir = config.procDir ?? (root !== '/' && existsSync(join(hostProc, '1')) ? hostProc : '/proc');
  return {
    fs: new RootFileSystem(root),
    commands: new ChildProcessRunner({
      timeoutMs: config.commands.timeoutSeconds * 1000,
      wrapper: config.commands.wrapper,
      maxOutputBytes: config.commands.maxOutputBytes,
      ...(disabledReason !== undefined ? { disabledReason } : {}),
    }),
    processes: new ProcTable(procDir),
    platform: process.platform,
  };
}

export function startScaScanner(options: ScaScannerOptions): ScaScanner {
  const { config, publish } = options;
  const logger = options.logger.child({ module: 'sca' });
  const now = options.now ?? (() => new Date());
  const host = options.host ?? hostFromConfig(config);
  const stateFile =
    options.stateDir === undefined ? undefined : new ScanStateFile(isAbsolute(config.stateFile) ? config.stateFile : join(options.stateDir, config.stateFile));
  let last = new Map<string, ScanResults>();
  if (stateFile) {
    try {
      last = stateFile.load();
    } catch (err) {
      logger.error({ err: errorMessage(err), path: stateFile.path }, 'cannot read the last SCA results; every check will be reported again');
    }
  }

  let stopping = false;
  let timer: NodeJS.Timeout | undefined;
  let running: Promise<PolicyScanReport[]> = Promise.resolve([]);

  const scanOnce = async (): Promise<PolicyScanReport[]> => {
    const { policies, errors } = loadPolicyFiles(config.policies);
    for (const err of errors) logger.error({ code: err.code, err: err.message }, 'SCA policy skipped');
    const reports: PolicyScanReport[] = [];
    for (const policy of policies) {
      if (stopping) break;
      if (config.disabledPolicies.includes(policy.id)) continue;
      for (const w of policy.warnings) logger.warn({ policy: policy.id, where: `${policy.source}:${w.line}` }, w.message);
      const startedAt = now();
      const scanId = String(startedAt.getTime());
      let scan: PolicyScan;
      try {
        scan = await evaluatePolicy(policy, host);
      } catch (err) {
        logger.error({ policy: policy.id, err: errorMessage(err) }, 'SCA policy evaluation failed');
        continue;
      }
      const endedAt = now();
      if (scan.status !== 'scanned') {
        logger.info({ policy: policy.id, reason: scan.skippedReason }, 'SCA policy skipped: requirements not satisfied');
        last.delete(policy.id);
        reports.push({ policyId: policy.id, scan, published: 0 });
        continue;
      }
      const byId = new Map(policy.checks.map((c) => [c.id, c]));
      const payloads: ScaPayload[] = diffScans(last.get(policy.id), scan).flatMap((change) => {
        const check = byId.get(change.current.id);
        return check ? [checkPayload(policy, check, change, scanId)] : [];
      });
      payloads.push(summaryPayload(policy, scan, scanId, startedAt, endedAt));
      await publish(payloads);
      last.set(policy.id, resultsOf(scan));
      if (stateFile) {
        try {
          stateFile.save(last);
        } catch (err) {
          logger.error({ err: errorMessage(err), path: stateFile.path }, 'cannot save the SCA results');
        }
      }
      logger.info(
        { policy: policy.id, score: scan.score, passed: scan.passed, failed: scan.failed, notApplicable: scan.notApplicable, changes: payloads.length - 1 },
        'SCA policy scanned',
      );
      reports.push({ policyId: policy.id, scan, published: payloads.length });
    }
    return reports;
  };

  const scanNow = (): Promise<PolicyScanReport[]> => {
    running = running.catch(() => []).then(() => (stopping ? [] : scanOnce()));
    return running;
  };

  const schedule = (delayMs: number) => {
    if (stopping) return;
    timer = setTimeout(() => {
      scanNow()
        .catch((err) => logger.error({ err: errorMessage(err) }, 'SCA scan failed'))
        .finally(() => schedule(config.intervalSeconds * 1000));
    }, delayMs);
    timer.unref?.();
  };

  if (config.enabled) schedule(config.scanOnStart ? 0 : config.intervalSeconds * 1000);

  return {
    scanNow,
    async stop() {
      stopping = true;
      if (timer) clearTimeout(timer);
      await running.catch(() => undefined);
    },
  };
}
