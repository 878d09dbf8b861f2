// `routes`: every URL pattern in resolution order, with its name and view (admin and included patterns too).
import type { Command } from 'commander';
import { getApp } from '../../http/application';
import { listRoutes } from '../../urls/router';
import type { CommandSpec } from './registry';

/**
 * How a view is shown: its function or class name; an express Router mounted with include().
 * @example describeView(function postDetail() {}, false) // 'postDetail'
 */
export function describeView(view: Function | undefined, mounted: boolean): string {
  if (mounted) return '(express router)';
  if (!view) return '?';
  const name = view.name && view.name !== 'anonymous' ? view.name : '<anonymous>';
  return /^class\b/.test(Function.prototype.toString.call(view)) ? `${name} (View)` : name;
}

const routes: CommandSpec = {
  name: 'routes',
  app: 'manouche',
  help: 'Lists every URL pattern in the order they are tried, with its name and view.',
  addArguments(cmd: Command) {
    cmd.option('--json', 'print a JSON array of { url, name, view, methods }');
  },
  handle(ctx, options) {
    getApp(); // batteries (the admin) mount their patterns when the app is built
    const rows = listRoutes().map((r) => ({
      url: `/${r.route}`,
      name: r.name ?? '',
      view: describeView(r.view, Boolean((r as { mount?: unknown }).mount) || (r.view as { stack?: unknown })?.stack !== undefined),
      methods: r.methods?.filter((m) => m !== 'HEAD') ?? [],
    }));
    if (options.json) {
      ctx.stdout.write(`${JSON.stringify(rows, null, 2)}\n`);
      return 0;
    }
    if (rows.length === 0) {
      ctx.stdout.write('No URL patterns. Add one with route(\'\', view) in your app file.\n');
      return 0;
    }
    const head = { url: 'URL', name: 'NAME', view: 'VIEW' };
    const w = (k: 'url' | 'name') => Math.max(head[k].length, ...rows.map((r) => r[k].length)) + 2;
    const [wu, wn] = [w('url'), w('name')];
    const line = (r: { url: string; name: string; view: string }, methods = '') => `${r.url.padEnd(wu)}${r.name.padEnd(wn)}${r.view}${methods}`.trimEnd();
    ctx.stdout.write(`${ctx.style.notice(line(head))}\n`);
    for (const r of rows) ctx.stdout.write(`${line(r, r.methods.length ? `  [${r.methods.join(', ')}]` : '')}\n`);
    return 0;
  },
};

export default routes;
