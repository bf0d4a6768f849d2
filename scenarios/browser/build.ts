import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';
import { bundledSchemasPlugin } from './bundled-schemas-plugin.js';
import { globalWebSocketPlugin } from './global-web-socket-plugin.js';

const MAIN = fileURLToPath(new URL('./page/main.ts', import.meta.url));
const INDEX = fileURLToPath(new URL('./page/index.html', import.meta.url));

/** The demo page as it is served: its HTML and its one script, built in memory (nothing on disk). */
export interface DemoPage {
  readonly html: string;
  readonly script: string;
  /** Every source file in the bundle, relative to the repository: what the page really runs. */
  readonly inputs: readonly string[];
}

/**
 * Bundles scenarios/browser/page/main.ts with the reference client for a browser. platform 'browser'
 * makes any node:* import a build error, so a Node-only module cannot reach the page unnoticed.
 */
export async function buildDemoPage(): Promise<DemoPage> {
  const result = await build({
    entryPoints: [MAIN],
    bundle: true,
    write: false,
    format: 'esm',
    platform: 'browser',
    target: 'es2022',
    sourcemap: 'inline',
    metafile: true,
    logLevel: 'silent',
    absWorkingDir: fileURLToPath(new URL('../..', import.meta.url)),
    plugins: [bundledSchemasPlugin(), globalWebSocketPlugin()],
  });
  const [output] = result.outputFiles;
  if (output === undefined) throw new Error('esbuild produced no output for scenarios/browser/page/main.ts');
  return { html: readFileSync(INDEX, 'utf8'), script: output.text, inputs: Object.keys(result.metafile.inputs) };
}
