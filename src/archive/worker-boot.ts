import { createRequire } from 'node:module';
import { pathToFileURL } from 'node:url';

/**
 * A worker thread's entry (`module`, a file beside this one, and its exported function `run`) as
 * code to eval: the built `.js` beside this file once bundled (`npm start`, see scripts/build.mjs),
 * or the TypeScript source through tsx (tests, scripts).
 * @example new Worker(workerBoot('parse-worker', 'runParseWorker'), { eval: true })
 */
export function workerBoot(module: string, run: string): string {
  const then = `.then((m) => m.${run}());`;
  if (!import.meta.url.endsWith('.ts')) return `import(${JSON.stringify(new URL(`./${module}.js`, import.meta.url).href)})${then}`;
  // The ESM build of tsx's API (require.resolve would give the CommonJS one, whose register() fails in a worker).
  const require = createRequire(import.meta.url);
  const tsx = pathToFileURL(require.resolve('tsx/esm/api').replace(/\.cjs$/, '.mjs')).href;
  const entry = new URL(`./${module}.ts`, import.meta.url).href;
  return `import(${JSON.stringify(tsx)}).then(({ register }) => { register(); return import(${JSON.stringify(entry)}); })${then}`;
}
