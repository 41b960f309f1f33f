import type { Alert, DecodedEvent } from '@vigil/common';

/** Formats epoch ms the way Wazuh writes alert timestamps: 2024-05-10T12:34:56.789+0000. */
export function wazuhTime(ms: number): string {
  return new Date(ms).toISOString().replace('Z', '+0000');
}

export const T0 = Date.UTC(2024, 4, 10, 12, 0, 0);

/** An sshd alert like the ruleset's 5710, with every field the indexer reads; `overrides` replace whole keys. */
export function sshAlert(n: number, overrides: Partial<Alert> & { at?: number } = {}): Alert {
  const { at, ...rest } = overrides;
  const ms = at ?? T0 + n * 1000;
  return {
    timestamp: wazuhTime(ms),
    rule: {
      level: 5,
      description: 'sshd: Attempt to login using a non-existent user',
      id: '5710',
      firedtimes: n + 1,
      mail: false,
      groups: ['syslog', 'sshd', 'authentication_failed', 'invalid_login'],
      pci_dss: ['10.2.4', '10.2.5'],
      gdpr: ['IV_35.7.d'],
      mitre: { id: ['T1110.001'], tactic: ['Credential Access'], technique: ['Password Guessing'] },
    },
    agent: { id: '001', name: 'web01', ip: '10.0.0.5' },
    manager: { name: 'manager' },
    id: `${Math.floor(ms / 1000)}.${n}`,
    full_log: `Dec 10 01:02:03 web01 sshd[1234]: Invalid user admin${n} from 1.2.3.${n % 250} port 4444`,
    predecoder: { program_name: 'sshd', timestamp: 'Dec 10 01:02:03', hostname: 'web01' },
    decoder: { parent: 'sshd', name: 'sshd' },
    data: { srcip: `1.2.3.${n % 250}`, srcuser: `admin${n}` },
    location: '/var/log/auth.log',
    ...rest,
  };
}

/** A FIM (syscheck) alert for `path` on agent 001. */
export function fimAlert(n: number, path: string, event: 'added' | 'modified' | 'deleted', attrs: { size: string; md5: string; before?: { size: string; md5: string } }, at = T0 + n * 1000): Alert {
  const rule = { added: ['554', 'File added to the system.', 5], modified: ['550', 'Integrity checksum changed.', 7], deleted: ['553', 'File deleted.', 7] }[event];
  return {
    timestamp: wazuhTime(at),
    rule: { level: rule[2] as number, description: rule[1] as string, id: rule[0] as string, firedtimes: 1, mail: false, groups: ['ossec', 'syscheck', 'syscheck_entry_' + event], pci_dss: ['11.5'] },
    agent: { id: '001', name: 'web01' },
    manager: { name: 'manager' },
    id: `${Math.floor(at / 1000)}.fim${n}`,
    full_log: `File '${path}' ${event}\nMode: realtime\n`,
    decoder: { name: 'syscheck_integrity_changed' },
    location: 'syscheck',
    syscheck: {
      path,
      mode: 'realtime',
      ...(attrs.before ? { size_before: attrs.before.size, md5_before: attrs.before.md5 } : {}),
      size_after: attrs.size,
      md5_after: attrs.md5,
      perm_after: 'rw-r--r--',
      ...(event === 'modified' ? { changed_attributes: ['size', 'md5'] } : {}),
      event,
    },
  };
}

const agentName = (agent: string) => (agent === '001' ? 'web01' : `host-${agent}`);

/** An SCA check alert (Wazuh's data.sca with type check) on `agent`. */
export function scaCheckAlert(n: number, agent: string, checkId: string, result: 'passed' | 'failed', at = T0 + n * 1000): Alert {
  return {
    timestamp: wazuhTime(at),
    rule: { level: result === 'failed' ? 7 : 3, description: `CIS: check ${checkId}: ${result}`, id: result === 'failed' ? '19007' : '19008', firedtimes: 1, mail: false, groups: ['sca'] },
    agent: { id: agent, name: agentName(agent) },
    manager: { name: 'manager' },
    id: `${Math.floor(at / 1000)}.sca${n}`,
    full_log: '',
    decoder: { name: 'sca' },
    location: 'sca',
    data: {
      sca: {
        type: 'check',
        scan_id: '42',
        policy: 'CIS Debian 12',
        policy_id: 'cis_debian12',
        check: { id: checkId, title: `Check ${checkId}`, result, compliance: { cis: ['1.1.1'] } },
      },
    },
  };
}

export function scaSummaryAlert(n: number, agent: string, passed: number, failed: number, at = T0 + n * 1000): Alert {
  return {
    timestamp: wazuhTime(at),
    rule: { level: 3, description: 'SCA summary', id: '19004', firedtimes: 1, mail: false, groups: ['sca'] },
    agent: { id: agent, name: agentName(agent) },
    manager: { name: 'manager' },
    id: `${Math.floor(at / 1000)}.scasum${n}`,
    decoder: { name: 'sca' },
    location: 'sca',
    data: { sca: { type: 'summary', scan_id: '42', name: 'CIS Debian 12', policy_id: 'cis_debian12', passed, failed, invalid: 0, total_checks: passed + failed, score: Math.round((100 * passed) / (passed + failed)) } },
  };
}

export function decodedEvent(n: number, agent = '001', at = T0 + n * 1000): DecodedEvent {
  const line = `Dec 10 01:02:03 web01 sshd[1234]: Accepted password for alice${n}`;
  return {
    v: 1,
    id: `${agent}:${n}`,
    seq: n,
    agent: { id: agent, name: `host-${agent}` },
    kind: 'log',
    location: '/var/log/auth.log',
    collectedAt: new Date(at).toISOString(),
    decodedAt: new Date(at + 5).toISOString(),
    partition: 0,
    full_log: line,
    log: line.slice(34),
    predecoder: { program_name: 'sshd' },
    decoder: { name: 'sshd' },
    data: {},
  };
}
