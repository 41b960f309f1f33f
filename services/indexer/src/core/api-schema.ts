import { checkParameter, PARAMETER_MESSAGES, PARAMETERS, PATH_PARAMETERS, QueryParameterError, type ParamSpec } from './api-params.ts';

/** A JSON Schema (draft 7, as Ajv takes it) of an object of string parameters. */
export interface ParametersSchema {
  type: 'object';
  properties: Record<string, { type: 'string'; minLength: 1; maxLength: number; pattern?: string; enum?: string[] }>;
  required: string[];
  additionalProperties: false;
}

function schemaOf(names: readonly string[], specs: Readonly<Record<string, ParamSpec>>, required: readonly string[]): ParametersSchema {
  const properties: ParametersSchema['properties'] = {};
  for (const name of names) {
    const spec = specs[name];
    if (!spec) throw new Error(`no spec for the parameter '${name}'`);
    properties[name] = {
      type: 'string',
      minLength: 1,
      maxLength: spec.max ?? 256,
      ...(spec.pattern ? { pattern: spec.pattern.source } : {}),
      ...(spec.values ? { enum: [...spec.values] } : {}),
    };
  }
  return { type: 'object', properties, required: [...required], additionalProperties: false };
}

/** The schema of a route's query string: these parameters only, each once, as {@link PARAMETERS} says. */
export function querySchema(names: readonly string[], required: readonly string[] = []): ParametersSchema {
  return schemaOf(names, PARAMETERS, required);
}

/** The schema of a route's path parameters ({@link PATH_PARAMETERS}). */
export function pathSchema(names: readonly string[]): ParametersSchema {
  return schemaOf(names, PATH_PARAMETERS, names);
}

/** One failure of schema validation as Ajv reports it. */
export interface SchemaFailure {
  keyword: string;
  instancePath: string;
  params: Record<string, unknown>;
}

/**
 * A schema failure as the 400 the API answers: the parameter it names and the message {@link Params} would give,
 * so a bad parameter reads the same whether the schema or the reader caught it.
 */
export function parameterErrorOf(failure: SchemaFailure, input: Readonly<Record<string, unknown>>, schema: ParametersSchema, path: boolean): QueryParameterError {
  const specs = path ? PATH_PARAMETERS : PARAMETERS;
  if (failure.keyword === 'additionalProperties') {
    const name = String(failure.params['additionalProperty']);
    return new QueryParameterError(name, PARAMETER_MESSAGES.unknown(Object.keys(schema.properties)));
  }
  if (failure.keyword === 'required') {
    const name = String(failure.params['missingProperty']);
    return new QueryParameterError(name, PARAMETER_MESSAGES.required(specs[name]));
  }
  const name = failure.instancePath.split('/')[1] ?? '';
  const value = input[name];
  if (typeof value !== 'string') return new QueryParameterError(name, PARAMETER_MESSAGES.repeated());
  return new QueryParameterError(name, checkParameter(value, specs[name] ?? {}) ?? `is not valid (${failure.keyword})`);
}
