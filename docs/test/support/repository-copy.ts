import { execFileSync } from 'node:child_process';
import { cpSync, lstatSync, mkdirSync, mkdtempSync } from 'node:fs';
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
    // Never node_modules, whatever .gitignore matches: a worktree may hold it as a symlink to another
    // checkout's, and the docs' own `npm ci` would then empty that checkout's node_modules.
    .filter((file) => file !== '' && !/^node_modules(\/|$)/.test(file));
  for (const file of files) {
    mkdirSync(dirname(join(target, file)), { recursive: true });
    // A tracked file deleted in the working tree is not part of what a reader would get either.
    try {
      if (lstatSync(join(REPOSITORY_ROOT, file)).isSymbolicLink()) throw new Error(`${file} is a symbolic link: a copy of the repository cannot hold one safely`);
      cpSync(join(REPOSITORY_ROOT, file), join(target, file));
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
    }
  }
  return target;
}
