// The hold's countdown: the time left, each second; at zero the page says the tickets
// went back on sale and its pay buttons are disabled (the server refuses them anyway).
(function () {
  "use strict";
  document.querySelectorAll(".countdown[data-expires]").forEach(function (box) {
    var ends = Date.parse(box.dataset.expires);
    var left = box.querySelector(".left-time");
    function tick() {
      var ms = ends - Date.now();
      if (ms <= 0) {
        box.textContent = box.dataset.expiredText;
        box.classList.add("expired");
        box.setAttribute("role", "alert");
        document.querySelectorAll("form.checkout button, #pay-button").forEach(function (b) {
          b.disabled = true;
        });
        return;
      }
      var s = Math.floor(ms / 1000);
      if (left) { left.textContent = Math.floor(s / 60) + ":" + String(s % 60).padStart(2, "0"); }
      setTimeout(tick, 1000 - (ms % 1000));
    }
    tick();
  });
})();
