import type { ListSource } from '@vigil/wazuh-format';

/**
 * CDB lists from their `key:value` source files. One entry a line, split at the first `:` (a key or value may be
 * wrapped in double quotes, which may hold `:`); lines without `:` are ignored; keys compare exactly. Rules name a
 * list as `etc/lists/NAME` (or `NAME.cdb`); it resolves by NAME against the lists of every loaded ruleset.
 */
export type CdbList = ReadonlyMap<string, string>;

/** A list in source form, as `listSources` of @vigil/wazuh-format reads it. */
export type { ListSource };

function unquote(s: string): string {
  return s.length >= 2 && s.startsWith('"') && s.endsWith('"') ? s.slice(1, -1) : s;
}

export function parseCdbList(text: string): Map<string, string> {
  const map = new Map<string, string>();
  for (const rawLine of text.split('\n')) {
    const line = rawLine.endsWith('\r') ? rawLine.slice(0, -1) : rawLine;
    if (line === '') continue;
    let key: string;
    let value: string;
    if (line.startsWith('"')) {
      const close = line.indexOf('"', 1);
      if (close === -1 || line[close + 1] !== ':') continue;
      key = line.slice(1, close);
      value = line.slice(close + 2);
    } else {
      const colon = line.indexOf(':');
      if (colon === -1) continue;
      key = line.slice(0, colon);
      value = line.slice(colon + 1);
    }
    if (!map.has(key)) map.set(key, unquote(value));
  }
  return map;
}

/** The name a rule's `<list>` path refers to: `etc/lists/a/b` or `a/b.cdb` → `a/b`. */
export function listName(path: string): string {
  return path.trim().replace(/^(\.\/)?(etc\/)?lists\//, '').replace(/\.cdb$/, '');
}

/** Lists by name; when several rulesets define a name, the first one loaded wins. */
export function indexLists(sources: readonly ListSource[]): Map<string, CdbList> {
  const lists = new Map<string, CdbList>();
  for (const s of sources) if (!lists.has(s.name)) lists.set(s.name, parseCdbList(s.text));
  return lists;
}

/** `address_match_key`: the key, then each prefix of it that ends in `.` (right to left). */
export function addressLookup(list: CdbList, key: string): string | undefined {
  const exact = list.get(key);
  if (exact !== undefined) return exact;
  for (let i = key.length - 1; i > 0; i--) {
    if (key[i - 1] === '.') {
      const v = list.get(key.slice(0, i));
      if (v !== undefined) return v;
    }
  }
  return undefined;
}
