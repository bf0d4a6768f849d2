import { execFileSync } from 'node:child_process';
import { copyFileSync, existsSync, lstatSync, mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { applyEdit } from './source-edit.js';
import type { Variant } from './variants.js';

/** A temporary copy of the repository, removed by `remove()`. */
export interface RepositoryCopy {
  readonly dir: string;
  remove(): void;
}

/**
 * The files of the working tree as git sees them: tracked, and untracked but not ignored, so that a
 * check or property added but not yet committed runs against the mutants too. Files deleted in the
 * working tree are left out.
 */
export function workingTreeFiles(root: string): string[] {
  const listed = execFileSync('git', ['ls-files', '-z', '--cached', '--others', '--exclude-standard'], { cwd: root, encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
  return [...new Set(listed.split('\0').filter((file) => file !== ''))].filter((file) => {
    const path = join(root, file);
    return existsSync(path) && lstatSync(path).isFile();
  });
}

/**
 * The files a variant edits, by path relative to `root`, with its edits applied in order (several
 * edits may touch one file). Throws EditDoesNotApply, naming the variant, when one no longer matches.
 */
export function patchedSources(root: string, variant: Variant): Map<string, string> {
  const patched = new Map<string, string>();
  for (const edit of variant.edits) {
    const before = patched.get(edit.file) ?? readFileSync(join(root, edit.file), 'utf8');
    patched.set(edit.file, applyEdit(variant.name, before, edit));
  }
  return patched;
}

/**
 * The working tree of `root` copied to a new temporary directory, with `variant`'s edits applied
 * (none for the control run) and node_modules linked from `root`. Throws EditDoesNotApply, naming
 * the variant, before anything runs when an edit no longer matches the source.
 */
export function patchedCopy(root: string, variant: Variant | undefined): RepositoryCopy {
  // Edits first, in memory: a stale variant fails without leaving a copy behind.
  const patched = variant === undefined ? new Map<string, string>() : patchedSources(root, variant);
  const dir = mkdtempSync(join(tmpdir(), `mana-mutant-${variant?.name ?? 'control'}-`));
  try {
    for (const file of workingTreeFiles(root)) {
      const target = join(dir, file);
      mkdirSync(dirname(target), { recursive: true });
      const text = patched.get(file);
      if (text === undefined) copyFileSync(join(root, file), target);
      else writeFileSync(target, text);
    }
    for (const file of patched.keys()) {
      if (!existsSync(join(dir, file))) throw new Error(`mutant "${variant!.name}" edits ${file}, which git does not list in ${root}`);
    }
    symlinkSync(join(root, 'node_modules'), join(dir, 'node_modules'), 'dir');
  } catch (error) {
    rmSync(dir, { recursive: true, force: true });
    throw error;
  }
  return { dir, remove: () => rmSync(dir, { recursive: true, force: true }) };
}
