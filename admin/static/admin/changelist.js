// The change list's selection ("N of M selected", select all, across pages, shift-click ranges) and raw-id lookup popups.
'use strict';
(function () {
  function init() {
    var form = document.getElementById('changelist-form');
    if (!form) return;
    // Raw-id lookup popup: the opener named this window after its input (Django's convention); a row fills it in.
    form.addEventListener('click', function (event) {
      var link = event.target.closest && event.target.closest('a[data-popup-opener]');
      if (!link || !window.opener || !window.name) return;
      var input = window.opener.document.getElementById(window.name);
      if (!input) return;
      event.preventDefault();
      if (window.opener.dismissRelatedLookupPopup) {
        window.opener.dismissRelatedLookupPopup(window, link.getAttribute('data-popup-opener'), link.textContent.trim());
        return;
      }
      input.value = link.getAttribute('data-popup-opener');
      input.dispatchEvent(new Event('change', { bubbles: true }));
      window.close();
    });
    var toggle = document.getElementById('action-toggle');
    var boxes = Array.prototype.slice.call(form.querySelectorAll('input.action-select'));
    var counter = form.querySelector('.action-counter');
    var across = form.querySelector('input.select-across');
    var question = form.querySelector('.actions .question');
    var all = form.querySelector('.actions .all');
    var clear = form.querySelector('.actions .clear');
    var last = null;

    function show(el, on) { if (el) el.classList.toggle('hidden', !on); }

    function update() {
      var selected = boxes.filter(function (b) { return b.checked; }).length;
      var total = counter ? Number(counter.getAttribute('data-actions-icnt')) : boxes.length;
      // The sentence comes translated from the page ("{selected} of 3 selected"); only the number changes here.
      if (counter) counter.textContent = (counter.getAttribute('data-template') || '{selected} of ' + total + ' selected').replace('{selected}', selected);
      boxes.forEach(function (b) { var row = b.closest('tr'); if (row) row.classList.toggle('selected', b.checked); });
      if (toggle) toggle.checked = selected > 0 && selected === boxes.length;
      var everyOnPage = selected > 0 && selected === boxes.length;
      var acrossOn = across && across.value === '1';
      show(question, everyOnPage && !acrossOn);
      show(all, acrossOn);
      show(clear, acrossOn);
      show(counter, !acrossOn);
      if (!everyOnPage && across) across.value = '0';
    }

    if (toggle) {
      toggle.addEventListener('change', function () {
        boxes.forEach(function (b) { b.checked = toggle.checked; });
        if (across) across.value = '0';
        update();
      });
    }
    boxes.forEach(function (box) {
      box.addEventListener('click', function (event) {
        // Shift-click selects every row between the last clicked one and this one, as in Django.
        if (event.shiftKey && last && last !== box) {
          var a = boxes.indexOf(last);
          var b = boxes.indexOf(box);
          boxes.slice(Math.min(a, b), Math.max(a, b) + 1).forEach(function (x) { x.checked = box.checked; });
        }
        last = box;
        update();
      });
    });
    if (question) {
      question.querySelector('a').addEventListener('click', function (event) {
        event.preventDefault();
        if (across) across.value = '1';
        update();
      });
    }
    if (clear) {
      clear.querySelector('a').addEventListener('click', function (event) {
        event.preventDefault();
        if (across) across.value = '0';
        boxes.forEach(function (b) { b.checked = false; });
        update();
      });
    }
    // Enter in a listEditable input saves the rows rather than running the (first) Go button.
    form.addEventListener('keydown', function (event) {
      var save = form.querySelector('input[name="_save"]');
      if (event.key === 'Enter' && save && event.target.matches('td input:not([type="checkbox"]), th input:not([type="checkbox"])')) {
        event.preventDefault();
        save.click();
      }
    });
    update();
  }
  if (document.readyState === 'loading') document.addEventListener('DOMContentLoaded', init);
  else init();
})();
