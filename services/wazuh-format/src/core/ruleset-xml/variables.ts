/**
 * `<var name="X">value</var>` of Wazuh decoder and rule files: defines `$X` for the rest of the file. Substitution
 * follows the C reader: a name runs until `$`, end of text, `.`, `|`, `,` or a space; names compare
 * case-insensitively; only variables defined earlier are known; `$(field)` is left alone; text of two characters
 * or fewer is left alone; a file that defines no variable is left alone.
 */
export class FileVariables {
  private readonly values = new Map<string, string>();

  get size(): number {
    return this.values.size;
  }

  define(name: string, value: string): void {
    this.values.set(name.toLowerCase(), this.substitute(value).text);
  }

  /** Substitutes known variables; `unknown` lists the names that are not defined (a load error for the caller). */
  substitute(text: string): { text: string; unknown: string[] } {
    const unknown: string[] = [];
    if (this.values.size === 0 || text.length <= 2 || text.indexOf('$') === -1) return { text, unknown };
    let out = '';
    let i = 0;
    while (i < text.length) {
      const at = text.indexOf('$', i);
      if (at === -1) {
        out += text.slice(i);
        break;
      }
      out += text.slice(i, at);
      let end = at + 1;
      while (end < text.length && !'$.|, '.includes(text[end] as string)) end++;
      const name = text.slice(at + 1, end);
      if (name === '' || name.startsWith('(')) {
        out += text.slice(at, end);
      } else {
        const value = this.values.get(name.toLowerCase());
        if (value === undefined) {
          unknown.push(name);
          out += text.slice(at, end);
        } else out += value;
      }
      i = end;
    }
    return { text: out, unknown };
  }
}
