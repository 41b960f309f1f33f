import { VigilError } from '@vigil/common';

/** A pattern that cannot be compiled (bad syntax, or a PCRE2 feature JavaScript cannot express safely). */
export class PatternError extends VigilError {
  readonly dialect: 'osregex' | 'osmatch' | 'pcre2';
  readonly pattern: string;

  constructor(dialect: 'osregex' | 'osmatch' | 'pcre2', pattern: string, message: string, options: { cause?: unknown } = {}) {
    super('RULESET_INVALID', `${dialect} pattern '${pattern.length > 120 ? `${pattern.slice(0, 117)}...` : pattern}': ${message}`, options);
    this.name = 'PatternError';
    this.dialect = dialect;
    this.pattern = pattern;
  }
}
