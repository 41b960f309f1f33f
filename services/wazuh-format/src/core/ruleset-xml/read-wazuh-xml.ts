import { XMLParser, XMLValidator } from 'fast-xml-parser';

/**
 * Reader for the XML dialect of Wazuh decoder and rule files, which is not strict XML: no root element, a bare `&`
 * is text, `\<` inside text is the two characters `\<` rather than the start of a tag, and no entity is decoded
 * (`&lt;` stays `&lt;`). The text is preprocessed without moving any character (so offsets and lines stay true),
 * then parsed by fast-xml-parser.
 */

/** One element: its name, attributes, text (byte for byte, comments left out), children and line. */
export interface XmlElement {
  name: string;
  attributes: Record<string, string>;
  text: string;
  children: XmlElement[];
  line: number;
}

export interface XmlReadResult {
  elements: XmlElement[];
  /** Set when the file is not readable XML even after preprocessing. */
  error?: { line: number; message: string };
}

const AMP = '\uE000';
const LT = '\uE001';
const ROOT = 'vigil-wazuh-root';
const PREFIX = `<${ROOT}>`;

const parser = new XMLParser({
  preserveOrder: true,
  ignoreAttributes: false,
  attributeNamePrefix: '',
  parseTagValue: false,
  parseAttributeValue: false,
  trimValues: false,
  processEntities: false,
  htmlEntities: false,
  captureMetaData: true,
  commentPropName: '#comment',
  allowBooleanAttributes: true,
});
const META = XMLParser.getMetaDataSymbol() as unknown as symbol;

function restore(s: string): string {
  return s.indexOf(AMP) === -1 && s.indexOf(LT) === -1 ? s : s.replaceAll(AMP, '&').replaceAll(LT, '<');
}

function lineStarts(text: string): number[] {
  const starts = [0];
  for (let i = 0; i < text.length; i++) if (text.charCodeAt(i) === 10) starts.push(i + 1);
  return starts;
}

function lineAt(starts: number[], index: number): number {
  let lo = 0;
  let hi = starts.length - 1;
  while (lo < hi) {
    const mid = (lo + hi + 1) >> 1;
    if ((starts[mid] as number) <= index) lo = mid;
    else hi = mid - 1;
  }
  return lo + 1;
}

type OrderedNode = Record<string, unknown>;

function convert(nodes: OrderedNode[], starts: number[]): XmlElement[] {
  const out: XmlElement[] = [];
  for (const node of nodes) {
    const name = Object.keys(node).find((k) => k !== ':@');
    if (name === undefined || name === '#text' || name === '#comment') continue;
    const attrsRaw = (node[':@'] ?? {}) as Record<string, unknown>;
    const attributes: Record<string, string> = {};
    for (const [k, v] of Object.entries(attrsRaw)) attributes[k] = restore(String(v));
    const kids = (node[name] ?? []) as OrderedNode[];
    let text = '';
    for (const k of kids) if ('#text' in k) text += String(k['#text']);
    const meta = (node as Record<symbol, { startIndex?: number } | undefined>)[META];
    const index = Math.max(0, (meta?.startIndex ?? 0) - PREFIX.length);
    out.push({ name, attributes, text: restore(text), children: convert(kids, starts), line: lineAt(starts, index) });
  }
  return out;
}

/** Reads the top-level elements of a Wazuh XML file. Never throws: an unreadable file gives `error`. */
export function readWazuhXml(text: string): XmlReadResult {
  const prepared = PREFIX + text.replaceAll('&', AMP).replaceAll('\\<', `\\${LT}`) + `</${ROOT}>`;
  const valid = XMLValidator.validate(prepared, { allowBooleanAttributes: true });
  if (valid !== true) {
    return { elements: [], error: { line: valid.err.line, message: `not readable as XML: ${valid.err.msg.replaceAll(ROOT, 'end of file')}` } };
  }
  const starts = lineStarts(text);
  try {
    const doc = parser.parse(prepared) as OrderedNode[];
    const root = doc.find((n) => ROOT in n);
    return { elements: convert((root?.[ROOT] ?? []) as OrderedNode[], starts) };
  } catch (err) {
    return { elements: [], error: { line: 1, message: `not readable as XML: ${(err as Error).message}` } };
  }
}
