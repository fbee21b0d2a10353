// Suggestions as you type: every input with data-suggest="/suggestions" asks that
// address (?q=…) and lists the events it answers; arrows move, Enter opens, Esc closes.
(function () {
  "use strict";
  function attach(input) {
    var list = document.getElementById(input.getAttribute("aria-controls"));
    var timer = null, active = -1, asked = "";
    function close() {
      list.hidden = true; list.innerHTML = ""; active = -1;
      input.setAttribute("aria-expanded", "false");
    }
    function show(items) {
      list.innerHTML = "";
      items.forEach(function (item, i) {
        var li = document.createElement("li"), a = document.createElement("a");
        li.setAttribute("role", "option"); li.id = list.id + "-" + i;
        a.href = item.url; a.textContent = item.name + " ";
        var when = document.createElement("small"); when.textContent = item.when;
        a.appendChild(when); li.appendChild(a); list.appendChild(li);
      });
      list.hidden = items.length === 0;
      input.setAttribute("aria-expanded", items.length ? "true" : "false");
    }
    function ask() {
      var q = input.value.trim();
      if (q === asked) { return; }
      asked = q;
      if (!q) { close(); return; }
      fetch(input.dataset.suggest + "?q=" + encodeURIComponent(q),
            {headers: {"Accept": "application/json"}})
        .then(function (r) { return r.ok ? r.json() : []; })
        .then(function (items) { if (input.value.trim() === q) { show(items); } })
        .catch(close);
    }
    function select(i) {
      var options = list.querySelectorAll("li");
      if (!options.length) { return; }
      active = (i + options.length) % options.length;
      options.forEach(function (o, n) { o.setAttribute("aria-selected", n === active ? "true" : "false"); });
      input.setAttribute("aria-activedescendant", options[active].id);
    }
    input.addEventListener("input", function () {
      clearTimeout(timer); timer = setTimeout(ask, 120);
    });
    input.addEventListener("keydown", function (e) {
      if (e.key === "ArrowDown") { e.preventDefault(); select(active + 1); }
      else if (e.key === "ArrowUp") { e.preventDefault(); select(active - 1); }
      else if (e.key === "Escape") { close(); }
      else if (e.key === "Enter" && active >= 0) {
        e.preventDefault(); window.location = list.querySelectorAll("a")[active].href;
      }
    });
    input.addEventListener("blur", function () { setTimeout(close, 200); });
  }
  document.querySelectorAll("input[data-suggest]").forEach(attach);
})();
