// Batteries (sessions, auth, admin, api): what each needs, what it adds to the app, resolved in one order.
import path from 'node:path';
import { ImproperlyConfigured } from './errors';
import type { SwitchName } from './settings';
import { state, type AppState } from './state';

/**
 * A battery is a folder with one index.ts whose default export is this object.
 * `setup` runs inside configure(), after settings and the database exist: it registers models, migrations,
 * middleware (state.batteryMiddleware), template folders, context processors, commands, checks and closers.
 */
export interface Battery {
  name: SwitchName;
  /** Batteries that must be set up first (auth requires sessions). */
  requires: SwitchName[];
  setup(app: AppState): void;
}

/** Order in which batteries are set up: each one after those it requires. */
export const BATTERY_ORDER: SwitchName[] = ['sessions', 'auth', 'admin', 'api'];

/** The commands each battery registers: one run without its battery names the configure() switch that brings it. */
export const BATTERY_COMMANDS: Readonly<Record<string, SwitchName>> = {
  clearsessions: 'sessions',
  createsuperuser: 'auth',
  changepassword: 'auth',
};

/** Where each battery lives, relative to the package's compiled root. */
const BATTERY_MODULES: Record<SwitchName, string> = {
  sessions: '../../sessions',
  auth: '../../auth',
  admin: '../../admin',
  api: '../../api',
};

/** Loads and sets up every switched-on battery in dependency order; a battery that can't load fails naming both sides. */
export function resolveBatteries(app: AppState): Battery[] {
  const loaded: Battery[] = [];
  for (const name of BATTERY_ORDER) {
    if (!app.switches[name]) continue;
    let battery: Battery;
    try {
      // eslint-disable-next-line @typescript-eslint/no-require-imports
      const mod = require(path.join(__dirname, BATTERY_MODULES[name]));
      battery = (mod.default ?? mod.battery) as Battery;
      if (!battery || typeof battery.setup !== 'function') throw new Error('it has no battery export');
    } catch (err) {
      const requiredBy = BATTERY_ORDER.find((other) => app.switches[other] && other !== name && impliesDirectly(other, name)) ?? 'configure()';
      throw new ImproperlyConfigured('', 'E_BATTERY_MISSING', { name: requiredBy, needs: name, detail: (err as Error).message });
    }
    for (const req of battery.requires) {
      if (!loaded.some((b) => b.name === req)) {
        throw new ImproperlyConfigured('', 'E_BATTERY_MISSING', { name, needs: req, detail: `"${req}" must be set up before "${name}"` });
      }
    }
    battery.setup(app);
    loaded.push(battery);
  }
  return loaded;
}

function impliesDirectly(from: SwitchName, to: SwitchName): boolean {
  return (from === 'admin' && to === 'auth') || (from === 'auth' && to === 'sessions');
}

export { state };
