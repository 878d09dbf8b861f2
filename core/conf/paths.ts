// Where the package's own files are: the folder of the package.json named "manouche", found from this file upward.
import fs from 'node:fs';
import path from 'node:path';

const PACKAGE_NAME = 'manouche';

// Walks up from dist/core/conf (built) or core/conf (tsx) to the first package.json whose name is ours. A user's
// folders (their own core/, their own package.json) never match: only our name does.
function findPackageRoot(start: string): { root: string; version: string } {
  for (let dir = start; ; dir = path.dirname(dir)) {
    const file = path.join(dir, 'package.json');
    try {
      const pkg = JSON.parse(fs.readFileSync(file, 'utf8')) as { name?: string; version?: string };
      if (pkg.name === PACKAGE_NAME) return { root: dir, version: pkg.version ?? 'unknown' };
    } catch {
      // no package.json here, or not JSON: keep looking
    }
    if (path.dirname(dir) === dir) throw new Error(`manouche cannot find its own package.json above ${start}: reinstall it (npm install manouche).`);
  }
}

const found = findPackageRoot(__dirname);

/** The package folder (holding package.json, admin/templates, admin/static, auth/data …). */
export const PACKAGE_ROOT = found.root;

/** manouche's version, from its own package.json. */
export const PACKAGE_VERSION = found.version;

/** A folder of the package's non-code assets: `assetDir('admin', 'templates')`. */
export function assetDir(...parts: string[]): string {
  return path.join(PACKAGE_ROOT, ...parts);
}
