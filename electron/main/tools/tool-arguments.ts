/**
 * A model's arguments for a tool: JSON, an object, and valid against the tool's JSON schema. What fails is
 * said in one sentence that goes back to the model (it can correct itself) and shows on the card.
 */
import { Ajv, type ErrorObject, type ValidateFunction } from 'ajv';

const ajv = new Ajv({ allErrors: true, strict: false, validateSchema: false });
const compiled = new WeakMap<object, ValidateFunction | null>();

function validatorFor(schema: Record<string, unknown>): ValidateFunction | null {
  if (compiled.has(schema)) return compiled.get(schema) ?? null;
  let validate: ValidateFunction | null = null;
  try {
    validate = ajv.compile(schema);
  } catch {
    // A schema our validator cannot read: the server checks the arguments itself.
    validate = null;
  }
  compiled.set(schema, validate);
  return validate;
}

function describe(error: ErrorObject): string {
  const where = error.instancePath ? error.instancePath.slice(1).replace(/\//g, '.') : 'the arguments';
  if (error.keyword === 'required') return `${where === 'the arguments' ? '' : `${where}: `}missing required property “${String(error.params.missingProperty)}”`;
  if (error.keyword === 'additionalProperties') return `${where}: unknown property “${String(error.params.additionalProperty)}”`;
  return `${where} ${error.message ?? 'is invalid'}`;
}

export type ParsedArguments = { ok: true; value: Record<string, unknown> } | { ok: false; message: string };

export function checkArguments(raw: string, schema: Record<string, unknown>): ParsedArguments {
  let value: unknown;
  try {
    value = raw.trim() === '' ? {} : JSON.parse(raw);
  } catch (error) {
    return { ok: false, message: `The arguments are not valid JSON (${error instanceof Error ? error.message : 'parse error'}).` };
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    return { ok: false, message: 'The arguments must be a JSON object.' };
  }
  const validate = validatorFor(schema);
  if (validate && !validate(value)) {
    const errors = (validate.errors ?? []).slice(0, 5).map(describe);
    return { ok: false, message: `The arguments do not match the tool's schema: ${errors.join('; ')}.` };
  }
  return { ok: true, value: value as Record<string, unknown> };
}
