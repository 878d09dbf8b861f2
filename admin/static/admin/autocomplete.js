// autocompleteFields: a search box over a foreign key's <select>, fed by admin:autocomplete (no row list loaded up front).
'use strict';
(function () {
  var _ = window.gettext || function (s, p) { return s.replace(/\{(\w+)\}/g, function (m, n) { return p && n in p ? p[n] : m; }); };
  var counter = 0;

  function enhance(select) {
    if (select.dataset.autocompleteReady) return;
    select.dataset.autocompleteReady = '1';
    var id = 'ac-' + (++counter);
    var wrap = document.createElement('div');
    wrap.className = 'autocomplete';
    var input = document.createElement('input');
    input.type = 'search';
    input.className = 'autocomplete-input';
    input.placeholder = _('Search…');
    input.setAttribute('role', 'combobox');
    input.setAttribute('aria-autocomplete', 'list');
    input.setAttribute('aria-expanded', 'false');
    input.setAttribute('aria-controls', id);
    var label = select.id && document.querySelector('label[for="' + select.id + '"]');
    input.setAttribute('aria-label', _('Search {name}', { name: label ? label.textContent.replace(/:$/, '') : _('choices') }));
    var list = document.createElement('ul');
    list.id = id;
    list.className = 'autocomplete-results';
    list.setAttribute('role', 'listbox');
    list.hidden = true;
    select.parentNode.insertBefore(wrap, select);
    wrap.appendChild(select);
    wrap.appendChild(input);
    wrap.appendChild(list);

    var timer = null;
    var active = -1;
    var page = 1;
    var lastTerm = null;

    function close() { list.hidden = true; input.setAttribute('aria-expanded', 'false'); active = -1; }

    function choose(item) {
      var option = Array.prototype.find.call(select.options, function (o) { return o.value === item.id; });
      if (!option) {
        option = document.createElement('option');
        option.value = item.id;
        option.textContent = item.text;
        select.appendChild(option);
      }
      option.selected = true;
      if (!select.multiple) input.value = '';
      select.dispatchEvent(new Event('change', { bubbles: true }));
      close();
    }

    function render(data, append) {
      if (!append) list.innerHTML = '';
      data.results.forEach(function (item) {
        var li = document.createElement('li');
        li.setAttribute('role', 'option');
        li.id = id + '-' + item.id;
        li.textContent = item.text;
        li.addEventListener('mousedown', function (e) { e.preventDefault(); choose(item); });
        li._item = item;
        list.appendChild(li);
      });
      if (data.pagination && data.pagination.more) {
        var more = document.createElement('li');
        more.className = 'autocomplete-more';
        more.textContent = _('Load more…');
        more.addEventListener('mousedown', function (e) { e.preventDefault(); more.remove(); page += 1; search(lastTerm, true); });
        list.appendChild(more);
      }
      if (!list.children.length) {
        var none = document.createElement('li');
        none.className = 'autocomplete-empty';
        none.textContent = _('No results found');
        list.appendChild(none);
      }
      list.hidden = false;
      input.setAttribute('aria-expanded', 'true');
    }

    function search(term, append) {
      if (!append) page = 1;
      lastTerm = term;
      var params = new URLSearchParams({
        term: term, app_label: select.dataset.appLabel, model_name: select.dataset.modelName,
        field_name: select.dataset.fieldName, page: String(page),
      });
      fetch(select.dataset.autocompleteUrl + '?' + params.toString(), { headers: { Accept: 'application/json' }, credentials: 'same-origin' })
        .then(function (r) { return r.ok ? r.json() : { results: [], pagination: { more: false } }; })
        .then(function (data) { if (term === lastTerm) render(data, append); })
        .catch(close);
    }

    function options() { return Array.prototype.filter.call(list.children, function (li) { return li._item; }); }
    function highlight(n) {
      var opts = options();
      if (!opts.length) return;
      active = (n + opts.length) % opts.length;
      opts.forEach(function (li, i) { li.classList.toggle('active', i === active); li.setAttribute('aria-selected', String(i === active)); });
      input.setAttribute('aria-activedescendant', opts[active].id);
    }

    input.addEventListener('input', function () {
      clearTimeout(timer);
      timer = setTimeout(function () { search(input.value.trim(), false); }, 250);
    });
    input.addEventListener('focus', function () { if (list.hidden) search(input.value.trim(), false); });
    input.addEventListener('blur', function () { setTimeout(close, 150); });
    input.addEventListener('keydown', function (e) {
      if (e.key === 'ArrowDown') { e.preventDefault(); highlight(active + 1); }
      else if (e.key === 'ArrowUp') { e.preventDefault(); highlight(active - 1); }
      else if (e.key === 'Enter' && active >= 0) { e.preventDefault(); choose(options()[active]._item); }
      else if (e.key === 'Escape') close();
    });
  }

  function init(root) {
    Array.prototype.forEach.call((root || document).querySelectorAll('select.admin-autocomplete[data-autocomplete-url]'), enhance);
  }
  // Inline rows added later (inlines.js) get enhanced too.
  document.addEventListener('formset:added', function (e) { init(e.target); });
  if (document.readyState === 'loading') document.addEventListener('DOMContentLoaded', function () { init(); });
  else init();
})();
