/**
 * The compiled bot: src/ bundled to JavaScript by esbuild, so a start pays neither tsx nor the
 * loading of some sixty small modules. Each build lives in its own folder under dist/, named by a
 * key over the sources' paths, sizes and modification times: a start checks the key (one stat per
 * source file) and builds only when no folder has it. A finished build is never rewritten, so two
 * starts at once, or a bot still loading its chunks while someone rebuilds, never see a half-built
 * or newer file.
 *
 * Layout of a build: every entry and every shared chunk sits flat in the build folder, so
 * `new URL('./analysis-worker.js', import.meta.url)` finds the worker entry from whichever file ended
 * up holding the pool's code, as `./analysis-worker.ts` does beside the sources.
 */
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, renameSync, rmSync, statSync, utimesSync } from 'node:fs';
import { basename, dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

/** The project root: the folder above scripts/. */
export const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');

/** Entries every build has, by output name: the bot and the workers it starts on threads. */
const BASE_ENTRIES = { main: 'src/main.ts', 'analysis-worker': 'src/archive/analysis-worker.ts', 'parse-worker': 'src/archive/parse-worker.ts' };

/** Builds not used for this long are removed when a new one is made (a running bot needs its own only while it starts). */
const UNUSED_MS = 60 * 60 * 1000;

/**
 * The built file for `entry` (a .ts path relative to the root), building first when the sources
 * changed since the last build. An entry outside src/ is added to the build under its file name and
 * may import only from src/ and packages.
 * @example await builtEntry('src/main.ts') // '/…/dist/3f2a…/main.js'
 */
export async function builtEntry(entry, root = ROOT) {
  const entries = entriesFor(entry);
  const outName = Object.keys(entries).find((name) => entries[name] === entry);
  const dir = join(root, 'dist', buildKey(root, Object.values(entries)));
  if (existsSync(dir)) {
    // Marks the build as in use, so pruning leaves it alone.
    const now = new Date();
    utimesSync(dir, now, now);
  } else {
    await build(root, entries, dir);
  }
  return join(dir, `${outName}.js`);
}

/** The base entries, plus `entry` under its file name when it is not one of them. */
function entriesFor(entry) {
  const normal = entry.replaceAll('\\', '/').replace(/^\.\//u, '');
  if (!normal.endsWith('.ts')) throw new Error(`build: the entry must be a .ts file, not ${entry}`);
  if (Object.values(BASE_ENTRIES).includes(normal)) return { ...BASE_ENTRIES };
  const name = basename(normal, '.ts');
  if (name in BASE_ENTRIES) throw new Error(`build: an extra entry may not be named ${name}.ts`);
  return { ...BASE_ENTRIES, [name]: normal };
}

/**
 * A short hex key over everything the output depends on: every file under src/, the extra entries,
 * tsconfig.json, this script and the installed esbuild. Any edit, addition or removal changes it.
 */
function buildKey(root, entryPaths) {
  const hash = createHash('sha256');
  const add = (path) => {
    const s = statSync(path);
    hash.update(`${relative(root, path)}\0${s.size}\0${s.mtimeMs}\n`);
  };
  for (const file of filesUnder(join(root, 'src'))) add(file);
  for (const entry of entryPaths) if (!entry.startsWith('src/')) add(join(root, entry));
  add(join(root, 'tsconfig.json'));
  add(fileURLToPath(import.meta.url));
  // Where npm installs the direct dependency (require.resolve would cost more than all the stats).
  add(join(root, 'node_modules', 'esbuild', 'package.json'));
  return hash.digest('hex').slice(0, 16);
}

/** Every file below `dir`, in a stable order. */
function filesUnder(dir) {
  const files = [];
  const walk = (d) => {
    for (const entry of readdirSync(d, { withFileTypes: true }).sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0))) {
      const path = join(d, entry.name);
      if (entry.isDirectory()) walk(path);
      else files.push(path);
    }
  };
  walk(dir);
  return files;
}

/** Builds into a fresh folder and renames it into place; another start that got there first wins. */
async function build(root, entries, dir) {
  const distDir = dirname(dir);
  const temp = join(distDir, `.building-${process.pid}-${Date.now()}`);
  mkdirSync(temp, { recursive: true });
  try {
    // esbuild is loaded only when there is something to build: a start with a current build never pays for it.
    const esbuild = await import('esbuild');
    await esbuild.build({
      absWorkingDir: root,
      entryPoints: Object.fromEntries(Object.entries(entries).map(([name, path]) => [name, join(root, path)])),
      outdir: temp,
      bundle: true,
      splitting: true,
      // Packages load from node_modules as they are: native addons and pino's workers must.
      packages: 'external',
      format: 'esm',
      platform: 'node',
      target: 'node20',
      // Linked maps: `NODE_OPTIONS=--enable-source-maps npm start` shows src/ lines in stack traces.
      sourcemap: 'linked',
      sourcesContent: false,
      logLevel: 'silent',
    });
    try {
      renameSync(temp, dir);
    } catch (error) {
      if (!existsSync(dir)) throw error;
      rmSync(temp, { recursive: true, force: true });
    }
  } catch (error) {
    rmSync(temp, { recursive: true, force: true });
    throw error;
  }
  pruneBuilds(distDir, dir);
}

/** The folder of compiled SQLite extensions in dist/ (see src/sqlite/search-extension.ts): not a build, never pruned. */
export const NATIVE_DIR = 'native';

/** Removes builds (and abandoned temporary folders) unused for an hour, never `keep`. */
function pruneBuilds(distDir, keep) {
  const cutoff = Date.now() - UNUSED_MS;
  for (const name of readdirSync(distDir)) {
    const path = join(distDir, name);
    if (path === keep || name === NATIVE_DIR) continue;
    try {
      if (statSync(path).mtimeMs < cutoff) rmSync(path, { recursive: true, force: true });
    } catch {
      // Removed meanwhile by another start: nothing to do.
    }
  }
}
