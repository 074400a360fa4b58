// The unit picker (templates/picker_parts.html), made quicker: as one types
// a name, it asks the page for its matches (the GET a search makes without
// this script) and puts them in place of the old ones, keeping what was
// already picked. Without this script the search button does the same.
//
// From the first key until the matches for the text typed are in place,
// the list of matches is marked aria-busy (the live region is being
// updated: a screen reader waits for the whole list). The new list can be
// taller or shorter than the old one, and the page moves with it (the
// browser keeps in place what is below it, so the search box and its
// button above can move off the screen): what clicks on the page should
// wait for the mark to go.
(function () {
  var box = document.currentScript && document.currentScript.closest('fieldset[data-picker]');
  if (!box || !window.fetch || !window.DOMParser) return;
  var input = box.querySelector('.picker-search input[type=search]');
  var timer, seq = 0;
  input.addEventListener('input', function () {
    clearTimeout(timer);
    var n = ++seq; // an answer to an earlier text is dropped
    var matches = box.querySelector('.matches');
    if (matches) matches.setAttribute('aria-busy', 'true');
    timer = setTimeout(function () { find(n); }, 300);
  });
  function find(n) {
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
    }).catch(function () {}).then(function () {
      // The last text's answer is in place (or failed: the list stays).
      var matches = n === seq && box.querySelector('.matches');
      if (matches) matches.removeAttribute('aria-busy');
    });
  }
})();
