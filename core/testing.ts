// STUB (owned by the testing helper): test() registrations and the runner behind `node app.js test`.
export function test(_name: string, _fn: (ctx: any) => unknown, _opts: { db?: boolean } = {}): void {}
