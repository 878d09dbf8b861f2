// Relations in popups, Django's way: 🔍 picks a row into a raw id (and shows its name), "+" adds and the pencil changes
// the related object; each hands the object back to the field that opened it (window name = that field's id).
'use strict';
(function () {
  var POPUP = 'height=560,width=900,resizable=yes,scrollbars=yes';

  function open(href, inputId) {
    var win = window.open(href, inputId, POPUP);
    if (win) win.focus();
    return win;
  }

  function fire(el) { el.dispatchEvent(new Event('change', { bubbles: true })); }

  function label(input) {
    var wrap = input.closest('.related-widget-wrapper') || input.parentNode;
    return wrap && wrap.querySelector('strong.related-label');
  }

  /** A row picked in a lookup popup: many-to-many raw ids append, a foreign key replaces. */
  window.dismissRelatedLookupPopup = function (win, chosenId, text) {
    var input = document.getElementById(win.name);
    if (input) {
      if (input.classList.contains('vManyToManyRawIdAdminField') && input.value) {
        if (input.value.split(',').indexOf(String(chosenId)) < 0) input.value += ',' + chosenId;
      } else {
        input.value = chosenId;
        var strong = label(input);
        if (strong) strong.textContent = text || '';
      }
      fire(input);
    }
    win.close();
  };

  /** An object added through "+": a new selected option, or the raw id. */
  window.dismissAddRelatedObjectPopup = function (win, newId, newRepr) {
    var el = document.getElementById(win.name);
    if (el) {
      if (el.tagName === 'SELECT') {
        var option = new Option(newRepr, newId, true, true);
        el.appendChild(option);
        if (!el.multiple) el.value = newId;
      } else if (el.classList.contains('vManyToManyRawIdAdminField') && el.value) {
        el.value += ',' + newId;
      } else {
        el.value = newId;
        var strong = label(el);
        if (strong) strong.textContent = newRepr;
      }
      fire(el);
    }
    win.close();
  };

  /** An object changed through the pencil: its option (or name) shows the new text. */
  window.dismissChangeRelatedObjectPopup = function (win, objId, newRepr, newId) {
    var el = document.getElementById(win.name);
    if (el) {
      if (el.tagName === 'SELECT') {
        Array.prototype.forEach.call(el.options, function (o) { if (o.value === String(objId)) { o.textContent = newRepr; o.value = newId; } });
      } else {
        var strong = label(el);
        if (strong) strong.textContent = newRepr;
      }
      fire(el);
    }
    win.close();
  };

  /** The pencil shows only when there is a selected object, and links to it. */
  function refreshChange(el) {
    if (!el || !el.id) return;
    var link = document.getElementById('change_' + el.id);
    if (!link) return;
    var value = el.value;
    link.hidden = !value;
    if (value) link.setAttribute('href', link.getAttribute('data-href-template').replace('__fk__', encodeURIComponent(value)));
  }

  document.addEventListener('click', function (event) {
    var a = event.target.closest && event.target.closest('a.related-lookup, a.add-related, a.change-related');
    if (!a) return;
    var inputId = a.id.replace(/^(lookup|add|change)_/, '');
    if (!document.getElementById(inputId)) return;
    event.preventDefault();
    open(a.getAttribute('href'), inputId);
  });
  document.addEventListener('change', function (event) { refreshChange(event.target); });

  function init(root) {
    Array.prototype.forEach.call((root || document).querySelectorAll('.related-widget-wrapper select, .related-widget-wrapper input'), refreshChange);
  }
  document.addEventListener('formset:added', function (e) { init(e.target); });
  if (document.readyState === 'loading') document.addEventListener('DOMContentLoaded', function () { init(); });
  else init();
})();
