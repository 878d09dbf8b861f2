// Inline rows: "Add another …" clones the empty row template, bumps TOTAL_FORMS and fires formset:added; new rows can be removed again.
(function () {
  'use strict';
  function setup(group) {
    var prefix = group.getAttribute('data-prefix');
    var total = document.getElementById('id_' + prefix + '-TOTAL_FORMS');
    var template = document.getElementById(prefix + '-empty');
    var button = group.querySelector('button.add-row');
    var max = parseInt(group.getAttribute('data-max-num'), 10) || 1000;
    if (!total || !template || !button) return;
    button.hidden = false;
    function refresh() { button.hidden = parseInt(total.value, 10) >= max; }
    button.addEventListener('click', function () {
      var index = parseInt(total.value, 10);
      var html = template.innerHTML.replace(/__prefix__/g, String(index));
      var holder = document.createElement(template.content.firstElementChild && template.content.firstElementChild.tagName === 'TR' ? 'tbody' : 'div');
      holder.innerHTML = html.trim();
      var row = holder.firstElementChild;
      var remove = document.createElement('button');
      remove.type = 'button';
      remove.className = 'remove-row';
      remove.textContent = '✕';
      remove.setAttribute('aria-label', (window.gettext || String)('Remove this row'));
      remove.addEventListener('click', function () {
        row.remove();
        // Renumber the rows after this one so that TOTAL_FORMS stays contiguous.
        var rows = group.querySelectorAll('.dynamic-row');
        var base = group.querySelectorAll('.form-row[id^="' + prefix + '-"]').length - rows.length;
        rows.forEach(function (r, i) {
          var n = base + i;
          r.id = prefix + '-' + n;
          r.querySelectorAll('[name],[id],[for]').forEach(function (el) {
            ['name', 'id', 'for'].forEach(function (attr) {
              var v = el.getAttribute(attr);
              if (v) el.setAttribute(attr, v.replace(new RegExp('^(id_)?' + prefix + '-\\d+-'), '$1' + prefix + '-' + n + '-'));
            });
          });
        });
        total.value = String(base + rows.length);
        refresh();
      });
      row.classList.add('dynamic-row');
      var cell = row.querySelector('td.delete') || row.querySelector('h3') || row;
      cell.appendChild(remove);
      var container = group.querySelector('tbody') || group.querySelector('.inline-rows');
      container.appendChild(row);
      total.value = String(index + 1);
      // Widget scripts (autocomplete, related links, two-box picker) enhance the new row, as Django's formset:added.
      row.dispatchEvent(new CustomEvent('formset:added', { bubbles: true, detail: { formsetName: prefix } }));
      var first = row.querySelector('input:not([type=hidden]), select, textarea');
      if (first) first.focus();
      refresh();
    });
    refresh();
  }
  document.addEventListener('DOMContentLoaded', function () {
    document.querySelectorAll('.js-inline-admin-formset').forEach(setup);
  });
})();
