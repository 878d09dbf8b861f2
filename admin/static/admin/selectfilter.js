// filterHorizontal / filterVertical: a many-to-many <select multiple> as Django's two boxes (available | chosen), with a
// filter box and choose/remove buttons. The original select stays in the form (hidden) and is what gets submitted.
'use strict';
(function () {
  var _ = window.gettext || function (s, p) { return s.replace(/\{(\w+)\}/g, function (m, n) { return p && n in p ? p[n] : m; }); };
  function el(tag, attrs, text) {
    var e = document.createElement(tag);
    Object.keys(attrs || {}).forEach(function (k) { e.setAttribute(k, attrs[k]); });
    if (text) e.textContent = text;
    return e;
  }

  function enhance(select) {
    if (select.dataset.selectfilterReady) return;
    select.dataset.selectfilterReady = '1';
    var id = select.id;
    var name = select.dataset.fieldName || 'items';
    var stacked = select.dataset.isStacked === '1';
    var box = el('div', { class: 'selector' + (stacked ? ' stacked' : '') });
    var from = el('select', { multiple: '', id: id + '_from', class: 'filtered', 'aria-label': _('Available {name}', { name: name }), size: '10' });
    var to = el('select', { multiple: '', id: id + '_to', class: 'filtered', 'aria-label': _('Chosen {name}', { name: name }), size: '10' });
    var filter = el('input', { type: 'search', id: id + '_input', placeholder: _('Filter'), 'aria-label': _('Filter available {name}', { name: name }) });
    var available = el('div', { class: 'selector-available' });
    available.append(el('h2', {}, _('Available {name}', { name: name })), el('p', { class: 'selector-filter' }), from);
    available.querySelector('.selector-filter').appendChild(filter);
    var chooseAll = el('button', { type: 'button', class: 'selector-chooseall', id: id + '_add_all' }, _('Choose all'));
    available.appendChild(chooseAll);
    var chooser = el('ul', { class: 'selector-chooser' });
    var add = el('button', { type: 'button', class: 'selector-add', id: id + '_add', title: _('Choose') }, stacked ? '↓ ' + _('Choose') : _('Choose') + ' →');
    var remove = el('button', { type: 'button', class: 'selector-remove', id: id + '_remove', title: _('Remove') }, stacked ? '↑ ' + _('Remove') : '← ' + _('Remove'));
    var li1 = el('li'); li1.appendChild(add); var li2 = el('li'); li2.appendChild(remove);
    chooser.append(li1, li2);
    var chosen = el('div', { class: 'selector-chosen' });
    var clearAll = el('button', { type: 'button', class: 'selector-clearall', id: id + '_remove_all' }, _('Remove all'));
    chosen.append(el('h2', {}, _('Chosen {name}', { name: name })), to, clearAll);
    box.append(available, chooser, chosen);
    select.parentNode.insertBefore(box, select);
    select.hidden = true;
    // A label pointing at the hidden select now points at the filter box.
    var label = document.querySelector('label[for="' + id + '"]');
    if (label) label.setAttribute('for', id + '_input');
    var help = select.parentNode.querySelector('.multiselect-help');
    if (help) help.remove();

    function render() {
      var term = filter.value.trim().toLowerCase();
      from.innerHTML = ''; to.innerHTML = '';
      Array.prototype.forEach.call(select.options, function (o) {
        if (o.selected) to.appendChild(new Option(o.textContent, o.value));
        else if (!term || o.textContent.toLowerCase().indexOf(term) >= 0) from.appendChild(new Option(o.textContent, o.value));
      });
      chooseAll.disabled = !from.options.length;
      clearAll.disabled = !to.options.length;
    }
    function move(list, on) {
      var values = Array.prototype.filter.call(list.options, function (o) { return o.selected; }).map(function (o) { return o.value; });
      moveValues(values, on);
    }
    function moveValues(values, on) {
      Array.prototype.forEach.call(select.options, function (o) { if (values.indexOf(o.value) >= 0) o.selected = on; });
      render();
      select.dispatchEvent(new Event('change', { bubbles: true }));
    }
    function all(list) { return Array.prototype.map.call(list.options, function (o) { return o.value; }); }
    add.addEventListener('click', function () { move(from, true); });
    remove.addEventListener('click', function () { move(to, false); });
    chooseAll.addEventListener('click', function () { moveValues(all(from), true); });
    clearAll.addEventListener('click', function () { moveValues(all(to), false); });
    from.addEventListener('dblclick', function () { move(from, true); });
    to.addEventListener('dblclick', function () { move(to, false); });
    filter.addEventListener('input', render);
    filter.addEventListener('keydown', function (e) { if (e.key === 'Enter') { e.preventDefault(); moveValues(all(from), true); } });
    // "+" adds an option to the original select (related.js): show it.
    select.addEventListener('change', function (e) { if (e.isTrusted === false) render(); });
    render();
  }

  function init(root) {
    Array.prototype.forEach.call((root || document).querySelectorAll('select.selectfilter, select.selectfilterstacked'), enhance);
  }
  document.addEventListener('formset:added', function (e) { init(e.target); });
  if (document.readyState === 'loading') document.addEventListener('DOMContentLoaded', function () { init(); });
  else init();
})();
