import type { CapturingMatcher, TextMatcher } from '@vigil/wazuh-format';

/** Fields every decoder may set by name; anything else in `<order>` is a dynamic field. */
export { STATIC_FIELDS, type StaticField } from '@vigil/wazuh-format';

/** Where one capture goes: a static field (last write wins) or a dynamic one (first occurrence wins). */
export interface FieldTarget {
  name: string;
  isStatic: boolean;
}

/** Wazuh's plugin decoders, and Vigil's own `Vigil_K8sAudit_Decoder` (JSON_Decoder plus the `k8s.*` fields, plugins/k8s-audit.ts). */
export const PLUGIN_NAMES = ['JSON_Decoder', 'OSSECAlert_Decoder', 'PF_Decoder', 'SymantecWS_Decoder', 'SonicWall_Decoder', 'Vigil_K8sAudit_Decoder'] as const;
export type PluginName = (typeof PLUGIN_NAMES)[number];

export const DECODER_TYPES = ['syslog', 'firewall', 'ids', 'web-log', 'squid', 'windows', 'host-information', 'ossec'] as const;
export type DecoderType = (typeof DECODER_TYPES)[number];

export type RegexOffset = 'none' | 'after_parent' | 'after_prematch' | 'after_regex';

/** One decoder, compiled: plain data plus prebuilt patterns. */
export interface CompiledDecoder {
  /** The name reported for it: its parent's name for a child without `use_own_name`. */
  name: string;
  /** The `name` attribute as written. */
  ownName: string;
  /** The `<parent>` text (children only). */
  parent?: string;
  file: string;
  line: number;
  programName?: TextMatcher;
  prematch?: CapturingMatcher;
  prematchAfterParent: boolean;
  regex?: CapturingMatcher;
  regexOffset: RegexOffset;
  order: FieldTarget[];
  plugin?: PluginName;
  pluginOffset: 'none' | 'after_parent' | 'after_prematch';
  type: DecoderType;
  fts?: string[];
  ftscomment?: string;
  accumulate: boolean;
  jsonNullField: 'string' | 'discard' | 'empty';
  jsonArrayStructure: 'array' | 'csv';
  /** Children in file order (top-level decoders only). */
  children: CompiledDecoder[];
  /** A later sibling with the same name follows: the siblings form one group (children only). */
  getNext: boolean;
}

/** The compiled decoder tree: the two top-level lists Wazuh keeps (with and without `<program_name>`). */
export interface DecoderSet {
  withProgramName: CompiledDecoder[];
  withoutProgramName: CompiledDecoder[];
  /** Every decoder element loaded, children included. */
  decoderCount: number;
  files: string[];
}

/** A problem found while loading: where it is, a stable code, and what is wrong. */
export interface LoadProblem {
  file: string;
  line: number;
  code: string;
  message: string;
}

export function formatProblem(p: LoadProblem): string {
  return `${p.file}:${p.line}: ${p.message} [${p.code}]`;
}
