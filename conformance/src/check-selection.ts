import type { Check } from './check.js';

/** A pattern of --only/--skip: an area (`PUSH`), a requirement (`PUSH-6`), a check id, or a glob of them (`AUTH-1*`). */
function patternMatcher(pattern: string): (candidate: string) => boolean {
  const regex = new RegExp(`^${pattern.split('*').map((part) => part.split('?').map((piece) => piece.replace(/[.+^${}()|[\]\\/]/g, '\\$&')).join('.')).join('.*')}$`, 'i');
  return (candidate) => regex.test(candidate);
}

function matches(check: Check, patterns: readonly string[]): boolean {
  return patterns.some((pattern) => {
    const match = patternMatcher(pattern);
    return match(check.id) || match(check.requirement) || match(check.area);
  });
}

/** The checks --only keeps (all when it is empty) and --skip does not remove. */
export function selectChecks(checks: readonly Check[], only: readonly string[], skip: readonly string[]): Check[] {
  return checks.filter((check) => (only.length === 0 || matches(check, only)) && !matches(check, skip));
}
