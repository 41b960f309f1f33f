import { existsSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import type { Alert, DecodedEvent } from '@vigil/common';
import type { ListSource } from '../core/cdb-lists.ts';
import { loadRules } from '../core/load-rules.ts';
import { logtestRulePhase } from '../core/logtest-rule-phase.ts';
import type { RuleSemantics } from '../core/rule-types.ts';
import { listSources } from '@vigil/wazuh-format';

/**
 * The rule phase of `vigil logtest` (the `LogtestRuleEngine` seam of services/cli/src/commands/logtest.ts):
 * compiles the rule files once, with the CDB lists of the rulesets they come from (`<ruleset>/lists/`) or those
 * given (an ossec.conf's), in basename order or as given, with the semantics asked for, and gives
 * each session its own correlation state. Each call returns the `rule` object of the alert JSON (level included,
 * also at level 0) and the alert when one is generated.
 */
export const logtestRules = {
  load(
    sources: ReadonlyArray<{ file: string; text: string }>,
    managerName: string,
    now?: () => Date,
    options: { lists?: readonly ListSource[]; order?: 'basename' | 'given'; semantics?: RuleSemantics } = {},
  ) {
    let lists = options.lists;
    if (!lists) {
      const roots = new Set<string>();
      for (const s of sources) {
        const dir = dirname(s.file);
        roots.add(basename(dir) === 'rules' ? dirname(dir) : dir);
      }
      const found: ListSource[] = [];
      for (const root of roots) if (existsSync(join(root, 'lists'))) found.push(...listSources(root));
      lists = found;
    }
    const { order, semantics } = options;
    const loaded = loadRules(sources, { lists, ...(order ? { order } : {}), ...(semantics ? { semantics } : {}) });
    const phase = logtestRulePhase(loaded.ruleset, { managerName, ...(semantics ? { semantics } : {}) });
    return {
      errors: loaded.errors,
      warnings: loaded.warnings,
      newSession(): (event: DecodedEvent) => { rule: Record<string, unknown> | null; alert?: Alert } {
        const session = phase.newSession();
        return (event) => {
          const r = session.evaluate(event, now ? now() : new Date());
          if (!r.rule) return { rule: null };
          return r.alert ? { rule: r.rule.output, alert: r.alert } : { rule: r.rule.output };
        };
      },
    };
  },
};
