/**
 * Text forms Wazuh's JSON decoder gives values (it uses cJSON): numbers, and arrays printed the way
 * `cJSON_Print` prints them, since rules match against that text.
 */

/** C's `%.<p>g`. */
export function formatG(v: number, precision: number): string {
  if (v === 0) return Object.is(v, -0) ? '-0' : '0';
  const exp = Math.floor(Math.log10(Math.abs(v)));
  let s: string;
  if (exp < -4 || exp >= precision) {
    s = v.toExponential(precision - 1);
    let [mant, e] = s.split('e') as [string, string];
    if (mant.includes('.')) mant = mant.replace(/0+$/, '').replace(/\.$/, '');
    const sign = e.startsWith('-') ? '-' : '+';
    const digits = e.replace(/^[+-]/, '').padStart(2, '0');
    return `${mant}e${sign}${digits}`;
  }
  s = v.toFixed(Math.max(0, precision - 1 - exp));
  if (s.includes('.')) s = s.replace(/0+$/, '').replace(/\.$/, '');
  return s;
}

/** The string a JSON number becomes as a decoded field: `%i` when it fits an int exactly, else `%f`. */
export function formatJsonNumber(v: number): string {
  if (Number.isInteger(v) && v >= -2147483648 && v <= 2147483647) return String(v === 0 ? 0 : v);
  if (!Number.isFinite(v)) return String(v);
  if (Math.abs(v) >= 1e21) return `${BigInt(Math.trunc(v)).toString()}.000000`;
  return v.toFixed(6);
}

function printNumber(v: number): string {
  if (!Number.isFinite(v)) return 'null';
  if (Number.isInteger(v) && v >= -2147483648 && v <= 2147483647) return String(v === 0 ? 0 : v);
  const short = formatG(v, 15);
  return Number(short) === v ? short : formatG(v, 17);
}

function printString(s: string): string {
  let out = '"';
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c === 34) out += '\\"';
    else if (c === 92) out += '\\\\';
    else if (c === 8) out += '\\b';
    else if (c === 12) out += '\\f';
    else if (c === 10) out += '\\n';
    else if (c === 13) out += '\\r';
    else if (c === 9) out += '\\t';
    else if (c < 32) out += `\\u${c.toString(16).padStart(4, '0')}`;
    else out += s[i];
  }
  return `${out}"`;
}

/** `cJSON_Print` (formatted) of a value, at the given nesting depth. */
export function cjsonPrint(value: unknown, depth = 0): string {
  if (value === null) return 'null';
  if (value === true) return 'true';
  if (value === false) return 'false';
  if (typeof value === 'number') return printNumber(value);
  if (typeof value === 'string') return printString(value);
  if (Array.isArray(value)) {
    if (value.length === 0) return '[]';
    return `[${value.map((v) => cjsonPrint(v, depth + 1)).join(', ')}]`;
  }
  const entries = Object.entries(value as Record<string, unknown>);
  const inner = depth + 1;
  let out = '{\n';
  entries.forEach(([k, v], i) => {
    out += `${'\t'.repeat(inner)}${printString(k)}:\t${cjsonPrint(v, inner)}${i < entries.length - 1 ? ',' : ''}\n`;
  });
  return `${out}${'\t'.repeat(inner - 1)}}`;
}
