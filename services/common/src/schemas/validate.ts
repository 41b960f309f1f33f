import type { Static, TSchema } from '@sinclair/typebox';
import { FormatRegistry } from '@sinclair/typebox';
import { TypeCompiler, type TypeCheck } from '@sinclair/typebox/compiler';
import { InvalidMessageError } from '../errors.ts';

const ISO_DATE_TIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:?\d{2})$/;
if (!FormatRegistry.Has('date-time')) {
  FormatRegistry.Set('date-time', (value) => ISO_DATE_TIME.test(value) && !Number.isNaN(Date.parse(value)));
}

export interface Validator<S extends TSchema> {
  readonly name: string;
  check(value: unknown): value is Static<S>;
  /** Returns the value typed, or throws InvalidMessageError naming the first field at fault. */
  assert(value: unknown): Static<S>;
  /** Parses JSON bytes and validates them. */
  parse(data: Uint8Array | string): Static<S>;
}

const decoder = new TextDecoder('utf-8', { fatal: false });

export function describeField(path: string): string {
  return path.replace(/^\//, '').replace(/\//g, '.') || '(root)';
}

/** Compiles a schema once into a fast validator. */
export function compileValidator<S extends TSchema>(schema: S, name: string): Validator<S> {
  const compiled: TypeCheck<S> = TypeCompiler.Compile(schema);
  const assert = (value: unknown): Static<S> => {
    if (compiled.Check(value)) return value;
    const errors = [...compiled.Errors(value)];
    const first = errors[0];
    const message = first
      ? `invalid ${name}: field '${describeField(first.path)}': ${first.message}`
      : `invalid ${name}`;
    throw new InvalidMessageError('EVENT_INVALID', message, {
      details: { errors: errors.slice(0, 5).map((e) => ({ field: describeField(e.path), message: e.message })) },
    });
  };
  return {
    name,
    check: (value: unknown): value is Static<S> => compiled.Check(value),
    assert,
    parse(data) {
      const text = typeof data === 'string' ? data : decoder.decode(data);
      let value: unknown;
      try {
        value = JSON.parse(text);
      } catch (cause) {
        throw new InvalidMessageError('EVENT_NOT_JSON', `invalid ${name}: not JSON: ${(cause as Error).message}`, { cause });
      }
      return assert(value);
    },
  };
}
