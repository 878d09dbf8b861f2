// The Node.js floor, checked first thing: an older Node fails later in ways that do not name their cause.

/** The oldest Node.js manouche runs on (package.json's engines). */
export const NODE_FLOOR = [20, 19] as const;

/**
 * The message for a Node.js older than the floor, or null when this one will do.
 * @example nodeVersionProblem('18.20.4') // 'manouche needs Node.js 20.19 or later; this is 18.20.4. …'
 */
export function nodeVersionProblem(version: string): string | null {
  const [major, minor] = version.split('.').map(Number);
  if (major > NODE_FLOOR[0] || (major === NODE_FLOOR[0] && minor >= NODE_FLOOR[1])) return null;
  return `manouche needs Node.js ${NODE_FLOOR.join('.')} or later; this is ${version}. `
    + 'Install a current Node.js (https://nodejs.org/, or `nvm install 22` with nvm), then run `npm rebuild` in the project.';
}

const problem = nodeVersionProblem(process.versions.node);
if (problem) {
  // Once, at startup, without a stack: nothing below would say it better.
  process.stderr.write(`${problem}\n`);
  process.exit(1);
}
