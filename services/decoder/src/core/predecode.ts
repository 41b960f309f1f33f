/** What pre-decoding takes out of a syslog-style header (Wazuh's pre-decoding, see docs/decoding.md). */
export interface Predecoded {
  /** The message after the header: what decoders and rules match against. */
  log: string;
  timestamp?: string;
  hostname?: string;
  /** `''` is meaningful (a `HOST : msg` header) and differs from absent. */
  program_name?: string;
}

const VALID = /[A-Za-z0-9\-._/@()]/;

function isDigit(c: string | undefined): boolean {
  return c !== undefined && c >= '0' && c <= '9';
}

interface TimestampCut {
  logStart: number;
  timestampLength: number;
}

/** Recognises the timestamp forms by fixed character positions, exactly as Wazuh does (see the vectors). */
function timestampCut(p: string): TimestampCut | undefined {
  const L = p.length + 1;
  const at = (i: number) => p[i];
  // A: BSD "Dec 29 10:00:01 host ..."
  if (L > 17 && at(3) === ' ' && at(6) === ' ' && at(9) === ':' && at(12) === ':' && at(15) === ' ') return { logStart: 16, timestampLength: 15 };
  // B: "2015-04-16 21:51:02,805 ..."
  if (L > 24 && at(4) === '-' && at(7) === '-' && at(10) === ' ' && at(13) === ':' && at(16) === ':' && at(19) === ',') return { logStart: 24, timestampLength: 23 };
  // C: ISO 8601 with T
  if (L > 33 && at(4) === '-' && at(7) === '-' && at(10) === 'T' && at(13) === ':' && at(16) === ':') {
    if (at(22) === ':' && at(25) === ' ') return { logStart: 26, timestampLength: 25 };
    if (at(19) === '.') {
      if (at(26) === ':') return { logStart: 30, timestampLength: 29 };
      if (at(29) === ':') return { logStart: 33, timestampLength: 32 };
      return { logStart: 32, timestampLength: 31 };
    }
  }
  // D: "2015 Dec 29 10:00:01 ..."
  if (L > 21 && isDigit(at(0)) && at(4) === ' ' && at(8) === ' ' && at(11) === ' ' && at(14) === ':' && at(17) === ':' && at(20) === ' ') return { logStart: 21, timestampLength: 20 };
  // E: "2021-04-21 10:16:09.404756-0700 ..."
  if (L > 33 && isDigit(at(0)) && at(4) === '-' && at(7) === '-' && at(10) === ' ' && at(13) === ':' && at(16) === ':' && at(19) === '.' && (at(26) === '-' || at(26) === '+') && at(31) === ' ') return { logStart: 32, timestampLength: 31 };
  return undefined;
}

/** Parses the syslog-style header of a message: timestamp, hostname, program name; the rest is `log`. */
export function predecode(message: string): Predecoded {
  // "Mär" (UTF-8 ä at 1..2) is read as "Mar" for detection.
  const detect = message.charCodeAt(1) === 0xe4 ? message[0] + 'a' + message.slice(2) : message;
  const cut = timestampCut(detect);
  if (!cut) return { log: message };
  const result: Predecoded = { log: message, timestamp: message.slice(0, cut.timestampLength) };
  let rest = message.slice(cut.logStart);
  if (rest.startsWith(' ')) rest = rest.slice(1);
  let i = 0;
  while (i < rest.length && VALID.test(rest[i] as string)) i++;
  const c = rest[i];
  if (c === ':' && rest[i + 1] === ' ') {
    result.program_name = rest.slice(0, i);
    result.log = rest.slice(i + 2);
    return result;
  }
  if (c !== ' ') {
    result.log = rest;
    return result;
  }
  result.hostname = rest.slice(0, i);
  const afterHost = rest.slice(i + 1);
  result.log = afterHost;
  let j = 0;
  while (j < afterHost.length && VALID.test(afterHost[j] as string)) j++;
  const t = afterHost[j];
  if (t === ':') {
    result.program_name = afterHost.slice(0, j);
    let k = j + 1;
    if (afterHost[k] === ' ') k++;
    result.log = afterHost.slice(k);
  } else if (t === '[') {
    let k = j + 1;
    while (isDigit(afterHost[k])) k++;
    if (k > j + 1 && afterHost[k] === ']' && afterHost[k + 1] === ':') {
      result.program_name = afterHost.slice(0, j);
      k += 2;
      if (afterHost[k] === ' ') k++;
      result.log = afterHost.slice(k);
    } else if (k > j + 1 && afterHost[k] === ']' && afterHost[k + 1] === ' ') {
      result.program_name = afterHost.slice(0, j);
      result.log = afterHost.slice(k + 2);
    }
  }
  if (result.program_name !== undefined && result.log.startsWith('[ID ')) {
    const close = result.log.indexOf(']');
    if (close !== -1) result.log = result.log.slice(close + 2);
  }
  return result;
}
