// The api battery (SPEC §10): needs nothing (uses auth when on); adds resources, endpoints, tokens, OpenAPI and docs under API_URL.
import type { Battery } from '../core/conf/batteries';
import { assetDir } from '../core/conf/paths';
import { unwrap, type AppState } from '../core/conf/state';
import { registerCommand } from '../core/management/commands/registry';
import { api, Api } from './registry';
import { defineTokenModel, tokenModel, createToken } from './tokens';
import createtoken from './commands/createtoken';
import openapi from './commands/openapi';

export { api, Api, createToken, tokenModel };
export { Resource, type ResourceOptions } from './resource';
export { ApiError, type FieldErrors } from './errors';
export { validate, toJsonSchema, type StandardSchemaV1, type InferOutput } from './schema';
export type { EndpointOptions, EndpointInput } from './endpoints';
export type { Action, ThrottleRate } from './access';

/** Tokens in the admin: listed with who and when last used, revocable (deleted); never added there (no key to show). */
function registerTokenAdmin(Token: unknown): void {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const { admin, ModelAdmin } = require('../admin') as typeof import('../admin');
  class TokenAdmin extends ModelAdmin {
    override listDisplay = ['prefix', 'name', 'user', 'created', 'lastUsed'];
    override searchFields = ['name', 'prefix', 'user__username'];
    override readonlyFields = ['prefix', 'user', 'created', 'lastUsed'];
    override fields = ['name', 'prefix', 'user', 'created', 'lastUsed'];
    override async hasAddPermission(): Promise<boolean> { return false; }
  }
  admin.register(Token as never, TokenAdmin as never);
}

const battery: Battery = {
  name: 'api',
  requires: [],
  setup(app: AppState) {
    if (app.switches.auth) {
      // eslint-disable-next-line @typescript-eslint/no-require-imports
      const auth = require('../auth') as typeof import('../auth');
      const Token = defineTokenModel(unwrap(auth.User));
      app.migrationsApps.push({ label: 'api', dir: assetDir('api', 'migrations') });
      registerCommand(createtoken);
      if (app.switches.admin) registerTokenAdmin(Token);
    }
    registerCommand(openapi);
    // Mounted once the app is built: by then the app file has declared its resources and endpoints.
    app.onAppBuilt.push(() => api.mount());
  },
};

export default battery;
