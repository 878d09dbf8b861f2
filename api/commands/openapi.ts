// `openapi [--indent N]`: prints the API's OpenAPI 3.1 document, the same one /api/openapi.json serves.
import type { Command } from 'commander';
import { CommandError } from '../../core/conf/errors';
import type { CommandSpec } from '../../core/management/commands/registry';
import { api } from '../registry';

/** @example node app.js openapi > openapi.json */
const openapi: CommandSpec = {
  name: 'openapi',
  app: 'api',
  help: 'Prints the OpenAPI 3.1 document of the API (resources, endpoints, auth, errors) as JSON.',
  addArguments(cmd: Command) {
    cmd.option('--indent <n>', 'spaces of indentation', '2');
  },
  handle(ctx, options) {
    const indent = Number(options.indent);
    if (!Number.isInteger(indent) || indent < 0 || indent > 8) throw new CommandError('--indent must be a whole number from 0 to 8.');
    ctx.stdout.write(`${JSON.stringify(api.openapi(), null, indent || undefined)}\n`);
    return 0;
  },
};

export default openapi;
