// The script prefix (Django's get_script_prefix): the path the app is mounted under, put before every URL it builds.
let prefix = '';

/**
 * The prefix of this request's app ('' at the root, '/blog' under outer.use('/blog', app)). Set by the pipeline at the
 * start of every request from FORCE_SCRIPT_NAME, else from express's req.baseUrl (one process-wide value, as
 * Django's: an app served under two prefixes at once should set FORCE_SCRIPT_NAME).
 */
export function getScriptPrefix(): string {
  return prefix;
}

/** Sets the prefix ('/blog/' and '/blog' are the same; '/' is none). */
export function setScriptPrefix(value: string): void {
  prefix = value.endsWith('/') ? value.slice(0, -1) : value;
}

/**
 * Puts the prefix before a site path ('/admin/' → '/blog/admin/'); full URLs, '//host' and paths already under
 * the prefix are left alone.
 * @example redirect(withScriptPrefix(settings.LOGIN_URL))
 */
export function withScriptPrefix(url: string): string {
  if (!prefix || url[0] !== '/' || url[1] === '/' || url === prefix || url.startsWith(`${prefix}/`)) return url;
  return prefix + url;
}
