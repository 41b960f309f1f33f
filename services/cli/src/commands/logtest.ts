import { hostname } from 'node:os';
import { basename } from 'node:path';
import type { Alert, DecodedEvent, RawEvent } from '@vigil/common';
import { errorMessage } from '@vigil/common';
import {
  Accumulator,
  decodeEvent,
  formatProblem,
  loadDecoders,
  rulesetXmlFiles,
  type DecoderSet,
} from '@vigil/decoder';
import { inputLines } from './input-lines.ts';
import { readOssecConfRuleset, resolveRulesetPath, toAlertData, type RulesetSource } from '@vigil/wazuh-format';

/**
 * `vigil logtest`: like `wazuh-logtest`, reads log lines on stdin and prints, for each, the pre-decoding, decoding
 * and rule phases. With `json`, each input line may be `{"session", "log", "location"}` (plain text is a line of
 * the default session) and each output line is one JSON object. Each session keeps its own accumulator and
 * correlation state, so a sequence of lines behaves as one wazuh-logtest session.
 */
export interface LogtestOptions {
  /** Ruleset paths (`--ruleset`, repeatable): a folder with decoders/ and rules/, or a folder or file of XML. */
  rulesets?: readonly string[];
  /**
   * Where the rule files come from, when not from `rulesets` (whose decoder files are then the only ones used):
   * `decoder.rulesets` and `ruleEngine.rulesets` of a configuration, as the pipeline loads them.
   */
  ruleRulesets?: readonly string[];
  json?: boolean;
  /**
   * An OSSEC or Wazuh manager's `ossec.conf` (`--ossec-conf`): its decoder files, rule files and CDB lists, in its
   * order, instead of the ruleset paths.
   */
  ossecConf?: string;
  /** Correlation semantics (`--semantics`): Wazuh's (default) or OSSEC's, as ossec-logtest shows them. */
  semantics?: 'wazuh' | 'ossec';
  /** `--alerts-only` (ossec-logtest -a): print only the alerts, one alert JSON per line. */
  alertsOnly?: boolean;
  /** The rule phase (phase 3): built from the rule files of the rulesets. Without it, only phases 1 and 2 run. */
  rules?: LogtestRuleEngine;
  /** The clock (tests pass a fixed one). */
  now?: () => Date;
}

/** What a rule phase gives for one decoded event: the deepest matching rule (even at level 0) and the alert. */
export interface LogtestRuleOutcome {
  /** `{id, level, description, groups, ...}` as in the alert's `rule`, or null when no rule matched. */
  rule: Record<string, unknown> | null;
  /** The alert JSON, when the event generates one. */
  alert?: Alert;
}

/**
 * The seam to the rule engine: compiles rule files once, then gives each session its own evaluator (its own
 * correlation state). The rule engine package provides it; logtest does not depend on how rules are matched.
 */
export interface LogtestRuleEngine {
  load(
    sources: ReadonlyArray<{ file: string; text: string }>,
    managerName: string,
    now?: () => Date,
    options?: LogtestRuleLoadOptions,
  ): {
    errors: ReadonlyArray<{ file: string; line: number; message: string }>;
    warnings?: ReadonlyArray<{ file: string; line: number; message: string }>;
    newSession(): (event: DecodedEvent) => LogtestRuleOutcome;
  };
}

/** How an `ossec.conf` loads rules: its lists, its file order, and the semantics asked for. */
export interface LogtestRuleLoadOptions {
  /** The CDB lists (otherwise those of the rule files' ruleset folders). */
  lists?: ReadonlyArray<{ name: string; file: string; text: string }>;
  /** `given`: load the files in the order passed (an ossec.conf's), not by basename. */
  order?: 'basename' | 'given';
  semantics?: 'wazuh' | 'ossec';
}

export interface LogtestIo {
  stdin: NodeJS.ReadableStream;
  stdout: NodeJS.WritableStream;
  stderr: NodeJS.WritableStream;
}

/** One line of `--json` output. */
export interface LogtestResult {
  session: string;
  predecoder: Record<string, string>;
  decoder: { name: string; parent?: string } | null;
  data: Record<string, unknown>;
  rule: Record<string, unknown> | null;
  alert: boolean;
  output?: Alert;
}

interface Session {
  accumulator: Accumulator;
  rules: ((event: DecodedEvent) => LogtestRuleOutcome) | undefined;
  seq: number;
}

const byBasename = (a: { file: string }, b: { file: string }) => (basename(a.file) < basename(b.file) ? -1 : basename(a.file) > basename(b.file) ? 1 : 0);

/** Flattens nested data for the text phases: `a.b: 'x'`, keys sorted. */
function flatten(value: Record<string, unknown>, prefix = '', out: Array<[string, string]> = []): Array<[string, string]> {
  for (const [k, v] of Object.entries(value)) {
    const key = prefix ? `${prefix}.${k}` : k;
    if (v !== null && typeof v === 'object' && !Array.isArray(v)) flatten(v as Record<string, unknown>, key, out);
    else out.push([key, typeof v === 'string' ? v : JSON.stringify(v)]);
  }
  return out;
}

function textPhases(event: DecodedEvent, result: LogtestResult): string {
  const lines = ['**Phase 1: Completed pre-decoding.', `\tfull event: '${event.full_log}'`];
  for (const [k, v] of Object.entries(result.predecoder)) lines.push(`\t${k}: '${v}'`);
  lines.push('', '**Phase 2: Completed decoding.');
  if (!result.decoder) lines.push('\tNo decoder matched.');
  else {
    lines.push(`\tname: '${result.decoder.name}'`);
    if (result.decoder.parent !== undefined) lines.push(`\tparent: '${result.decoder.parent}'`);
    for (const [k, v] of flatten(result.data).sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0))) lines.push(`\t${k}: '${v}'`);
  }
  if (result.rule) {
    lines.push('', '**Phase 3: Completed filtering (rules).');
    const { id, level, description, groups, firedtimes, ...rest } = result.rule;
    lines.push(`\tid: '${String(id)}'`, `\tlevel: '${String(level)}'`, `\tdescription: '${String(description)}'`, `\tgroups: '${JSON.stringify(groups)}'`);
    if (firedtimes !== undefined) lines.push(`\tfiredtimes: '${String(firedtimes)}'`);
    for (const [k, v] of flatten(rest).sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0))) lines.push(`\t${k}: '${v}'`);
    if (result.alert) lines.push('**Alert to be generated.');
  }
  return `${lines.join('\n')}\n\n`;
}

/** An input chunk this long or longer means more input is waiting (64 KiB: what files and pipes give at once). */
const FULL_CHUNK = 65_536;

/** Runs logtest over the input stream; returns the exit code (1 when the ruleset cannot be loaded). */
export async function logtestCommand(options: LogtestOptions, io: LogtestIo): Promise<number> {
  const now = options.now ?? (() => new Date());
  const paths = options.rulesets && options.rulesets.length > 0 ? options.rulesets : ['builtin'];
  let decoderFiles: RulesetSource[];
  let ruleFiles: RulesetSource[];
  let ruleLoad: LogtestRuleLoadOptions = options.semantics ? { semantics: options.semantics } : {};
  try {
    if (options.ossecConf !== undefined) {
      const conf = readOssecConfRuleset(options.ossecConf);
      ({ decoders: decoderFiles, rules: ruleFiles } = conf);
      ruleLoad = { ...ruleLoad, lists: conf.lists, order: 'given' };
    } else {
      const files = paths.flatMap((p) => rulesetXmlFiles(resolveRulesetPath(p)));
      const ruleSourceFiles = options.ruleRulesets ? options.ruleRulesets.flatMap((p) => rulesetXmlFiles(resolveRulesetPath(p))) : files;
      decoderFiles = files.filter((f) => f.kind === 'decoders').sort(byBasename);
      ruleFiles = ruleSourceFiles.filter((f) => f.kind === 'rules').sort(byBasename);
    }
  } catch (err) {
    io.stderr.write(`vigil logtest: ${errorMessage(err)}\n`);
    return 1;
  }
  const loaded = loadDecoders(decoderFiles);
  for (const w of loaded.warnings) io.stderr.write(`warning: ${formatProblem(w)}\n`);
  if (loaded.errors.length > 0) {
    for (const e of loaded.errors) io.stderr.write(`${formatProblem(e)}\n`);
    io.stderr.write(`vigil logtest: the decoders have ${loaded.errors.length} error(s)\n`);
    return 1;
  }
  const decoders: DecoderSet = loaded.set;
  const managerName = hostname();
  let rulePhase: { newSession(): (event: DecodedEvent) => LogtestRuleOutcome } | undefined;
  if (ruleFiles.length > 0 && options.rules) {
    const rules = options.rules.load(ruleFiles.map(({ file, text }) => ({ file, text })), managerName, now, ruleLoad);
    for (const w of rules.warnings ?? []) io.stderr.write(`warning: ${w.file}:${w.line}: ${w.message}\n`);
    if (rules.errors.length > 0) {
      for (const e of rules.errors) io.stderr.write(`${e.file}:${e.line}: ${e.message}\n`);
      io.stderr.write(`vigil logtest: the rules have ${rules.errors.length} error(s)\n`);
      return 1;
    }
    rulePhase = rules;
  }
  io.stderr.write(`logtest: ${decoders.decoderCount} decoders from ${decoderFiles.length} files, ${ruleFiles.length} rule files\n`);

  const sessions = new Map<string, Session>();
  const sessionOf = (name: string): Session => {
    let s = sessions.get(name);
    if (!s) {
      s = { accumulator: new Accumulator(), rules: rulePhase?.newSession(), seq: 0 };
      sessions.set(name, s);
    }
    return s;
  };

  let isoOf = { ms: Number.NaN, iso: '' };
  const handle = (line: string): string | undefined => {
    if (line.trim() === '') return undefined;
    let session = 'default';
    let log = line;
    let location = 'stdin';
    if (options.json && line.trimStart().startsWith('{')) {
      // An input object has a string `log`; any other line (a JSON event such as {"win":...} too) is the log.
      let input: unknown;
      try {
        input = JSON.parse(line);
      } catch {
        input = undefined;
      }
      const o = input as Record<string, unknown> | undefined;
      if (o !== null && typeof o === 'object' && typeof o['log'] === 'string') {
        log = o['log'];
        if (typeof o['session'] === 'string') session = o['session'];
        if (typeof o['location'] === 'string' && o['location'] !== '') location = o['location'];
      }
    }
    const s = sessionOf(session);
    const at = now();
    const ms = at.getTime();
    if (ms !== isoOf.ms) isoOf = { ms, iso: at.toISOString() }; // many lines share a millisecond
    const raw: RawEvent = {
      v: 1,
      id: `logtest:${session}:${s.seq}`,
      seq: s.seq++,
      agent: { id: '000', name: managerName },
      kind: 'log',
      location,
      collectedAt: isoOf.iso,
      log,
    };
    const event = decodeEvent(raw, { partitions: 1, now: at, decoders, accumulator: s.accumulator });
    const phase: LogtestRuleOutcome = s.rules ? s.rules(event) : { rule: null };
    if (options.alertsOnly) return phase.alert ? `${JSON.stringify(phase.alert)}\n` : undefined;
    const result: LogtestResult = {
      session,
      predecoder: { ...event.predecoder },
      decoder: event.decoder ? { name: event.decoder.name, ...(event.decoder.parent !== undefined ? { parent: event.decoder.parent } : {}) } : null,
      data: toAlertData(event.data as Record<string, string>),
      rule: phase.rule,
      alert: phase.alert !== undefined,
      ...(phase.alert ? { output: phase.alert } : {}),
    };
    return options.json ? `${JSON.stringify(result)}\n` : textPhases(event, result);
  };

  // Output is written in pieces of about 1 MB while the input comes in full chunks (a file, a busy pipe), so that
  // printing stays small beside decoding and matching; after a short chunk (a line typed or sent on its own) at once.
  let out = '';
  for await (const { lines, length } of inputLines(io.stdin)) {
    for (const line of lines) {
      const o = handle(line);
      if (o !== undefined) out += o;
    }
    if (out.length >= 1 << 20 || (out !== '' && length < FULL_CHUNK)) {
      const full = !io.stdout.write(out);
      out = '';
      if (full) await new Promise((resolve) => io.stdout.once('drain', resolve));
    }
  }
  if (out !== '' && !io.stdout.write(out)) await new Promise((resolve) => io.stdout.once('drain', resolve));
  return 0;
}
