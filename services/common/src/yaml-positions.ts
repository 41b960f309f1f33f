import { isMap, isNode, isPair, isScalar, LineCounter, parseDocument, type Document, type Node } from 'yaml';

/** Finds the line (1-based) of a key or value in a YAML text, by the JSON-pointer path a schema error names. */
export type YamlLocator = (pointer: string) => number | undefined;

function parts(pointer: string): string[] {
  return pointer
    .split('/')
    .filter(Boolean)
    .map((p) => p.replace(/~1/g, '/').replace(/~0/g, '~'));
}

/**
 * A locator over `text`: the line of the deepest node of the path that exists in the document (the key itself
 * for a key, so an unknown key points at its own line; the parent when a required key is missing). Undefined
 * when the text does not parse or the path is not in it at all (a value that came from the environment).
 */
export function yamlLocator(text: string): YamlLocator {
  const lines = new LineCounter();
  let doc: Document;
  try {
    doc = parseDocument(text, { lineCounter: lines, uniqueKeys: false });
  } catch {
    return () => undefined;
  }
  const lineOf = (offset: number | undefined) => (offset === undefined ? undefined : lines.linePos(offset).line);
  return (pointer) => {
    let node: unknown = doc.contents;
    let line: number | undefined;
    for (const part of parts(pointer)) {
      if (isMap(node)) {
        const pair = node.items.find((p) => isPair(p) && isScalar(p.key) && String(p.key.value) === part);
        if (!pair) return line;
        line = lineOf((pair.key as Node).range?.[0]);
        node = pair.value;
      } else if (isNode(node) && 'items' in node && Array.isArray((node as { items: unknown[] }).items)) {
        const item = (node as { items: unknown[] }).items[Number(part)];
        if (!isNode(item)) return line;
        line = lineOf(item.range?.[0]);
        node = item;
      } else {
        return line;
      }
    }
    return line;
  };
}
