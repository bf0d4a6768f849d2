import { ERROR_CODES, type ErrorCode } from '../../spec/generated/error-codes.js';
import type { RequirementId } from '../../spec/src/requirement-index.js';
import { describeSchemaErrors, validatorFor, type SchemaName } from '../../spec/src/schema-registry.js';
import type { Exchange } from './exchange.js';
import type { Failure } from './failure.js';

/** What an exchange was, so that its answer can be held to the schema of that endpoint. */
export type ExchangeKind = 'push' | 'pull' | 'health' | 'other';

const SUCCESS_SCHEMA: Partial<Record<ExchangeKind, { schema: SchemaName; requirement: RequirementId }>> = {
  push: { schema: 'push-response', requirement: 'PUSH-1' },
  pull: { schema: 'pull-response', requirement: 'PULL-1' },
  health: { schema: 'health', requirement: 'OPS-1' },
};

const JSON_CONTENT_TYPE = /^application\/json\s*(;\s*charset=utf-8\s*)?$/i;

export function isJsonContentType(value: string | null): boolean {
  return value !== null && JSON_CONTENT_TYPE.test(value.trim());
}

function schemaFailure(schema: SchemaName, value: unknown, requirement: RequirementId): Failure | undefined {
  const validate = validatorFor(schema);
  if (validate(value)) return undefined;
  return { requirement, expected: `a body matching ${schema}.schema.json`, actual: describeSchemaErrors(validate.errors).slice(0, 5).join('; ') };
}

function errorBodyFailures(exchange: Exchange): Failure[] {
  const failures: Failure[] = [];
  if (!isJsonContentType(exchange.headers.get('content-type'))) {
    failures.push({ requirement: 'ERR-1', expected: `a ${exchange.status} with Content-Type application/json`, actual: `Content-Type ${exchange.headers.get('content-type') ?? '(none)'}` });
  }
  const invalid = schemaFailure('error', exchange.json, 'ERR-1');
  if (invalid) return [...failures, { ...invalid, actual: exchange.json === undefined ? `a body that is not JSON: ${exchange.text.slice(0, 200)}` : invalid.actual }];
  const { code, requirement } = (exchange.json as { error: { code: ErrorCode; requirement?: string } }).error;
  const entry = ERROR_CODES[code];
  if (entry.status !== exchange.status) {
    failures.push({ requirement: 'ERR-2', expected: `${code} sent with status ${entry.status ?? '(none: stream only)'}`, actual: `status ${exchange.status}` });
  }
  if (requirement !== entry.requirement) {
    failures.push({ requirement: 'ERR-3', expected: `${code} citing requirement ${entry.requirement}`, actual: requirement === undefined ? 'no requirement' : `requirement ${requirement}` });
  }
  return failures;
}

/**
 * The requirements every answer is held to, whatever the check is about: error bodies (ERR-1..3),
 * the schema of successful answers (PUSH-1, PULL-1, OPS-1), JSON content types (OPS-10),
 * `Retry-After` on 429 and 503 (ERR-7) and `Cache-Control: no-store` on reads (PULL-15).
 */
export function responseFailures(exchange: Exchange, kind: ExchangeKind): Failure[] {
  const failures: Failure[] = [];
  const isHealth503 = kind === 'health' && exchange.status === 503;
  if (exchange.status >= 400 && !isHealth503) failures.push(...errorBodyFailures(exchange));
  if (exchange.json !== undefined && exchange.status !== 204 && !isJsonContentType(exchange.headers.get('content-type'))) {
    failures.push({ requirement: 'OPS-10', expected: 'a JSON answer with Content-Type application/json (charset utf-8 or none)', actual: `Content-Type ${exchange.headers.get('content-type') ?? '(none)'}` });
  }
  if ((exchange.status === 429 || exchange.status === 503) && !/^\d+$/.test(exchange.headers.get('retry-after')?.trim() ?? '')) {
    failures.push({ requirement: 'ERR-7', expected: `Retry-After in seconds on a ${exchange.status}`, actual: `Retry-After ${exchange.headers.get('retry-after') ?? '(none)'}` });
  }
  const success = SUCCESS_SCHEMA[kind];
  if (success && (exchange.status === 200 || isHealth503)) {
    const invalid = schemaFailure(success.schema, exchange.json, success.requirement);
    if (invalid) failures.push(invalid);
  }
  if ((kind === 'push' || kind === 'pull') && exchange.status === 200 && !/\bno-store\b/i.test(exchange.headers.get('cache-control') ?? '')) {
    failures.push({ requirement: 'PULL-15', expected: 'Cache-Control: no-store on a push or pull answer', actual: `Cache-Control ${exchange.headers.get('cache-control') ?? '(none)'}` });
  }
  return failures;
}
