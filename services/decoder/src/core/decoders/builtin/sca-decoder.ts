import type { DecodedFields } from '../decoded-fields.ts';

/**
 * Wazuh's built-in decoding of SCA events: owner decoder `sca` of type `ossec`; the payload's keys become dotted
 * fields (`sca.type`, `sca.check.result`, `sca.check.compliance.cis`...), lists as their JSON text.
 */
export function decodeSca(payload: Record<string, unknown>): { name: string; fields: DecodedFields } {
  const fields: DecodedFields = {};
  const walk = (prefix: string, v: unknown): void => {
    if (v !== null && typeof v === 'object' && !Array.isArray(v)) {
      for (const [k, w] of Object.entries(v)) walk(prefix ? `${prefix}.${k}` : k, w);
    } else if (v !== undefined && prefix !== '') fields[prefix] = Array.isArray(v) ? JSON.stringify(v) : String(v);
  };
  walk('', payload);
  return { name: 'sca', fields };
}
