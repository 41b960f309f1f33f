/**
 * Generates services/rule-engine/data/mitre-attack.json, the ATT&CK names the rule engine puts in alerts
 * (rule.mitre.tactic / rule.mitre.technique, as Wazuh's alerts carry them), from MITRE ATT&CK Enterprise's data.
 *
 *   npx tsx scripts/generate-mitre.ts [../shared/mitre-attack/enterprise-attack.json]
 *
 * MITRE's licence requires its copyright designation and licence beside every copy: the script copies LICENSE.txt
 * from the source folder to services/rule-engine/data/MITRE-ATTACK-LICENSE.txt.
 */
import { copyFileSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

interface SourceTactic { id: string; name: string; shortname: string }
interface SourceTechnique { id: string; name: string; tactics: string[]; deprecated: boolean; revoked: boolean }
interface Source { source: string; copyright: string; tactics: SourceTactic[]; techniques: SourceTechnique[] }

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const input = resolve(process.argv[2] ?? join(root, '..', 'shared', 'mitre-attack', 'enterprise-attack.json'));
const outDir = join(root, 'services', 'rule-engine', 'data');
const src = JSON.parse(readFileSync(input, 'utf8')) as Source;

const tacticName = new Map(src.tactics.map((t) => [t.shortname, t.name]));
const techniques: Record<string, { name: string; tactics: string[]; status?: 'revoked' | 'deprecated' }> = {};
for (const t of [...src.techniques].sort((a, b) => a.id.localeCompare(b.id))) {
  const tactics = t.tactics.map((s) => {
    const name = tacticName.get(s);
    if (name === undefined) throw new Error(`${input}: technique ${t.id} names unknown tactic '${s}'`);
    return name;
  });
  techniques[t.id] = { name: t.name, tactics, ...(t.revoked ? { status: 'revoked' as const } : t.deprecated ? { status: 'deprecated' as const } : {}) };
}
const tactics = Object.fromEntries(src.tactics.map((t) => [t.id, t.name]));
const out = { source: src.source, copyright: src.copyright, licence: 'MITRE-ATTACK-LICENSE.txt', tactics, techniques };
writeFileSync(join(outDir, 'mitre-attack.json'), JSON.stringify(out, null, 0).replace(/\},"/g, '},\n"') + '\n');
copyFileSync(join(dirname(input), 'LICENSE.txt'), join(outDir, 'MITRE-ATTACK-LICENSE.txt'));
console.log(`wrote ${Object.keys(techniques).length} techniques and ${Object.keys(tactics).length} tactics to ${outDir}`);
