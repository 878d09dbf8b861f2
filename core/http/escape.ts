// HTML escaping for the pages the framework writes itself (error pages, the technical pages, the CSRF failure page).

/**
 * `value` as text safe inside HTML and attribute values: & < > " ' escaped (errors and request data are
 * attacker-controlled).
 * @example escapeHtml('<a href="x">') // '&lt;a href=&quot;x&quot;&gt;'
 */
export function escapeHtml(value: unknown): string {
  return String(value).replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);
}
