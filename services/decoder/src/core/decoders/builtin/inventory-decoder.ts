import type { DecodedFields } from '../decoded-fields.ts';

/**
 * Inventory events (the collector's syscollector: `payload.inventory`, see @vigil/common's Inventory schema) pass
 * through to the rule engine and the vulnerability detector with the payload whole. Their owner decoder is
 * `syscollector` of type `ossec` (so no syslog rule sees them); the fields are the inventory's scalars as dotted
 * names (`inventory.type`, `inventory.os.id`, `inventory.container.image`...) and the package counts; `full_log` is
 * a one-line summary rather than the package list (package names such as libgpg-error0 would match rules on words).
 * Undefined when the payload holds no inventory object.
 */
export function decodeInventory(payload: Record<string, unknown>): { name: string; fields: DecodedFields; fullLog: string } | undefined {
  const inventory = payload['inventory'];
  if (inventory === null || typeof inventory !== 'object' || Array.isArray(inventory)) return undefined;
  const inv = inventory as Record<string, unknown>;
  const fields: DecodedFields = {};
  const walk = (prefix: string, v: unknown): void => {
    if (v !== null && typeof v === 'object' && !Array.isArray(v)) {
      for (const [k, w] of Object.entries(v)) walk(`${prefix}.${k}`, w);
    } else if (Array.isArray(v)) fields[prefix] = String(v.length);
    else if (v !== undefined) fields[prefix] = String(v);
  };
  walk('inventory', inv);
  const count = (k: string): number => (Array.isArray(inv[k]) ? (inv[k] as unknown[]).length : 0);
  const os = (inv['os'] ?? {}) as Record<string, unknown>;
  const container = (inv['container'] ?? {}) as Record<string, unknown>;
  const what =
    inv['scope'] === 'container'
      ? `container ${String(container['id'] ?? '?').slice(0, 12)}${container['image'] ? ` (${String(container['image'])})` : ''}${container['pod'] ? ` of pod ${String(container['namespace'] ?? '?')}/${String(container['pod'])}` : ''}`
      : 'host';
  const osName = [os['id'], os['versionId']].filter((x) => x !== undefined).join(' ');
  const counted = inv['type'] === 'delta' ? `${count('packages')} installed or upgraded, ${count('removed')} removed` : `${count('packages')} packages`;
  const part = inv['parts'] !== undefined ? ` (part ${String(inv['part'])} of ${String(inv['parts'])})` : '';
  const fullLog = `Inventory (${String(inv['type'] ?? '?')}) of ${what}: ${osName || 'unknown OS'}, ${String(inv['format'] ?? '?')}: ${counted}${part}`;
  return { name: 'syscollector', fields, fullLog };
}
