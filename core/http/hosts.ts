// ALLOWED_HOSTS, as Django validates it: exact names, `.example.com` for a domain and its subdomains, '*' for all.
const HOST_RE = /^([a-z0-9.-]+|\[[a-f0-9]*:[a-f0-9.:]+\])(:\d+)?$/;

/** Splits a Host header into its lower-cased domain (without a trailing dot) and port; '' when malformed. */
export function hostDomain(host: string): string {
  const h = host.toLowerCase();
  const m = HOST_RE.exec(h);
  if (!m) return '';
  return m[1].endsWith('.') ? m[1].slice(0, -1) : m[1];
}

/** True when `domain` is matched by one of the ALLOWED_HOSTS patterns. */
export function isHostAllowed(domain: string, patterns: string[]): boolean {
  if (!domain) return false;
  for (const raw of patterns) {
    const p = String(raw).toLowerCase();
    if (p === '*') return true;
    if (p.startsWith('.') ? domain === p.slice(1) || domain.endsWith(p) : domain === p) return true;
  }
  return false;
}

/**
 * Builds the per-request Host check; answers from a small cache, so a known host costs one Map lookup.
 * Under `node app.js test` the test Client's hosts ('localhost', 'testserver') are allowed as well, as Django's
 * test runner adds 'testserver'.
 * @example const ok = hostChecker(['.example.com'], false); ok('www.example.com:8000') // true
 */
export function hostChecker(allowedHosts: string[], testing: boolean): (host: string | undefined) => boolean {
  const patterns = testing ? [...allowedHosts, 'testserver', 'localhost'] : [...allowedHosts];
  if (patterns.includes('*')) return () => true;
  const cache = new Map<string, boolean>();
  return (host) => {
    if (!host) return false;
    let ok = cache.get(host);
    if (ok === undefined) {
      ok = isHostAllowed(hostDomain(host), patterns);
      if (cache.size > 1000) cache.clear();
      cache.set(host, ok);
    }
    return ok;
  };
}
