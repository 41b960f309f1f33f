import { basename } from 'node:path';
import { VigilError } from '@vigil/common';
import { decoderSources, readOssecConfRuleset, rulesetHash, type RulesetRead } from '@vigil/wazuh-format';
import { loadDecoders, type DecoderLoadResult } from '../core/decoders/load-decoders.ts';
import { formatProblem, type DecoderSet } from '../core/decoders/decoder-types.ts';

/** Where the decoder files come from besides the ruleset paths: an `ossec.conf` names them, in its order. */
export interface DecoderFileOptions {
  ossecConf?: string;
}

/**
 * Reads the decoder files of the given ruleset paths (found and ordered by `decoderSources` of
 * @vigil/wazuh-format), or those an `ossec.conf` names in its order (`readOssecConfRuleset`), with their content
 * hash; compiling them is a second step, so a reload compiles only what changed.
 */
export interface DecoderRulesetRead extends RulesetRead<DecoderSet> {
  compile(): DecoderLoadResult & { value: DecoderSet };
}

export function readDecoderRuleset(paths: readonly string[], options: DecoderFileOptions = {}): DecoderRulesetRead {
  const sources = options.ossecConf !== undefined ? readOssecConfRuleset(options.ossecConf).decoders : decoderSources(paths);
  return {
    hash: rulesetHash(sources.map((s) => ({ name: basename(s.file), text: s.text }))),
    compile() {
      const result = loadDecoders(sources);
      return Object.assign(result, { value: result.set });
    },
  };
}

/**
 * Reads and compiles the decoders of the given ruleset paths (or of an `ossec.conf`). Refuses (VigilError
 * RULESET_INVALID, every problem as `file:line: what is wrong`) when any file has an error; warnings are returned
 * for the caller to log.
 */
export function loadDecoderFiles(paths: readonly string[], options: DecoderFileOptions = {}): DecoderLoadResult & { hash: string } {
  const read = readDecoderRuleset(paths, options);
  const result = read.compile();
  if (result.errors.length > 0) {
    const lines = result.errors.map(formatProblem);
    throw new VigilError('RULESET_INVALID', `decoders have ${lines.length} error(s):\n${lines.join('\n')}`, { details: { errors: result.errors } });
  }
  return Object.assign(result, { hash: read.hash });
}
