import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ALL_CHECKS } from '../src/checks/registry.js';
import { cli } from './support/cli-process.js';

describe('mana-conformance (the real command)', () => {
  it('--list prints every check with its requirement, level and description, and runs nothing', async () => {
    const { code, stdout } = await cli(['run', '--list']);
    expect(code).toBe(0);
    const lines = stdout.trim().split('\n');
    expect(lines).toHaveLength(ALL_CHECKS.length);
    expect(lines[0]).toMatch(/^PUSH-1\/push-endpoint\s+MUST\s+alice pushes/);
  });

  it('exits 2 with a message saying what to fix: an unknown command, an unknown option, an unreachable target', async () => {
    expect(await cli(['launch'])).toMatchObject({ code: 2, stderr: expect.stringContaining('unknown command "launch"') as unknown });
    expect(await cli(['run', '--bogus'])).toMatchObject({ code: 2, stderr: expect.stringContaining("Unknown option '--bogus'") as unknown });
    const unreachable = await cli(['run', '--target', 'http://127.0.0.1:9', '--auth-port', '0']);
    expect(unreachable.code).toBe(2);
    expect(unreachable.stderr).toContain('JWKS_URL=http://127.0.0.1:');
    expect(unreachable.stderr).toContain('cannot reach http://127.0.0.1:9/health');
  });

  it('runs the whole suite against the in-process reference server: exit 0, three reports, the closing line last', async () => {
    const reportDir = mkdtempSync(join(tmpdir(), 'conformance-report-'));
    // A failure bound only: the whole default run takes about 45 s alone and longer beside other
    // tests on a 2-core runner; its speed is measured by npm run bench (suite).
    const { code, stdout, stderr } = await cli(['run', '--report-dir', reportDir, '--seed', '1'], 170_000);
    const lastLine = stdout.trim().split('\n').at(-1) ?? '';
    expect(lastLine, `${stdout}\n${stderr}`).toMatch(/^\d+ passed, 0 failed, .*\d+ skipped, \d+ not checked$/);
    expect(code).toBe(0);
    for (const file of ['report.json', 'junit.xml', 'report.html']) expect(existsSync(join(reportDir, file)), file).toBe(true);
    const report = JSON.parse(readFileSync(join(reportDir, 'report.json'), 'utf8')) as { run: { seed: number; targetKind: string }; requirements: unknown[] };
    expect(report.run).toMatchObject({ seed: 1, targetKind: 'reference' });
  }, 180_000);

  it('an expected failure that passes against the reference server fails the run (UNEXPECTED-PASS), and --update-expectations drops it', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'conformance-expectations-'));
    const file = join(dir, 'expected.json');
    writeFileSync(file, JSON.stringify({ expectedFailures: { 'OPS-1': { reason: 'health was broken' } } }));
    const unexpected = await cli(['run', '--only', 'OPS-1', '--expectations', file, '--report-dir', dir]);
    expect(unexpected.code, unexpected.stderr).toBe(1);
    expect(unexpected.stdout).toContain('UNEXPECTED-PASS OPS-1');
    const updated = await cli(['run', '--only', 'OPS-1', '--expectations', file, '--update-expectations', '--report-dir', dir]);
    expect(updated.code).toBe(1);
    expect(JSON.parse(readFileSync(file, 'utf8'))).toEqual({ expectedFailures: {} });
    expect((await cli(['run', '--only', 'OPS-1', '--expectations', file, '--report-dir', dir])).code).toBe(0);
  });
});
