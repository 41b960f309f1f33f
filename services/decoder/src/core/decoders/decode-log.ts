import { resumeAfter } from '@vigil/wazuh-format';
import type { CompiledDecoder, DecoderSet, DecoderType } from './decoder-types.ts';
import { buildLiteralIndex, dispatchOf, type Dispatch, type LiteralIndex } from './literal-prefilter.ts';
import { setField, type DecodedFields } from './decoded-fields.ts';
import { decodeJson } from './plugins/json-decoder.ts';
import { addK8sAuditFields } from './plugins/k8s-audit.ts';
import { decodeOssecAlert, type OssecAlertInfo } from './plugins/ossec-alert-decoder.ts';
import { decodePf } from './plugins/pf-decoder.ts';
import { decodeSonicWall } from './plugins/sonicwall-decoder.ts';
import { decodeSymantecWs } from './plugins/symantec-ws-decoder.ts';

/** What decoding reads from a pre-decoded event. */
export interface DecodeLogInput {
  /** The message after the syslog header. */
  log: string;
  /** Set (even to `''`) when pre-decoding found a program name: only decoders with `<program_name>` are tried. */
  programName?: string | undefined;
}

/** The decoder that owns the event, as the output reports it. */
export interface DecoderOwner {
  name: string;
  parent?: string;
  ftscomment?: string;
  type: DecoderType;
  accumulate: boolean;
  /** The `<fts>` fields of the owner, to build the first-time-seen key. */
  fts?: string[];
}

export interface DecodeLogResult {
  /** Undefined when no decoder matched. */
  decoder?: DecoderOwner;
  fields: DecodedFields;
  /** Set by OSSECAlert_Decoder. */
  ossecAlert?: OssecAlertInfo;
}

/** How decodeLog may be run; the defaults are what the service uses. */
export interface DecodeLogOptions {
  /**
   * Skip the top-level decoders whose prematch literals are all absent from the log (literal-prefilter.ts;
   * default true). It changes no result: false is the reference it is tested against.
   */
  literalPrefilter?: boolean;
}

/**
 * Per decoder set, what the top-level dispatch needs, built on first use: the prefiltered list of decoders without
 * `<program_name>`, and which decoders with `<program_name>` accept a program name. The latter is a pure function
 * of the name, so it is memoised (program names are few: sshd, sudo, kernel...); bounded: cleared when it grows
 * large. The lists are checked for identity and length, so that a set changed after first use is indexed again.
 */
interface SetDispatch {
  withProgramName: readonly CompiledDecoder[];
  withProgramLength: number;
  withoutProgramName: readonly CompiledDecoder[];
  withoutProgramLength: number;
  withoutProgram: Dispatch;
  withProgramIndex: LiteralIndex | undefined;
  programs: Map<string, Dispatch>;
}
const dispatches = new WeakMap<DecoderSet, SetDispatch>();
const MAX_CACHED_PROGRAMS = 4096;

function setDispatch(set: DecoderSet): SetDispatch {
  let sd = dispatches.get(set);
  if (
    sd === undefined ||
    sd.withProgramName !== set.withProgramName ||
    sd.withProgramLength !== set.withProgramName.length ||
    sd.withoutProgramName !== set.withoutProgramName ||
    sd.withoutProgramLength !== set.withoutProgramName.length
  ) {
    const without = set.withoutProgramName;
    sd = {
      withProgramName: set.withProgramName,
      withProgramLength: set.withProgramName.length,
      withoutProgramName: without,
      withoutProgramLength: without.length,
      withoutProgram: dispatchOf(without.slice(), buildLiteralIndex(without)),
      withProgramIndex: buildLiteralIndex(set.withProgramName),
      programs: new Map(),
    };
    dispatches.set(set, sd);
  }
  return sd;
}

function candidatesFor(sd: SetDispatch, programName: string): Dispatch {
  const cache = sd.programs;
  let dispatch = cache.get(programName);
  if (dispatch === undefined) {
    const list = sd.withProgramName.filter((d) => !d.programName || d.programName.test(programName));
    dispatch = dispatchOf(list, sd.withProgramIndex);
    if (cache.size >= MAX_CACHED_PROGRAMS) cache.clear();
    cache.set(programName, dispatch);
  }
  return dispatch;
}

function ownerOf(d: CompiledDecoder): DecoderOwner {
  const o: DecoderOwner = { name: d.name, type: d.type, accumulate: d.accumulate };
  if (d.parent !== undefined) o.parent = d.parent;
  if (d.ftscomment !== undefined) o.ftscomment = d.ftscomment;
  if (d.fts !== undefined) o.fts = d.fts;
  return o;
}

/**
 * Wazuh's decoding of one event (see docs/decoding.md): the first top-level decoder whose `<program_name>` and
 * `<prematch>` pass owns the event; its first child whose prematch passes (or the first child without prematch)
 * is selected; then the selected decoder's regex or plugin extracts fields, going on through its sibling group.
 * Pure: reads only its arguments (which program names the decoders accept, and the literal prefilter of the
 * top-level lists, are built once per decoder set).
 */
export function decodeLog(set: DecoderSet, input: DecodeLogInput, options?: DecodeLogOptions): DecodeLogResult {
  const log = input.log;
  const fields: DecodedFields = {};
  const sd = setDispatch(set);
  const dispatch = input.programName !== undefined ? candidatesFor(sd, input.programName) : sd.withoutProgram;
  const list = dispatch.decoders;
  const automaton = options?.literalPrefilter === false ? undefined : dispatch.automaton;
  // The line is scanned once, when the first prefiltered decoder is reached (an earlier match spares the scan).
  let scanned = false;
  for (let t = 0; t < list.length; t++) {
    const top = list[t] as CompiledDecoder;
    if (automaton !== undefined) {
      const ids = dispatch.literals[t];
      if (ids !== undefined) {
        if (!scanned) {
          automaton.scan(log);
          scanned = true;
        }
        if (!automaton.hasAny(ids)) continue;
      }
    }
    let pmatch = 0;
    if (top.prematch) {
      const m = top.prematch.exec(log, 0);
      if (m === null) continue;
      pmatch = resumeAfter(log, m.end);
    }
    // From here on, no other top-level decoder is tried.
    let owner: CompiledDecoder = top;
    let afterParent: number | undefined;
    let afterPrematch = pmatch;
    let selected: CompiledDecoder | undefined;
    let selectedIndex = -1;
    let cmatch: number | undefined;
    if (top.children.length === 0) {
      selected = top;
    } else {
      const children = top.children;
      for (let i = 0; i < children.length; i++) {
        const c = children[i] as CompiledDecoder;
        if (c.prematch) {
          const from = c.prematchAfterParent ? pmatch : 0;
          const m = c.prematch.exec(log, from);
          if (m !== null) {
            cmatch = resumeAfter(log, m.end);
            owner = c;
            afterParent = pmatch;
            afterPrematch = cmatch;
            selected = c;
            selectedIndex = i;
            break;
          }
        } else {
          cmatch = pmatch;
          selected = c;
          selectedIndex = i;
          break;
        }
        if (c.getNext) {
          // Skip the whole sibling group.
          while (i + 1 < children.length && (children[i + 1] as CompiledDecoder).getNext) i++;
          i++;
        }
      }
      if (!selected) return { decoder: ownerOf(owner), fields };
    }
    const result: DecodeLogResult = { decoder: ownerOf(owner), fields };
    // Extraction. A parent's own regex/plugin is ignored when it has children.
    let prev: number | undefined;
    let node: CompiledDecoder = selected;
    let index = selectedIndex;
    for (;;) {
      if (node.plugin) {
        const base = owner.pluginOffset === 'after_parent' ? (afterParent ?? 0) : owner.pluginOffset === 'after_prematch' ? afterPrematch : 0;
        switch (node.plugin) {
          case 'JSON_Decoder':
            decodeJson(log, base, fields, owner);
            break;
          case 'Vigil_K8sAudit_Decoder':
            addK8sAuditFields(decodeJson(log, base, fields, owner), fields);
            break;
          case 'PF_Decoder':
            decodePf(log, fields);
            break;
          case 'SymantecWS_Decoder':
            decodeSymantecWs(log, fields);
            break;
          case 'SonicWall_Decoder': {
            const type = decodeSonicWall(log, fields);
            (result.decoder as DecoderOwner).type = type;
            break;
          }
          case 'OSSECAlert_Decoder': {
            (result.decoder as DecoderOwner).type = 'ossec';
            const info = decodeOssecAlert(log, fields);
            if (info) result.ossecAlert = info;
            break;
          }
        }
      } else if (node.regex) {
        let from: number;
        switch (node.regexOffset) {
          case 'after_parent': from = pmatch; break;
          case 'after_prematch': from = cmatch ?? pmatch; break;
          case 'after_regex': from = prev ?? cmatch ?? pmatch; break;
          default: from = 0;
        }
        const m = node.regex.exec(log, from);
        if (m === null) {
          if (node.getNext && index >= 0 && index + 1 < top.children.length) {
            node = top.children[++index] as CompiledDecoder;
            continue;
          }
          return result;
        }
        prev = resumeAfter(log, m.end);
        const n = Math.min(m.captures.length, node.order.length);
        for (let i = 0; i < n; i++) setField(fields, node.order[i]!, m.captures[i] as string);
      } else return result;
      if (node.getNext && index >= 0 && index + 1 < top.children.length) node = top.children[++index] as CompiledDecoder;
      else return result;
    }
  }
  return { fields };
}
