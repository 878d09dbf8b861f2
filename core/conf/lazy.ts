// Lazy exports: a module's public names that load their code on first read, so an app pays only for what it uses.

/**
 * Defines `names` on `target` (a module's `exports`) as enumerable getters that load `load()` once, on first read.
 * The TypeScript side declares the same names (`export declare const { a, b }: typeof Mod`).
 * @example lazyExports(exports, () => require('./auth'), ['User', 'login'])
 */
export function lazyExports(target: object, load: () => Record<string, unknown>, names: string[]): void {
  let mod: Record<string, unknown> | undefined;
  for (const name of names) {
    Object.defineProperty(target, name, { enumerable: true, configurable: true, get: () => (mod ??= load())[name] });
  }
}
