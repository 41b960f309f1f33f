import { readWazuhXml, type XmlElement } from '@vigil/wazuh-format';
import { FileVariables } from '@vigil/wazuh-format';
import { compileCapturing, compileMatcher, parseDialect, type PatternDialect } from '@vigil/wazuh-format';
import { PatternError } from '@vigil/wazuh-format';
import {
  DECODER_TYPES,
  PLUGIN_NAMES,
  STATIC_FIELDS,
  type CompiledDecoder,
  type DecoderSet,
  type DecoderType,
  type FieldTarget,
  type LoadProblem,
  type PluginName,
  type RegexOffset,
} from './decoder-types.ts';

/** One decoder file: its name (for messages) and its text. Callers sort files by basename, as Wazuh does. */
export interface DecoderSource {
  file: string;
  text: string;
}

export interface DecoderLoadResult {
  set: DecoderSet;
  errors: LoadProblem[];
  warnings: LoadProblem[];
}

const STATIC = new Set<string>(STATIC_FIELDS);
const KNOWN_ELEMENTS = new Set([
  'parent', 'program_name', 'prematch', 'regex', 'order', 'fts', 'ftscomment', 'type', 'plugin_decoder', 'use_own_name',
  'accumulate', 'json_null_field', 'json_array_structure', 'var',
]);

/** Maps an `<order>` name to its field: `user` is `dstuser`; static names are static; anything else is dynamic. */
export function fieldTarget(name: string): FieldTarget {
  const n = name === 'user' ? 'dstuser' : name;
  return { name: n, isStatic: STATIC.has(n) };
}

interface Draft {
  el: XmlElement;
  parentLine: number;
  decoder: CompiledDecoder;
  hasRegexOrPlugin: boolean;
}

/**
 * Loads decoder files into a decoder tree (reader → collector → compiler). Every problem is reported with its file,
 * line and a code; loading goes on after an error so that all of them are reported at once. Unknown elements are
 * warnings. The caller refuses to start when `errors` is not empty.
 */
export function loadDecoders(sources: readonly DecoderSource[]): DecoderLoadResult {
  const errors: LoadProblem[] = [];
  const warnings: LoadProblem[] = [];
  const set: DecoderSet = { withProgramName: [], withoutProgramName: [], decoderCount: 0, files: [] };
  const topByName = new Map<string, CompiledDecoder[]>();

  for (const source of sources) {
    set.files.push(source.file);
    const { elements, error } = readWazuhXml(source.text);
    if (error) {
      errors.push({ file: source.file, line: error.line, code: 'XML_INVALID', message: error.message });
      continue;
    }
    const vars = new FileVariables();
    for (const el of elements) {
      const problem = (line: number, code: string, message: string) => ({ file: source.file, line, code, message });
      const err = (line: number, code: string, message: string) => errors.push(problem(line, code, message));
      const warn = (line: number, code: string, message: string) => warnings.push(problem(line, code, message));
      const sub = (text: string, line: number): string => {
        const r = vars.substitute(text);
        for (const name of r.unknown) err(line, 'VARIABLE_UNKNOWN', `unknown variable '$${name}'`);
        return r.text;
      };
      if (el.name === 'var') {
        const name = el.attributes['name'];
        if (!name) err(el.line, 'VARIABLE_INVALID', '<var> without a name attribute');
        else vars.define(name, el.text);
        continue;
      }
      if (el.name !== 'decoder') {
        err(el.line, 'ELEMENT_INVALID', `<${el.name}> is not allowed at the top level of a decoder file (only <decoder> and <var>)`);
        continue;
      }
      const draft = compileDecoder(el, source.file, sub, err, warn);
      if (!draft) continue;
      set.decoderCount++;
      const d = draft.decoder;
      if (d.parent === undefined) {
        (d.programName ? set.withProgramName : set.withoutProgramName).push(d);
        const list = topByName.get(d.ownName) ?? [];
        list.push(d);
        topByName.set(d.ownName, list);
        continue;
      }
      const parents = topByName.get(d.parent);
      if (!parents) {
        err(draft.parentLine, 'PARENT_NOT_FOUND', `decoder '${d.ownName}': parent '${d.parent}' is not a top-level decoder defined before it`);
        continue;
      }
      const siblings = parents[0]?.children.filter((c) => c.ownName === d.ownName) ?? [];
      if (siblings.length > 0) {
        if (d.prematch) err(el.line, 'SIBLING_INVALID', `decoder '${d.ownName}': a sibling decoder (same name as an earlier child) cannot have <prematch>`);
        if (d.fts) err(el.line, 'SIBLING_INVALID', `decoder '${d.ownName}': a sibling decoder cannot have <fts>`);
        if (!draft.hasRegexOrPlugin) err(el.line, 'SIBLING_INVALID', `decoder '${d.ownName}': a sibling decoder needs a <regex> or <plugin_decoder>`);
        for (const s of siblings) {
          if (!s.regex && !s.plugin) err(el.line, 'SIBLING_INVALID', `decoder '${d.ownName}': its earlier sibling has no <regex> or <plugin_decoder>`);
        }
      } else if (d.regexOffset === 'after_regex') {
        err(el.line, 'DECODER_INVALID', `decoder '${d.ownName}': offset="after_regex" needs an earlier sibling decoder of the same name`);
      }
      for (const p of parents) {
        for (const c of p.children) if (c.ownName === d.ownName) c.getNext = true;
        p.children.push(d);
      }
    }
  }
  return { set, errors, warnings };
}

function compileDecoder(
  el: XmlElement,
  file: string,
  sub: (text: string, line: number) => string,
  err: (line: number, code: string, message: string) => void,
  warn: (line: number, code: string, message: string) => void,
): Draft | undefined {
  const name = el.attributes['name'];
  if (!name) {
    err(el.line, 'DECODER_INVALID', '<decoder> without a name attribute');
    return undefined;
  }
  for (const attr of Object.keys(el.attributes)) {
    if (attr !== 'name' && attr !== 'status') warn(el.line, 'ATTRIBUTE_UNKNOWN', `decoder '${name}': unknown attribute '${attr}' ignored`);
  }
  const label = `decoder '${name}'`;
  const d: CompiledDecoder = {
    name,
    ownName: name,
    file,
    line: el.line,
    prematchAfterParent: false,
    regexOffset: 'none',
    order: [],
    pluginOffset: 'none',
    type: 'syslog',
    accumulate: false,
    jsonNullField: 'string',
    jsonArrayStructure: 'array',
    children: [],
    getNext: false,
  };
  let useOwnName = false;
  let parentLine = el.line;
  let programText: string | undefined;
  let programDialect: PatternDialect = 'osmatch';
  let programLine = el.line;
  let prematchText: string | undefined;
  let prematchDialect: PatternDialect = 'osregex';
  let prematchLine = el.line;
  let regexText: string | undefined;
  let regexDialect: PatternDialect = 'osregex';
  let regexLine = el.line;
  let prematchOffset: string | undefined;
  let regexOffsetText: string | undefined;
  let orderSeen = false;
  let ftsSeen = false;

  const dialect = (child: XmlElement, fallback: PatternDialect, allowed: readonly PatternDialect[]): PatternDialect => {
    const type = child.attributes['type'];
    if (type === undefined) return fallback;
    const parsed = parseDialect(sub(type, child.line));
    if (parsed === undefined || !allowed.includes(parsed)) {
      warn(child.line, 'PATTERN_TYPE_INVALID', `${label}: <${child.name}> type="${type}" is not one of ${allowed.join(', ')}; using ${fallback}`);
      return fallback;
    }
    return parsed;
  };
  const compile = <T>(child: XmlElement, make: () => T): T | undefined => {
    try {
      return make();
    } catch (e) {
      if (e instanceof PatternError) {
        err(child.line, 'PATTERN_INVALID', `${label}: <${child.name}>: ${e.message}`);
        return undefined;
      }
      throw e;
    }
  };

  for (const child of el.children) {
    const text = sub(child.text, child.line);
    switch (child.name) {
      case 'parent':
        d.parent = text;
        parentLine = child.line;
        break;
      case 'program_name':
        // Repeated elements are concatenated; the type comes from the last one that gives one.
        programText = (programText ?? '') + text;
        programLine = child.line;
        if (child.attributes['type'] !== undefined) programDialect = dialect(child, 'osmatch', ['osmatch', 'osregex', 'pcre2']);
        break;
      case 'prematch':
        prematchText = (prematchText ?? '') + text;
        prematchLine = child.line;
        if (child.attributes['type'] !== undefined) prematchDialect = dialect(child, 'osregex', ['osregex', 'pcre2']);
        if (child.attributes['offset'] !== undefined) prematchOffset = child.attributes['offset'];
        break;
      case 'regex': {
        if (regexText === undefined) {
          regexText = text;
          regexLine = child.line;
          regexOffsetText = child.attributes['offset'];
        } else {
          regexText += text;
          if (child.attributes['offset'] !== undefined) {
            warn(child.line, 'ATTRIBUTE_IGNORED', `${label}: only the first <regex> may carry an offset; this one is ignored`);
          }
        }
        if (child.attributes['type'] !== undefined) regexDialect = dialect(child, 'osregex', ['osregex', 'pcre2']);
        break;
      }
      case 'order':
        orderSeen = true;
        d.order = text.split(',').map((f) => fieldTarget(f.trim()));
        if (d.order.length > 256) err(child.line, 'DECODER_INVALID', `${label}: <order> has more than 256 fields`);
        break;
      case 'fts':
        ftsSeen = true;
        d.fts = text.split(',').map((f) => f.trim()).filter((f) => f !== '');
        break;
      case 'ftscomment':
        d.ftscomment = text;
        break;
      case 'type':
        if ((DECODER_TYPES as readonly string[]).includes(text)) d.type = text as DecoderType;
        else err(child.line, 'DECODER_INVALID', `${label}: <type>${text}</type> is not one of ${DECODER_TYPES.join(', ')}`);
        break;
      case 'plugin_decoder': {
        if (!(PLUGIN_NAMES as readonly string[]).includes(text)) {
          err(child.line, 'DECODER_INVALID', `${label}: unknown plugin decoder '${text}' (known: ${PLUGIN_NAMES.join(', ')})`);
          break;
        }
        d.plugin = text as PluginName;
        const off = child.attributes['offset'];
        if (off === 'after_parent' || off === 'after_prematch') d.pluginOffset = off;
        else if (off !== undefined) err(child.line, 'DECODER_INVALID', `${label}: <plugin_decoder> offset="${off}" (allowed: after_parent, after_prematch)`);
        break;
      }
      case 'use_own_name':
        useOwnName = text === 'true';
        break;
      case 'accumulate':
        d.accumulate = true;
        break;
      case 'json_null_field':
        if (text === 'discard' || text === 'string' || text === 'empty') d.jsonNullField = text;
        else warn(child.line, 'VALUE_INVALID', `${label}: <json_null_field>${text}</json_null_field> unknown; using 'string'`);
        break;
      case 'json_array_structure':
        if (text === 'array' || text === 'csv') d.jsonArrayStructure = text;
        else warn(child.line, 'VALUE_INVALID', `${label}: <json_array_structure>${text}</json_array_structure> unknown; using 'array'`);
        break;
      default:
        if (!KNOWN_ELEMENTS.has(child.name)) warn(child.line, 'ELEMENT_UNKNOWN', `${label}: unknown element <${child.name}> ignored`);
    }
  }

  if (programText !== undefined) {
    const text = programText;
    const m = compile({ ...el, name: 'program_name', line: programLine }, () => compileMatcher(programDialect, text));
    if (m) d.programName = m;
  }
  if (prematchText !== undefined) {
    const text = prematchText;
    const m = compile({ ...el, name: 'prematch', line: prematchLine }, () => compileCapturing(prematchDialect as 'osregex' | 'pcre2', text, { captures: false }));
    if (m) d.prematch = m;
  }
  if (regexText !== undefined) {
    const text = regexText;
    const m = compile({ ...el, name: 'regex', line: regexLine }, () => compileCapturing(regexDialect as 'osregex' | 'pcre2', text, { captures: true }));
    if (m) d.regex = m;
  }
  const isChild = d.parent !== undefined;
  if (isChild && !useOwnName) d.name = d.parent as string;
  // Validation, as Wazuh's loader does it.
  if (!d.prematch && !isChild && !d.programName) err(el.line, 'DECODER_INVALID', `${label}: needs a <prematch>, a <parent> or a <program_name>`);
  if (regexText !== undefined && !orderSeen) err(regexLine, 'DECODER_INVALID', `${label}: <regex> needs an <order>`);
  if ((orderSeen || ftsSeen) && regexText === undefined && !d.plugin) err(el.line, 'DECODER_INVALID', `${label}: <order> and <fts> need a <regex>`);
  if (d.plugin && regexText !== undefined) err(el.line, 'DECODER_INVALID', `${label}: <plugin_decoder> cannot be combined with <regex>`);
  if (prematchOffset !== undefined) {
    if (prematchOffset === 'after_parent') {
      if (!isChild) err(el.line, 'DECODER_INVALID', `${label}: <prematch offset="after_parent"> needs a <parent>`);
      d.prematchAfterParent = true;
    } else if (prematchOffset === 'after_prematch' || prematchOffset === 'after_regex') {
      err(el.line, 'DECODER_INVALID', `${label}: <prematch> cannot have offset="${prematchOffset}"`);
    } else warn(el.line, 'ATTRIBUTE_INVALID', `${label}: <prematch> offset="${prematchOffset}" is unknown; no offset is used`);
  }
  if (regexOffsetText !== undefined) {
    const off = regexOffsetText as RegexOffset;
    if (off === 'after_parent') {
      if (!isChild) err(regexLine, 'DECODER_INVALID', `${label}: <regex offset="after_parent"> needs a <parent>`);
      d.regexOffset = off;
    } else if (off === 'after_prematch') {
      // On a top-level decoder it silently means after_parent; a child needs its own prematch.
      if (!isChild) d.regexOffset = 'after_parent';
      else {
        if (!d.prematch) err(regexLine, 'DECODER_INVALID', `${label}: <regex offset="after_prematch"> on a child decoder needs a <prematch>`);
        d.regexOffset = off;
      }
    } else if (off === 'after_regex') {
      if (!isChild) err(regexLine, 'DECODER_INVALID', `${label}: <regex offset="after_regex"> needs a <parent>`);
      d.regexOffset = off;
    } else warn(regexLine, 'ATTRIBUTE_INVALID', `${label}: <regex> offset="${regexOffsetText}" is unknown; no offset is used`);
  }
  if (d.fts) {
    const dynamic = new Set(d.order.filter((o) => !o.isStatic).map((o) => o.name));
    const known = new Set(['name', 'user', 'dstuser', 'srcuser', 'srcip', 'dstip', 'id', 'location', 'data', 'extra_data', 'system_name']);
    for (const f of d.fts) if (!known.has(f) && !dynamic.has(f)) err(el.line, 'DECODER_INVALID', `${label}: <fts> field '${f}' is neither a known key nor a field of <order>`);
  }
  return { el, parentLine, decoder: d, hasRegexOrPlugin: regexText !== undefined || d.plugin !== undefined };
}
