/** What pre-decoding takes out of a syslog-style header (Wazuh's pre-decoding, see docs/decoding.md). */
export interface Predecoded {
  /** The message after the header: what decoders and rules match against. */
  log: string;
  timestamp?: string;
  hostname?: string;
  /** `''` is meaningful (a `HOST : msg` header) and differs from absent: it selects the decoder list. */
  program_name?: string;
}

function isValid(c: number): boolean {
  return (c >= 65 && c <= 90) || (c >= 97 && c <= 122) || (c >= 48 && c <= 57) || c === 45 || c === 46 || c === 95 || c === 47 || c === 64 || c === 40 || c === 41;
}

function isDigit(c: string | undefined): boolean {
  return c !== undefined && c >= '0' && c <= '9';
}

function scanValid(s: string, from: number): number {
  let i = from;
  while (i < s.length && isValid(s.charCodeAt(i))) i++;
  return i;
}

interface TimestampCut {
  logStart: number;
  timestampLength: number;
}

/** The syslog timestamp forms (A–E), recognised by fixed character positions exactly as Wazuh does. */
function syslogTimestamp(p: string): TimestampCut | undefined {
  const L = p.length + 1;
  if (L > 17 && p[3] === ' ' && p[6] === ' ' && p[9] === ':' && p[12] === ':' && p[15] === ' ') return { logStart: 16, timestampLength: 15 };
  if (L > 24 && p[4] === '-' && p[7] === '-' && p[10] === ' ' && p[13] === ':' && p[16] === ':' && p[19] === ',') return { logStart: 24, timestampLength: 23 };
  if (L > 33 && p[4] === '-' && p[7] === '-' && p[10] === 'T' && p[13] === ':' && p[16] === ':') {
    if (p[22] === ':' && p[25] === ' ') return { logStart: 26, timestampLength: 25 };
    if (p[19] === '.') {
      if (p[26] === ':') return { logStart: 30, timestampLength: 29 };
      if (p[29] === ':') return { logStart: 33, timestampLength: 32 };
      return { logStart: 32, timestampLength: 31 };
    }
  }
  if (L > 21 && isDigit(p[0]) && p[4] === ' ' && p[8] === ' ' && p[11] === ' ' && p[14] === ':' && p[17] === ':' && p[20] === ' ') return { logStart: 21, timestampLength: 20 };
  if (L > 33 && isDigit(p[0]) && p[4] === '-' && p[7] === '-' && p[10] === ' ' && p[13] === ':' && p[16] === ':' && p[19] === '.' && (p[26] === '-' || p[26] === '+') && p[31] === ' ') return { logStart: 32, timestampLength: 31 };
  return undefined;
}

/** Formats that set only a timestamp (xferlog, snort, suricata, apache), or undefined. */
function otherTimestamp(p: string): Predecoded | undefined {
  const L = p.length + 1;
  if (L > 28 && p[3] === ' ' && p[7] === ' ' && p[10] === ' ' && p[13] === ':' && p[16] === ':' && p[19] === ' ' && p[24] === ' ' && p[26] === ' ') {
    return { timestamp: p.slice(0, 24), log: p.slice(25) };
  }
  if (L > 24 && p[2] === '/' && p[5] === '-' && p[8] === ':' && p[11] === ':' && p[14] === '.' && p[21] === ' ') {
    return { timestamp: p.slice(0, 21), log: p.slice(23) };
  }
  if (L > 28 && p[2] === '/' && p[5] === '/' && p[10] === '-' && p[13] === ':' && p[16] === ':' && p[19] === '.' && p[26] === ' ') {
    return { timestamp: p.slice(0, 26), log: p.slice(28) };
  }
  if (L > 27 && p[0] === '[' && p[4] === ' ' && p[8] === ' ' && p[11] === ' ' && p[14] === ':' && p[17] === ':' && p[20] === ' ' && p[25] === ']') {
    return { timestamp: p.slice(1, 25), log: p.slice(27) };
  }
  if (L > 26 && p[0] === '[' && p[1] === 'T' && p[5] === ' ' && p[10] === '.' && p[13] === '.' && p[16] === ' ' && p[19] === ':') {
    const tag = (name: string): string | undefined => {
      const start = p.indexOf(`[${name} `);
      if (start === -1) return undefined;
      const end = p.indexOf(']', start);
      return end === -1 ? undefined : p.slice(start + name.length + 2, end);
    };
    const out: Predecoded = { log: tag('Message') ?? p };
    const sender = tag('Sender');
    const host = tag('Host');
    if (sender !== undefined) out.program_name = sender;
    if (host !== undefined) out.hostname = host;
    return out;
  }
  if (L > 32 && p[0] === '1' && isDigit(p[1]) && isDigit(p[2]) && isDigit(p[3]) && p[10] === '.' && isDigit(p[13]) && p[14] === ' ' && (p[21] === ' ' || p[22] === ' ')) {
    let i = 15;
    while (p[i] === ' ') i++;
    return { timestamp: p.slice(0, 15), log: p.slice(i) };
  }
  return undefined;
}

/** Parses `prog: `, `prog:` or `prog[pid]: ` / `prog[pid] ` at `from`; returns the program and where log starts. */
function programAt(s: string, from: number): { program: string; logStart: number } | undefined {
  const j = scanValid(s, from);
  const t = s[j];
  if (t === ':') {
    let k = j + 1;
    if (s[k] === ' ') k++;
    return { program: s.slice(from, j), logStart: k };
  }
  if (t === '[') {
    let k = j + 1;
    while (isDigit(s[k])) k++;
    if (k > j + 1 && s[k] === ']' && s[k + 1] === ':') {
      k += 2;
      if (s[k] === ' ') k++;
      return { program: s.slice(from, j), logStart: k };
    }
    if (k > j + 1 && s[k] === ']' && s[k + 1] === ' ') return { program: s.slice(from, j), logStart: k + 2 };
  }
  return undefined;
}

/** Parses the syslog-style header of a message: timestamp, hostname, program name; the rest is `log`. */
export function predecode(message: string): Predecoded {
  // "Mär" (ä at 1) is read as "Mar" for detection.
  const detect = message.charCodeAt(1) === 0xe4 ? message[0] + 'a' + message.slice(2) : message;
  const cut = syslogTimestamp(detect);
  if (!cut) return otherTimestamp(message) ?? { log: message };
  const result: Predecoded = { log: message, timestamp: message.slice(0, cut.timestampLength) };
  let start = cut.logStart;
  if (message[start] === ' ') start++;
  const i = scanValid(message, start);
  const c = message[i];
  if (c === ':' && message[i + 1] === ' ') {
    result.program_name = message.slice(start, i);
    result.log = message.slice(i + 2);
    return result;
  }
  if (c !== ' ') {
    result.log = message.slice(start);
    return result;
  }
  result.hostname = message.slice(start, i);
  const afterHost = i + 1;
  result.log = message.slice(afterHost);
  let prog = programAt(message, afterHost);
  if (!prog) {
    // AIX: "AIX|auth:info sshd: msg" (facility|severity, then the program).
    const j = scanValid(message, afterHost);
    const next = message.charCodeAt(j + 1);
    if (message[j] === '|' && next >= 97 && next <= 122) {
      const colon = message.indexOf(':', j);
      const space = colon === -1 ? -1 : message.indexOf(' ', colon);
      if (space !== -1) prog = programAt(message, space + 1);
    }
  }
  if (prog) {
    result.program_name = prog.program;
    result.log = message.slice(prog.logStart);
    if (result.log.startsWith('[ID ')) {
      const close = result.log.indexOf(']');
      if (close !== -1) result.log = result.log.slice(close + 2);
    }
  }
  return result;
}

/** A queue message `Q:LOCATION:MESSAGE` split as Wazuh's pre-decoding splits it. */
export interface QueueMessage {
  queue: string;
  /** The internal location: for agent events `(name) ip->path`. */
  location: string;
  agentId: string;
  /** For agent events: the agent name from the location (it replaces the syslog hostname). */
  agentName?: string;
  message: string;
}

/**
 * Splits `Q:LOCATION:MESSAGE` (the location ends at the first `:` not escaped by `|`; `|x` stands for `x`), and
 * reads the `[ID] (NAME) IP->path` prefix remoted adds for agent events. Returns undefined for a malformed message
 * (shorter than 4 characters, no location separator, a `[` without `]`).
 */
export function parseQueueMessage(input: string): QueueMessage | undefined {
  if (input.length < 4) return undefined;
  const queue = input[0] as string;
  let i = 2;
  let raw = '';
  for (; i < input.length; i++) {
    const c = input[i];
    if (c === '|' && i + 1 < input.length) {
      raw += input[i + 1];
      i++;
      continue;
    }
    if (c === ':') break;
    raw += c;
  }
  if (i >= input.length) return undefined;
  const message = input.slice(i + 1);
  if (!raw.startsWith('[')) return { queue, location: raw, agentId: '000', message };
  const close = raw.indexOf(']');
  if (close === -1) return undefined;
  const agentId = raw.slice(1, close);
  const location = raw.slice(close + 2);
  const out: QueueMessage = { queue, location, agentId, message };
  const open = location.indexOf('(');
  const end = location.indexOf(')', open + 1);
  if (open !== -1 && end !== -1) out.agentName = location.slice(open + 1, end);
  return out;
}
