import { VigilError } from '@vigil/common';
import { decoderSources, readOssecConfRuleset } from '@vigil/wazuh-format';
import { loadDecoders, type DecoderLoadResult } from '../core/decoders/load-decoders.ts';
import { formatProblem } from '../core/decoders/decoder-types.ts';

/**
 * Reads and compiles the decoders of the given ruleset paths (found and ordered by `decoderSources` of
 * @vigil/wazuh-format), or those an `ossec.conf` names, in its order (`readOssecConfRuleset`). Refuses (VigilError
 * RULESET_INVALID, every problem as `file:line: what is wrong`) when any file has an error; warnings are returned
 * for the caller to log.
 */
export function loadDecoderFiles(paths: readonly string[], options: { ossecConf?: string } = {}): DecoderLoadResult {
  const sources = options.ossecConf !== undefined ? readOssecConfRuleset(options.ossecConf).decoders : decoderSources(paths);
  const result = loadDecoders(sources);
  if (result.errors.length > 0) {
    const lines = result.errors.map(formatProblem);
    throw new VigilError('RULESET_INVALID', `decoders have ${lines.length} error(s):\n${lines.join('\n')}`, { details: { errors: result.errors } });
  }
  return result;
}
