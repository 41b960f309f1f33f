/**
 * Reads the `.ini` test files of the Wazuh ruleset as the upstream harness does: Python configparser in raw,
 * non-strict mode with a list-extending dict (a key repeated in a section, or a section repeated in a file,
 * joins its values with newlines); keys lower-cased, values stripped, `;`/`#` comment lines, indented lines
 * continue a value.
 */
export type IniSections = Map<string, Map<string, string>>;

export function parseWazuhIni(text: string): IniSections {
  const sections: IniSections = new Map();
  let current: Map<string, string> | undefined;
  let lastKey: string | undefined;
  for (const rawLine of text.split(/\r?\n/)) {
    if (/^\s*[;#]/.test(rawLine)) continue;
    if (rawLine.trim() === '') {
      lastKey = undefined;
      continue;
    }
    if (/^\s/.test(rawLine) && current && lastKey !== undefined) {
      current.set(lastKey, `${current.get(lastKey) ?? ''}\n${rawLine.trim()}`);
      continue;
    }
    const section = /^\[(.*)\]\s*$/.exec(rawLine);
    if (section) {
      const name = section[1] as string;
      current = sections.get(name) ?? new Map();
      sections.set(name, current);
      lastKey = undefined;
      continue;
    }
    const kv = /^(.*?)\s*[=:]\s*(.*)$/.exec(rawLine);
    if (!kv || !current) continue;
    const key = (kv[1] as string).trim().toLowerCase();
    const value = (kv[2] as string).trim();
    current.set(key, current.has(key) ? `${current.get(key)}\n${value}` : value);
    lastKey = key;
  }
  return sections;
}
