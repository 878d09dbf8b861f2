// Where the package's own files are, whether running from dist/ (built) or from source via tsx.
import fs from 'node:fs';
import path from 'node:path';

function findPackageRoot(start: string): string {
  let dir = start;
  for (;;) {
    if (fs.existsSync(path.join(dir, 'package.json')) && fs.existsSync(path.join(dir, 'core'))) return dir;
    const parent = path.dirname(dir);
    if (parent === dir) return path.resolve(start, '..');
    dir = parent;
  }
}

/** The package folder (holding package.json, core/templates, admin/static …). */
export const PACKAGE_ROOT = findPackageRoot(__dirname);

/** A folder of the package's non-code assets: `assetDir('admin', 'templates')`. */
export function assetDir(...parts: string[]): string {
  return path.join(PACKAGE_ROOT, ...parts);
}
