import { DetectorState } from '@vigil/vulnerability-detector';
import type { VigilConfig } from '../config.ts';
import { EXIT_OK } from '../exit-codes.ts';

export interface VulnsOptions {
  agent?: string;
  json?: boolean;
}

/**
 * `vigil vulns`: the vulnerable packages the detector currently knows of, per agent and scope (host or container
 * image), from its state file: what it alerted on and has not yet seen resolved.
 */
export function vulnsCommand(config: VigilConfig, options: VulnsOptions, print: (line: string) => void): number {
  const state = new DetectorState(config.vulnerabilityDetector.stateFile);
  try {
    const inventories = state.all().filter((i) => options.agent === undefined || i.agent.id === options.agent || i.agent.name === options.agent);
    if (options.json) {
      for (const inv of inventories) for (const f of inv.findings.values()) print(JSON.stringify({ agent: inv.agent, scope: inv.scope, ...f }));
      return EXIT_OK;
    }
    const total = inventories.reduce((n, i) => n + i.findings.size, 0);
    if (total === 0) {
      print(`no vulnerable packages known${options.agent !== undefined ? ` for ${options.agent}` : ''} (${inventories.length} inventories checked)`);
      return EXIT_OK;
    }
    for (const inv of inventories) {
      if (inv.findings.size === 0) continue;
      print(`${inv.agent.name} (${inv.agent.id}) ${inv.scope}: ${inv.findings.size} vulnerable package(s)`);
      for (const f of [...inv.findings.values()].sort((a, b) => a.package.name.localeCompare(b.package.name) || a.cve.localeCompare(b.cve))) {
        print(`  ${f.severity.padEnd(8)} ${f.cve}  ${f.package.name} ${f.package.version}  ${f.fixed !== undefined ? `fixed in ${f.fixed}` : f.condition}`);
      }
    }
    return EXIT_OK;
  } finally {
    state.close();
  }
}
