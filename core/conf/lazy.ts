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

/** The key under which a forwarding handle gives its real object (`unwrap()` in state.ts reads it). */
export const REAL = Symbol.for('manouche.real');

/**
 * A stand-in for the object `real()` returns, for every read, write, key listing, call and `new`: `lateBound` handles
 * (`db`, `User` …) and express's dependencies loaded on first use are made with it. An 'object' stand-in gives its
 * methods bound to the real object; a 'function' one can be called and constructed.
 * @example const qs = forwardTo(() => require('qs'))
 */
export function forwardTo<T extends object>(real: () => T, kind: 'object' | 'function' = 'object'): T {
  const target = (kind === 'function' ? function forwardTarget() {} : {}) as object;
  return new Proxy(target, {
    get(_t, prop) {
      if (prop === REAL) return real();
      const obj = real() as Record<string | symbol, unknown>;
      const value = Reflect.get(obj, prop, obj);
      return typeof value === 'function' && kind === 'object' ? (value as Function).bind(obj) : value;
    },
    set(_t, prop, value) { return Reflect.set(real(), prop, value); },
    has(_t, prop) { return Reflect.has(real(), prop); },
    ownKeys() { return Reflect.ownKeys(real()); },
    getOwnPropertyDescriptor(_t, prop) {
      const d = Reflect.getOwnPropertyDescriptor(real(), prop);
      return d ? { ...d, configurable: true } : undefined;
    },
    getPrototypeOf() { return Reflect.getPrototypeOf(real()); },
    apply(_t, thisArg, args) { return Reflect.apply(real() as Function, thisArg, args); },
    construct(_t, args, newTarget) { return Reflect.construct(real() as Function, args, newTarget === _t ? (real() as Function) : newTarget); },
  }) as T;
}
