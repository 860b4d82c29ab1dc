// Progressive enhancement only: every page works without this file.
(function () {
  'use strict';

  // The face map: a marker shows its site's units; clicking a marker focuses its field; the total follows.
  function faceMap(form) {
    var fields = form.querySelectorAll('input[name^="units_"]');
    if (!fields.length) return;
    var total = form.querySelector('#units-total');
    function update() {
      var sum = 0;
      fields.forEach(function (field) {
        var value = parseFloat(field.value);
        var marker = form.querySelector('[data-for="' + field.name + '"]');
        var site = form.querySelector('.site[data-site="' + field.name.substring(6) + '"]');
        if (marker) marker.textContent = field.value && value > 0 ? field.value : '';
        if (site) site.classList.toggle('has-units', value > 0);
        if (value > 0) sum += value;
      });
      if (total) total.textContent = String(Math.round(sum * 100) / 100);
    }
    fields.forEach(function (field) { field.addEventListener('input', update); });
    form.querySelectorAll('.site').forEach(function (site) {
      site.addEventListener('click', function () {
        var field = form.querySelector('#units_' + site.getAttribute('data-site'));
        if (field) field.focus();
      });
    });
    update();
  }

  // A form is sent once: the button is disabled on submit so a double click records nothing twice.
  function once(form) {
    form.addEventListener('submit', function () {
      form.querySelectorAll('button[type="submit"]').forEach(function (b) {
        window.setTimeout(function () { b.disabled = true; }, 0);
      });
    });
  }

  document.addEventListener('DOMContentLoaded', function () {
    document.querySelectorAll('form').forEach(faceMap);
    document.querySelectorAll('form[data-once]').forEach(once);
  });
})();
