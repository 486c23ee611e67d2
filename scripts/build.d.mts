/** Types for build.mjs (plain JavaScript, so that it runs before anything is compiled). */

/** The project root: the folder above scripts/. */
export declare const ROOT: string;

/**
 * The built file for `entry` (a .ts path relative to `root`), building first when the sources
 * changed since the last build.
 * @example await builtEntry('src/main.ts') // '/…/dist/3f2a…/main.js'
 */
export declare function builtEntry(entry: string, root?: string): Promise<string>;
