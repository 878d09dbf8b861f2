// The admin scripts' strings, as Django's jsi18n: the page carries their translations (a JSON island written from the
// catalogue of LANGUAGE_CODE), and gettext('Chosen {name}', { name: 'tags' }) looks them up and fills the placeholders.
'use strict';
(function () {
  var catalogue = null;
  function load() {
    if (catalogue) return catalogue;
    var island = document.getElementById('admin-i18n');
    try { catalogue = island ? JSON.parse(island.textContent) : {}; } catch (e) { catalogue = {}; }
    return catalogue;
  }
  window.gettext = function (msgid, params) {
    var text = Object.prototype.hasOwnProperty.call(load(), msgid) ? catalogue[msgid] : msgid;
    return String(text).replace(/\{(\w+)\}/g, function (m, name) { return params && name in params ? String(params[name]) : m; });
  };
})();
