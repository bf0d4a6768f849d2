import { describe, expect, it } from 'vitest';
import { selectChecks } from '../src/check-selection.js';
import { ALL_CHECKS } from '../src/checks/registry.js';

const ids = (only: string[], skip: string[] = []) => selectChecks(ALL_CHECKS, only, skip).map((check) => check.id);

describe('--only and --skip', () => {
  it('select by area, requirement ID, check id and glob, case-insensitively', () => {
    expect(ids(['auth']).every((id) => id.startsWith('AUTH-'))).toBe(true);
    expect(ids(['auth']).length).toBeGreaterThan(5);
    expect(ids(['PUSH-6'])).toEqual(['PUSH-6/last-change-refused-stores-nothing']);
    expect(ids(['PUSH-8/resent-push-id'])).toEqual(['PUSH-8/resent-push-id']);
    expect(ids(['AUTH-1*'])).toEqual(['AUTH-1/bearer-required', 'AUTH-10/oversized-unread', 'AUTH-11/every-transport', 'AUTH-12/malformed-authorization', 'AUTH-13/subject-only-identity']);
    expect(ids(['PUSH-?'])).toHaveLength(ids(['PUSH-?']).filter((id) => /^PUSH-\d\//.test(id)).length);
  });

  it('--skip removes from what --only (or everything) selects', () => {
    expect(ids(['AUTH-1*'], ['AUTH-10', 'AUTH-11', 'AUTH-13'])).toEqual(['AUTH-1/bearer-required', 'AUTH-12/malformed-authorization']);
    expect(ids([], ['*'])).toEqual([]);
    expect(ids([])).toHaveLength(ALL_CHECKS.length);
  });

  it('a pattern is a whole-ID match, not a substring: PUSH-1 does not select PUSH-11', () => {
    expect(ids(['PUSH-1'])).toEqual(['PUSH-1/push-endpoint']);
  });
});
