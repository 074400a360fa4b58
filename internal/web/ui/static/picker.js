// The unit picker (templates/picker_parts.html), made quicker: as one types
// a name, it asks the page for its matches (the GET a search makes without
// this script) and puts them in place of the old ones, keeping what was
// already picked. Without this script the search button does the same.
(function () {
  var box = document.currentScript && document.currentScript.closest('fieldset[data-picker]');
  if (!box || !window.fetch || !window.DOMParser) return;
  var input = box.querySelector('.picker-search input[type=search]');
  var timer, seq = 0;
  input.addEventListener('input', function () {
    clearTimeout(timer);
    timer = setTimeout(find, 300);
  });
  function find() {
    var n = ++seq;
    var url = new URL(box.getAttribute('data-picker'), location.href);
    url.search = '';
    url.searchParams.set(input.name, input.value);
    fetch(url, { credentials: 'same-origin' }).then(function (r) {
      return r.ok ? r.text() : Promise.reject(r.status);
    }).then(function (html) {
      if (n !== seq) return;
      var fresh = new DOMParser().parseFromString(html, 'text/html').getElementById(box.id);
      var matches = box.querySelector('.matches');
      var next = fresh && fresh.querySelector('.matches');
      if (!matches || !next) return;
      var picked = box.querySelector('.picked');
      // A single choice: only the one ticked stays above.
      if (!box.hasAttribute('data-multiple')) {
        picked.querySelectorAll('label[data-unit] input:not(:checked)').forEach(function (i) { i.closest('label').remove(); });
      }
      matches.querySelectorAll('input:checked').forEach(function (i) { picked.appendChild(i.closest('label')); });
      picked.querySelectorAll('label[data-unit] input, label[data-member] input').forEach(function (i) {
        next.querySelectorAll('input[name="' + i.name + '"]').forEach(function (j) {
          if (j.value === i.value) j.closest('label').remove();
        });
      });
      matches.replaceWith(document.importNode(next, true));
    }).catch(function () {});
  }
})();
