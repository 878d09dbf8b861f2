// STUB (owned by the auth helper): the sessions battery.
import type { Battery } from '../core/batteries';
export function csrfExempt<T>(view: T): T { return view; }
export const messages = { success(_r: unknown, _t: string): void {}, info(_r: unknown, _t: string): void {}, warning(_r: unknown, _t: string): void {}, error(_r: unknown, _t: string): void {} };
const battery: Battery = { name: 'sessions', requires: [], setup() { throw new Error('the sessions battery is not built yet'); } };
export default battery;
