/**
 * The paragraphs of a Debian control file (dpkg's status): `Field: value` lines, continuation lines starting with a
 * space or tab, paragraphs separated by blank lines. Field names are as written (dpkg treats them without case).
 */
export interface ControlParagraph {
  /** 1-based line of the paragraph's first field, for messages. */
  line: number;
  fields: Map<string, string>;
}

export function controlParagraphs(text: string): ControlParagraph[] {
  const out: ControlParagraph[] = [];
  let current: ControlParagraph | undefined;
  let last: string | undefined;
  const lines = text.split('\n');
  for (let i = 0; i < lines.length; i++) {
    const line = (lines[i] as string).replace(/\r$/, '');
    if (line.trim() === '') {
      current = undefined;
      last = undefined;
      continue;
    }
    if (line[0] === ' ' || line[0] === '\t') {
      if (current && last !== undefined) current.fields.set(last, `${current.fields.get(last) ?? ''}\n${line.slice(1)}`);
      continue;
    }
    const colon = line.indexOf(':');
    if (!current) {
      current = { line: i + 1, fields: new Map() };
      out.push(current);
    }
    if (colon <= 0) {
      current.fields.set(`\u0000bad line ${i + 1}`, line);
      last = undefined;
      continue;
    }
    last = line.slice(0, colon).toLowerCase();
    current.fields.set(last, line.slice(colon + 1).trim());
  }
  return out;
}
