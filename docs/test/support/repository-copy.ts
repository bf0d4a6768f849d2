import { execFileSync } from 'node:child_process';
import { cpSync, mkdirSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';

export const REPOSITORY_ROOT = new URL('../../../', import.meta.url).pathname;

/**
 * A copy of the repository as a reader gets it by cloning: the files git tracks or would track (so
 * uncommitted edits to a doc are tested too), without node_modules or anything ignored. The docs'
 * own `npm ci` installs it, which is how a new user starts.
 */
export function copyRepository(): string {
  const target = mkdtempSync(join(tmpdir(), 'mana-docs-'));
  const files = execFileSync('git', ['ls-files', '--cached', '--others', '--exclude-standard', '-z'], { cwd: REPOSITORY_ROOT, encoding: 'utf8' })
    .split('\0')
    .filter((file) => file !== '');
  for (const file of files) {
    mkdirSync(dirname(join(target, file)), { recursive: true });
    // A tracked file deleted in the working tree is not part of what a reader would get either.
    try {
      cpSync(join(REPOSITORY_ROOT, file), join(target, file));
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
    }
  }
  return target;
}
