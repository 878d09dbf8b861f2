// A first-come first-served async lock with a timeout: the turn to write of one process on SQLite.

/**
 * One holder at a time, waiters served in arrival order; a waiter gives up after `timeoutMs` with `timeoutError(ms)`.
 * `acquire()` resolves with a release function (calling it twice is harmless).
 * @example const release = await lock.acquire(); try { … } finally { release(); }
 */
export class WriteLock {
  private held = false;
  private readonly waiters: Array<() => void> = [];

  constructor(private readonly timeoutMs: number, private readonly timeoutError: (waitedMs: number) => Error) {}

  /** How many are waiting for their turn (not counting the holder). */
  get queued(): number {
    return this.waiters.length;
  }

  acquire(): Promise<() => void> {
    if (!this.held) {
      this.held = true;
      return Promise.resolve(this.releaser());
    }
    return new Promise((resolve, reject) => {
      const grant = () => {
        clearTimeout(timer);
        resolve(this.releaser());
      };
      const timer = setTimeout(() => {
        const i = this.waiters.indexOf(grant);
        if (i >= 0) this.waiters.splice(i, 1);
        reject(this.timeoutError(this.timeoutMs));
      }, this.timeoutMs);
      this.waiters.push(grant);
    });
  }

  private releaser(): () => void {
    let released = false;
    return () => {
      if (released) return;
      released = true;
      const next = this.waiters.shift();
      if (next) next();
      else this.held = false;
    };
  }
}
