// The event page's tickets left, read again every few seconds while the page is in view:
// a type that sells out meanwhile says so and can no longer be chosen.
(function () {
  "use strict";
  var form = document.querySelector("form.basket[data-live]");
  if (!form) { return; }
  function refresh() {
    if (document.hidden) { return; }
    fetch(form.dataset.live, {headers: {"Accept": "application/json"}})
      .then(function (r) { return r.ok ? r.json() : null; })
      .then(function (left) {
        if (!left) { return; }
        form.querySelectorAll("td.left[data-type]").forEach(function (cell) {
          var n = left[cell.dataset.type];
          if (n === undefined) { return; }
          cell.textContent = n > 0 ? String(n) : "Sold out";
          var choice = document.getElementById("qty-" + cell.dataset.type);
          if (choice && n === 0) { choice.value = "0"; choice.disabled = true; }
          cell.parentElement.classList.toggle("gone", n === 0);
        });
      })
      .catch(function () {});
  }
  setInterval(refresh, 5000);
  window.addEventListener("focus", refresh);  // back to the tab: at once
})();
