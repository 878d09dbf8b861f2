// STUB (owned by the auth helper): the auth battery.
import type { Battery } from '../core/batteries';
import { lateBound } from '../core/state';
export const User: any = lateBound('User', () => undefined, 'function');
export const Group: any = lateBound('Group', () => undefined, 'function');
export const Permission: any = lateBound('Permission', () => undefined, 'function');
export async function login(_req: unknown, _user: unknown): Promise<void> {}
export async function logout(_req: unknown): Promise<void> {}
export async function authenticate(_u: string, _p: string): Promise<unknown> { return null; }
export function loginRequired<T>(view: T): T { return view; }
export function permissionRequired(_perm: string | string[]) { return <T>(view: T): T => view; }
const battery: Battery = { name: 'auth', requires: ['sessions'], setup() { throw new Error('the auth battery is not built yet'); } };
export default battery;
