// STUB (owned by the admin helper): the admin battery.
import type { Battery } from '../core/batteries';
export class ModelAdmin {}
export const admin = { register(_m: unknown, _o?: unknown): void {} };
const battery: Battery = { name: 'admin', requires: ['auth'], setup() { throw new Error('the admin battery is not built yet'); } };
export default battery;
